// Gate by Gate: an SVG drawing that stays mounted (lstm_ui/live_svg.py).
//
// One container per mount (its state lives on the component's parentElement, as in live_chart.js); each
// new drawing replaces the container's innerHTML, and only when the SVG text changed: the browser swaps
// it in a few milliseconds. Its two download buttons (SVG, PNG): drawing_frame.js.
//
// A drawing whose last element is an overlay group (a heatmap's selection) and whose rest did not change
// gets only that group replaced: stepping swaps two small outlines per panel, not the whole drawing.
// Heatmaps (lstm_ui/heat_svg.py): hovering a square shows its panel, step, unit and value in
// a tooltip; where the page acts on clicks ("clickable"), clicking it reports {step, unit} as the
// trigger value "click".
//
// Around the drawings: step controls (buttons, sliders, keys, a choice of options: step_controls.js), and
// three html blocks (above them, beside them, below them; trusted and escaped by Python: html_blocks.js).
// Their equations (.gbg-tex[data-tex]) are typeset with KaTeX, the version whose CSS Streamlit ships, so
// they look like st.latex. lstm_ui.layout.component_js joins the three files (and shared.js) into
// this component's one module; drawing_frame.js holds the frame around each drawing (downloads, width).

const STYLE = `
.gbg-live-svg { width: 100%; }
.gbg-live-svg-drawing { position: relative; }
.gbg-live-svg-tools { position: absolute; top: 0; right: 0; display: flex; gap: 4px; opacity: 0.35;
  transition: opacity 0.15s; z-index: 1; }
.gbg-live-svg-drawing:hover .gbg-live-svg-tools, .gbg-live-svg-tools:focus-within { opacity: 1; }
.gbg-live-svg-tools button { font: 11px/1.2 sans-serif; padding: 2px 6px; cursor: pointer; color: #31333f;
  background: rgba(255, 255, 255, 0.9); border: 1px solid #d5dae5; border-radius: 4px; }
.gbg-live-svg-tools button:hover { border-color: #31333f; }
.gbg-live-svg-tip { position: fixed; z-index: 1000; pointer-events: none; white-space: pre; display: none;
  font: 13px/1.35 "Source Sans", "Source Sans Pro", sans-serif; color: #31333f; background: #fff;
  border: 1px solid #d5dae5; border-radius: 4px; padding: 4px 8px; box-shadow: 0 1px 4px rgba(0,0,0,0.15); }
.gbg-live-svg[data-clickable="1"] .gbg-live-svg-box image[data-role="squares"] { cursor: pointer; }
.gbg-stepper { display: none; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1.5rem; margin: 0 0 0.75rem 0;
  font-family: "Source Sans", "Source Sans Pro", sans-serif; color: #31333f; }
.gbg-live-svg[data-controls="1"] .gbg-stepper { display: flex; }
.gbg-stepper-buttons { display: flex; gap: 0.5rem; }
.gbg-stepper button { font: inherit; font-size: 1em; line-height: 1.6; padding: 0.25em 0.8em; cursor: pointer;
  color: inherit; background: #fff; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; }
.gbg-stepper button:hover { border-color: #b35806; color: #b35806; }
.gbg-stepper button:focus-visible, .gbg-stepper input:focus-visible { outline: 2px solid #b35806; outline-offset: 2px; }
.gbg-stepper kbd { font: inherit; font-size: 0.8em; color: rgba(49, 51, 63, 0.6); margin-left: 0.4em; }
.gbg-stepper label { display: flex; flex-direction: column; flex: 1 1 12rem; min-width: 10rem; gap: 0.15em; }
.gbg-stepper label span { font-size: 0.875em; }
.gbg-stepper output { font-size: 0.875em; color: #b35806; font-variant-numeric: tabular-nums; }
.gbg-stepper input[type="range"] { width: 100%; accent-color: #b35806; margin: 0; }
.gbg-live-svg-above { overflow-x: auto; }
.gbg-live-svg-row { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
.gbg-live-svg-drawings { flex: 3 1 26rem; min-width: 0; display: grid; gap: 1rem 2rem;
  grid-template-columns: repeat(2, minmax(0, 1fr)); }
.gbg-live-svg-drawing[data-wide="1"] { grid-column: 1 / -1; }
@media (max-width: 700px) { .gbg-live-svg-drawing { grid-column: 1 / -1; } }
.gbg-live-svg-title { font: 600 1.25rem/1.3 "Source Sans", "Source Sans Pro", sans-serif; color: #31333f;
  margin: 0 0 0.5rem 0; }
.gbg-live-svg-title:empty { display: none; }
.gbg-live-svg-side { flex: 2 1 18rem; min-width: 0; overflow-x: auto; }
.gbg-live-svg-side:empty, .gbg-live-svg-below:empty, .gbg-live-svg-above:empty { display: none; }
.gbg-live-svg-below { margin-top: 0.5rem; }
.gbg-live-svg .gbg-tex { overflow-x: auto; overflow-y: hidden; }
.gbg-live-svg .gbg-tex[data-scrolls="1"]::after { content: "Scroll sideways for the whole equation →";
  display: block; position: sticky; left: 0; font: 0.8rem/1.4 "Source Sans", "Source Sans Pro", sans-serif;
  color: rgba(49, 51, 63, 0.6); }
.gbg-live-svg-box { overflow-x: auto; }
.gbg-live-svg-scroll { display: none; font: 0.8rem/1.4 "Source Sans", "Source Sans Pro", sans-serif;
  color: rgba(49, 51, 63, 0.6); margin: 0.15rem 0 0 0; }
.gbg-live-svg-drawing[data-scrolls="1"] .gbg-live-svg-scroll { display: block; }
.gbg-live-svg-above, .gbg-live-svg-side, .gbg-live-svg-below { font-family: "Source Sans", "Source Sans Pro", sans-serif;
  color: #31333f; line-height: 1.6; }
.gbg-live-svg-above p, .gbg-live-svg-side p, .gbg-live-svg-below p { margin: 0 0 0.75rem 0; }
.gbg-live-svg h3 { font-size: 1.5rem; font-weight: 600; line-height: 1.3; margin: 0.5rem 0 0.75rem 0; }
.gbg-live-svg .gbg-caption { font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); }
.gbg-live-svg summary { cursor: pointer; margin: 0.5rem 0; }
.gbg-live-svg .gbg-exports { display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; font-size: 0.875rem; }
.gbg-live-svg .gbg-exports button { font: inherit; padding: 0.2em 0.8em; cursor: pointer; color: inherit;
  background: #fff; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; }
.gbg-live-svg .gbg-exports button:hover { border-color: #b35806; color: #b35806; }
.gbg-live-svg label.gbg-probe { display: flex; flex-direction: column; gap: 0.15em; font-size: 0.875rem; }
.gbg-live-svg label.gbg-probe output { color: #b35806; font-variant-numeric: tabular-nums; }
.gbg-live-svg label.gbg-probe input { width: 100%; accent-color: #b35806; margin: 0; }
.gbg-live-svg .gbg-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem 2rem; }
.gbg-choice { display: flex; flex-direction: column; gap: 0.15em; flex: 1 1 100%; }
.gbg-choice > span { font-size: 0.875em; }
.gbg-choice-options { display: flex; flex-wrap: wrap; gap: 0.4rem; }
.gbg-stepper .gbg-choice-options button[aria-checked="true"] { color: #fff; background: #b35806; border-color: #b35806; }
`;

