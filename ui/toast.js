// Short messages at the bottom of the window, read out by screen readers through
// an aria-live region; an optional action (Undo) keeps the toast up a little longer.

const region = () => document.getElementById("toasts");

/** Shows `text` for a few seconds; `action` is {label, run} for a button. */
export function toast(text, action = null, durationMs = action ? 8000 : 3000) {
  const box = document.createElement("div");
  box.className = "toast";
  const message = document.createElement("span");
  message.textContent = text;
  box.append(message);
  let timer = null;
  const close = () => {
    clearTimeout(timer);
    box.remove();
  };
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "toast-action";
    button.textContent = action.label;
    button.addEventListener("click", () => {
      close();
      action.run();
    });
    box.append(button);
  }
  region().replaceChildren(box);
  timer = setTimeout(close, durationMs);
  return close;
}
