// Gate by Gate: the html blocks of a live drawing (above, beside and below it; lstm_ui/live_svg.py),
// patched part by part, with their equations typeset by KaTeX. Put in front of lstm_ui/components/live_svg.js by
// lstm_ui.layout.component_js; ``state`` is live_svg.js's per-mount state.

// Replace the html blocks whose text changed, keeping each <details data-keep> open or closed as it was,
// and typeset their equations.
function updateBlocks(state, texts) {
  let changed = false;
  for (const [name, text] of Object.entries(texts)) {
    if ((text || "") === (state.html[name] ?? "")) continue;
    const block = state.blocks[name];
    // A <details data-keep> stays as the reader left it, open or closed, whatever the new text says.
    const was = new Map(Array.from(block.querySelectorAll("details[data-keep]"), (d) => [d.dataset.keep, d.open]));
    const focused = block.contains(document.activeElement) && document.activeElement.dataset.report;
    for (const node of patchBlock(block, text || "")) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      frameBlockDrawings(node);
      const details = node.matches("details[data-keep]") ? [node] : node.querySelectorAll("details[data-keep]");
      for (const d of details) if (was.has(d.dataset.keep)) d.open = was.get(d.dataset.keep);
    }
    // A slider that had the keyboard keeps it (its arrow keys go on working after the page answers).
    const again = focused && block.querySelector(`input[data-report="${focused}"]`);
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
    state.html[name] = text || "";
    changed = true;
  }
  if (changed) typeset(state);
}

// Put ``text`` into ``block`` replacing only the top-level parts whose HTML changed (a step changes a
// heading and a few equations; the text, the sliders and the slots around them stay as they are, typeset
// and laid out). Each part remembers the HTML it came from. Returns the parts put in.
function patchBlock(block, text) {
  const template = document.createElement("template");
  template.innerHTML = text;
  const fresh = Array.from(template.content.childNodes);
  const sources = fresh.map((n) => (n.nodeType === Node.ELEMENT_NODE ? n.outerHTML : n.textContent));
  const old = Array.from(block.childNodes);
  const added = [];
  fresh.forEach((node, k) => {
    const here = old[k];
    if (here && here.__gbgSource === sources[k]) return;
    node.__gbgSource = sources[k];
    if (here) here.replaceWith(node);
    else block.appendChild(node);
    added.push(node);
  });
  for (const extra of old.slice(fresh.length)) extra.remove();
  return added;
}

// KaTeX's HTML for each equation already typeset (a step changes a few numbers; the rest come from here).
const TYPESET = new Map();

function typesetNow(katex, el) {
  const tex = el.dataset.tex;
  let out = TYPESET.get(tex);
  if (out === undefined) {
    try {
      out = katex.renderToString(tex, { displayMode: true, throwOnError: false });
    } catch (err) {
      out = null;
    }
    if (TYPESET.size > 2000) TYPESET.clear();
    TYPESET.set(tex, out);
  }
  if (out === null) el.textContent = tex;
  else el.innerHTML = out;
  el.dataset.done = tex;
}

// An equation wider than its column scrolls sideways; data-scrolls="1" shows a note saying so (CSS in
// live_svg.js). Checked by a ResizeObserver: it reports each newly typeset equation, and any later change
// of its width (a resized window), after the browser's own layout, where reading widths costs nothing.
function markWide(root) {
  // Every width read first, then only the flags that change written: a write between two reads would
  // make the browser lay the page out again for each equation.
  const els = Array.from(root.querySelectorAll(".gbg-tex"));
  const flags = els.map((el) => (el.scrollWidth > el.clientWidth + 1 ? "1" : "0"));
  els.forEach((el, k) => { if (el.dataset.scrolls !== flags[k]) el.dataset.scrolls = flags[k]; });
}

function watchWide(root, els) {
  if (!window.ResizeObserver) { markWide(root); return; }
  const watch = root.__gbgWideWatch || (root.__gbgWideWatch = new ResizeObserver(() => markWide(root)));
  const watched = root.__gbgWideEls || (root.__gbgWideEls = new Set());
  for (const el of watched) {  // equations a patch removed are let go: the observer would keep them alive
    if (!el.isConnected) { watch.unobserve(el); watched.delete(el); }
  }
  for (const el of els) { watched.add(el); watch.observe(el); }  // (observed again: reported again)
}

// Typeset the equations that are shown (not inside a closed <details>) and not yet typeset.
function typeset(state) {
  const todo = Array.from(state.root.querySelectorAll(".gbg-tex[data-tex]")).filter(
    (el) => el.dataset.done !== el.dataset.tex && !el.closest("details:not([open])"));
  if (!todo.length) return;
  if (window.katex) {
    for (const el of todo) typesetNow(window.katex, el);
    watchWide(state.root, todo);
    return;
  }
  if (!state.katex) return;
  loadScript(state.katex, "katex").then(() => typeset(state)).catch((err) => {
    for (const el of todo) el.textContent = el.dataset.tex + "  (" + err.message + ")";
  });
}