function ensureStyle() {
  if (document.getElementById("gbg-live-svg-style")) return;
  const style = document.createElement("style");
  style.id = "gbg-live-svg-style";
  style.textContent = STYLE;
  document.head.appendChild(style);
}

// A heatmap panel's values (its data-values, row by row), split once per drawn panel.
const VALUES = new WeakMap();

// The heatmap square under the pointer, {t, j, text} with 1-based t and j and its hover text, or null.
// A heatmap panel's squares are one stretched picture: the square is found from where the pointer is on
// it. A square drawn on its own (the unrolled RNN's <rect data-j> in a <g data-t>) names its step and
// unit, and holds its hover text as its aria-label.
function squareAt(ev) {
  const own = ev.target.closest && ev.target.closest("rect[data-j]");
  const column = own && own.parentNode.closest("[data-t]");
  if (column) {
    return { t: Number(column.dataset.t), j: Number(own.dataset.j), text: own.getAttribute("aria-label") || "" };
  }
  const image = ev.target.closest && ev.target.closest('image[data-role="squares"]');
  const panel = image && image.closest("[data-panel]");
  if (!panel) return null;
  const svg = image.ownerSVGElement;
  const T = Number(svg.dataset.steps), H = Number(svg.dataset.units);
  const box = image.getBoundingClientRect();
  const j = Math.min(H - 1, Math.max(0, Math.floor(((ev.clientX - box.left) / box.width) * H)));
  const r = Math.min(T - 1, Math.max(0, Math.floor(((ev.clientY - box.top) / box.height) * T)));
  let values = VALUES.get(panel);
  if (!values) VALUES.set(panel, (values = (panel.dataset.values || "").split(" ")));
  // A long text is folded (lstm_ui/drawings/folding.py): each drawn row's step, 0 for a folded stretch.
  const steps = (svg.dataset.rowSteps || "").split(" ").map(Number);
  const t = steps.length === T ? steps[r] : r + 1;
  const value = (values[r * H + j] || "").replace("-", "−");
  if (t === 0) {
    const gap = svg.querySelectorAll("[data-row], [data-gap]")[r];
    return { t: 0, j: j + 1, text: `${panel.dataset.name || ""}\n${gap ? gap.textContent : ""}, unit ${j + 1}\n= ${value} on average` };
  }
  return { t, j: j + 1, text: tipText(svg, panel, t, j + 1, value) };
}

