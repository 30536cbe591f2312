// Gate by Gate: an SVG drawing that stays mounted (lstm_ui/live_svg.py).
//
// One container per mount (its state lives on the component's parentElement, as in live_chart.js); each
// new drawing replaces the container's innerHTML, and only when the SVG text changed: the browser swaps
// it in a few milliseconds. Two small buttons (top right) save the drawing as gate-by-gate-<name>.svg or
// .png (the PNG is the SVG drawn into a canvas at 2×; page web fonts are not available to it, so its text
// falls back to the system sans-serif).

const STYLE = `
.gbg-live-svg { position: relative; width: 100%; }
.gbg-live-svg-tools { position: absolute; top: 0; right: 0; display: flex; gap: 4px; opacity: 0.35;
  transition: opacity 0.15s; z-index: 1; }
.gbg-live-svg:hover .gbg-live-svg-tools, .gbg-live-svg-tools:focus-within { opacity: 1; }
.gbg-live-svg-tools button { font: 11px/1.2 sans-serif; padding: 2px 6px; cursor: pointer; color: #31333f;
  background: rgba(255, 255, 255, 0.9); border: 1px solid #d5dae5; border-radius: 4px; }
.gbg-live-svg-tools button:hover { border-color: #31333f; }
`;

function ensureStyle() {
  if (document.getElementById("gbg-live-svg-style")) return;
  const style = document.createElement("style");
  style.id = "gbg-live-svg-style";
  style.textContent = STYLE;
  document.head.appendChild(style);
}

// The drawing as a standalone SVG file: the shown <svg> with a pixel size (its viewBox) instead of 100%.
function standalone(svg) {
  const copy = svg.cloneNode(true);
  const box = svg.viewBox.baseVal;
  copy.setAttribute("width", String(box.width));
  copy.setAttribute("height", String(box.height));
  copy.removeAttribute("style");
  const text = new XMLSerializer().serializeToString(copy);
  return { text: '<?xml version="1.0" encoding="UTF-8"?>\n' + text, width: box.width, height: box.height };
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function download(state, format) {
  const svg = state.box.querySelector("svg");
  if (!svg) return;
  const file = standalone(svg);
  const base = "gate-by-gate-" + state.name;
  if (format === "svg") {
    save(new Blob([file.text], { type: "image/svg+xml;charset=utf-8" }), base + ".svg");
    return;
  }
  const url = URL.createObjectURL(new Blob([file.text], { type: "image/svg+xml;charset=utf-8" }));
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(file.width * 2);
    canvas.height = Math.round(file.height * 2);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => { if (blob) save(blob, base + ".png"); }, "image/png");
  };
  img.onerror = () => URL.revokeObjectURL(url);
  img.src = url;
}

function mount(parentElement) {
  ensureStyle();
  const root = document.createElement("div");
  root.className = "gbg-live-svg";
  const tools = document.createElement("div");
  tools.className = "gbg-live-svg-tools";
  const box = document.createElement("div");
  box.className = "gbg-live-svg-box";
  root.append(tools, box);
  parentElement.appendChild(root);
  const state = { root, box, svg: null, data: null, name: "figure" };
  for (const format of ["svg", "png"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = format.toUpperCase();
    button.title = `Download as ${format.toUpperCase()}`;
    button.dataset.download = format;
    button.addEventListener("click", () => download(state, format));
    tools.appendChild(button);
  }
  return state;
}

export default function (component) {
  const { data, parentElement } = component;
  const state = parentElement.__gbgSvg || (parentElement.__gbgSvg = mount(parentElement));
  if (data === state.data) return;  // the same drawing again: nothing to do
  state.data = data;
  const { svg, name } = JSON.parse(data);
  state.name = name || "figure";
  state.root.dataset.name = state.name;
  if (svg !== state.svg) {
    const started = performance.now();
    state.box.innerHTML = svg;
    state.svg = svg;
    // For bench/ and the browser tests: how long the swap took.
    state.root.dataset.drawMs = (performance.now() - started).toFixed(1);
  }
}
