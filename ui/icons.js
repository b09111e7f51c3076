// Small line icons drawn as inline SVG (no image requests, crisp in both themes).

const paths = {
  plus: "M12 5v14M5 12h14",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6",
  back: "M15 5l-7 7 7 7",
  pencil: "M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4",
  next: "M5 12h12M13 7l5 5-5 5",
  copy: "M9 9h10v11H9zM5 15V4h10",
  restore: "M4 12a8 8 0 1 0 3-6.2M4 4v5h5",
  warning: "M12 4l9 16H3zM12 10v4M12 17v.5",
  check: "M5 12l5 5 9-10",
  search: "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM16 16l4 4",
  paste: "M9 4h6v3H9zM8 5H5v15h14V5h-3M9 12h6M9 16h4",
  image: "M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5v.5",
  screen: "M3 5h18v11H3zM8 20h8M12 16v4",
  camera: "M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
  gear: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1L7 17M17 7l2.1-2.1",
  more: "M12 5v1.5M12 11.25v1.5M12 17.5V19",
  qr: "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2M18 14h2",
};

/** An SVG element for icon `name`, hidden from screen readers. */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", paths[name]);
  svg.append(path);
  return svg;
}

/** Fills every element with data-icon="name" with its icon. */
export function placeIcons(root = document) {
  for (const el of root.querySelectorAll("[data-icon]")) el.prepend(icon(el.dataset.icon));
}