// The hover text of a heatmap panel's square: panel name, step with its (whole) token, unit, value.
function tipText(svg, panel, t, j, value) {
  const row = svg.querySelector(`[data-row="${t}"]`);
  const token = row ? (row.dataset.token ?? row.textContent.replace(/^\d+ /, "")) : "";
  return `${panel.dataset.name || ""}\nstep ${t} “${token}”, unit ${j}\n= ${value}`;
}

function listen(state) {
  const tip = document.createElement("div");
  tip.className = "gbg-live-svg-tip";
  state.root.appendChild(tip);
  state.root.addEventListener("pointermove", (ev) => {
    const sq = squareAt(ev);
    if (!sq) { tip.style.display = "none"; return; }
    tip.textContent = sq.text;
    tip.style.display = "block";
    const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(ev.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(x, 0) + "px";
    tip.style.top = Math.max(y, 0) + "px";
  });
  state.root.addEventListener("pointerleave", () => { tip.style.display = "none"; });
  // A slider in an html block (<input type="range" data-report="name">, e.g. the cell page's probes):
  // its <output> follows while it moves; letting go reports {name, value} as the trigger "input".
  state.root.addEventListener("input", (ev) => {
    const input = ev.target.closest && ev.target.closest("input[data-report]");
    const out = input && input.closest("label") && input.closest("label").querySelector("output");
    if (out) out.textContent = Number(input.value).toFixed(2).replace("-", "−");
  });
  state.root.addEventListener("change", (ev) => {
    const input = ev.target.closest && ev.target.closest("input[data-report]");
    if (input && state.setTriggerValue) {
      state.setTriggerValue("input", { name: input.dataset.report, value: Number(input.value) });
    }
  });
  state.root.addEventListener("click", (ev) => {
    // An export button of an html block asks the page for a file (it comes back as the payload's "file").
    const exporter = ev.target.closest && ev.target.closest("button[data-export]");
    if (exporter && state.setTriggerValue) {
      state.setTriggerValue("export", { format: exporter.dataset.export, at: Date.now() });
      return;
    }
    const sq = state.clickable && squareAt(ev);
    if (sq && sq.t > 0) ask(state, sq.t, sq.j);  // a folded stretch (t 0) is no step to select
  });
}

// A drawing that ends with an overlay group (lstm_ui/heat_svg.py OVERLAY): [the rest, the overlay].
const OVERLAY_MARK = '<g data-role="overlay"';
function splitOverlay(svg) {
  const at = svg ? svg.lastIndexOf(OVERLAY_MARK) : -1;
  return at < 0 ? null : [svg.slice(0, at), svg.slice(at)];
}

// One drawing: its title, its download buttons and the box its SVG goes in.
function makeView(state) {
  const view = { el: document.createElement("div"), box: document.createElement("div"), svg: null, name: "figure" };
  view.el.className = "gbg-live-svg-drawing";
  view.title = document.createElement("div");
  view.title.className = "gbg-live-svg-title";
  view.box.className = "gbg-live-svg-box";
  view.el.append(view.title, framed(view));
  state.grid.appendChild(view.el);
  return view;
}

// An SVG inside an html block that names its download (<svg data-download="name">) gets the buttons too.
function frameBlockDrawings(root) {
  const svgs = root.matches("svg[data-download]") ? [root] : root.querySelectorAll("svg[data-download]");
  for (const svg of svgs) {
    const view = { box: document.createElement("div"), name: svg.dataset.download };
    view.box.className = "gbg-live-svg-box";
    const holder = document.createElement("div");
    holder.className = "gbg-live-svg-drawing";
    holder.__gbgSource = svg.__gbgSource;  // a top-level drawing: its frame stands for it in its block
    svg.replaceWith(holder);
    view.box.appendChild(svg);
    holder.appendChild(framed(view));
  }
}

// Draw ``svg`` in ``view``: only its overlay group where nothing else changed, only what differs where it
// has the same elements as the drawing shown, else all of it.
function drawView(state, view, svg) {
  if (svg === view.svg) return;
  const before = splitOverlay(view.svg);
  const after = splitOverlay(svg);
  const overlay = view.box.querySelector('svg > g[data-role="overlay"]');
  if (before && after && overlay && before[0] === after[0]) {
    // Only the overlay (a heatmap's selection outlines) changed: replace just that group.
    const holder = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    holder.innerHTML = after[1].replace(/<\/svg>\s*$/, "");
    overlay.replaceWith(holder.firstElementChild);
    state.root.dataset.swapped = "overlay";
  } else {
    state.root.dataset.swapped = putSvg(view.box, svg);
    watchDrawing(view);
  }
  view.svg = svg;
}

function updateDrawings(state, drawings) {
  while (state.views.length < drawings.length) state.views.push(makeView(state));
  while (state.views.length > drawings.length) state.views.pop().el.remove();
  drawings.forEach((d, k) => {
    const view = state.views[k];
    view.name = d.name || "figure";
    view.el.dataset.name = view.name;
    view.el.dataset.wide = d.wide === false ? "0" : "1";
    // A drawing with a slot lives in the html blocks' <div data-slot>: moved there (its SVG kept as it is)
    // when a block is replaced; the others in the grid.
    const home = (d.slot && state.root.querySelector(`[data-slot="${CSS.escape(d.slot)}"]`)) || state.grid;
    if (view.el.parentNode !== home) home.appendChild(view.el);
    if (view.title.textContent !== (d.title || "")) view.title.textContent = d.title || "";
    drawView(state, view, d.svg);
  });
}

function mount(parentElement) {
  ensureStyle();
  const root = document.createElement("div");
  root.className = "gbg-live-svg";
  const blocks = {};
  for (const name of ["above", "side", "below"]) {
    blocks[name] = document.createElement("div");
    blocks[name].className = "gbg-live-svg-" + name;
  }
  const grid = document.createElement("div");
  grid.className = "gbg-live-svg-drawings";
  const state = { root, grid, blocks, views: [], html: {}, data: null, controls: null,
    want: { step: 1, unit: 1 }, wantChoice: null, katex: null };
  state.bar = null;  // the step controls, built when a drawing first comes with them
  state.keydown = (ev) => onKey(state, ev);
  const row = document.createElement("div");
  row.className = "gbg-live-svg-row";
  row.append(grid, blocks.side);
  root.append(blocks.above, row, blocks.below);
  // An equation inside a <details> is typeset when it is opened.
  root.addEventListener("toggle", () => typeset(state), true);
  parentElement.appendChild(root);
  listen(state);
  return state;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const state = parentElement.__gbgSvg || (parentElement.__gbgSvg = mount(parentElement));
  state.setTriggerValue = setTriggerValue;
  document.addEventListener("keydown", state.keydown, true);  // the same listener again is a no-op
  document.addEventListener("pointerdown", noteInput, true);
  const cleanup = () => document.removeEventListener("keydown", state.keydown, true);
  const text = payloadText(data);
  if (text === state.data) return cleanup;  // the same drawings again: nothing to do
  state.data = text;
  const started = performance.now();
  const { drawings, clickable, controls, html, side, below, katex, file } = JSON.parse(text);
  if (file && file.id !== state.fileId) {  // a file the page made for an export button: saved once
    state.fileId = file.id;
    save(new Blob([file.text], { type: file.mime }), file.name);
  }
  state.katex = katex || null;
  state.root.dataset.name = drawings.length ? drawings[0].name : "";
  state.clickable = Boolean(clickable);  // only pages that act on a click get one (no idle reruns)
  state.root.dataset.clickable = state.clickable ? "1" : "0";
  updateControls(state, controls || null);
  updateBlocks(state, { above: html, side, below });
  updateDrawings(state, drawings || []);
  // For bench/: how long this update took in JavaScript (typesetting included, layout not).
  state.root.dataset.updateMs = (performance.now() - started).toFixed(1);
  return cleanup;
}
