// Draws a QR code Rust computed ({width, modules: "0101…"}) on a canvas: no image
// URL for the CSP to allow and nothing saved. Dark on white with the 4-module
// quiet zone whatever the theme, as phone cameras expect.

const QUIET = 4;

/** Draws `matrix` on `canvas`, as large as fits its current size in whole pixels. */
export function drawQr(canvas, matrix) {
  const side = matrix.width + 2 * QUIET;
  const scale = Math.max(2, Math.floor(Number(canvas.dataset.size || canvas.width) / side));
  canvas.dataset.size ||= String(canvas.width);
  canvas.width = side * scale;
  canvas.height = side * scale;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000000";
  for (let y = 0; y < matrix.width; y += 1) {
    for (let x = 0; x < matrix.width; x += 1) {
      if (matrix.modules[y * matrix.width + x] === "1") {
        ctx.fillRect((x + QUIET) * scale, (y + QUIET) * scale, scale, scale);
      }
    }
  }
}

/** Wipes the canvas (resizing it clears every pixel). */
export function clearQr(canvas) {
  canvas.width = Number(canvas.dataset.size || canvas.width);
  canvas.height = canvas.width;
}
