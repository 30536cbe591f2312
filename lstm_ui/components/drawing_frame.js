// Gate by Gate: the frame around each drawing of live_svg.js (lstm_ui/components/live_svg.py joins the
// two files into one module): its two download buttons (SVG, PNG) and, on a phone or in a narrow column,
// the width at which its text stays readable, with a note when it then scrolls sideways. The buttons save
// the drawing as gate-by-gate-<name>.svg or .png (the PNG is the SVG drawn into a canvas at 2×; page web
// fonts are not available to it, so its text falls back to the system sans-serif).
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

function download(view, format) {
  const svg = view.box.querySelector("svg");
  if (!svg) return;
  const file = standalone(svg);
  const base = "gate-by-gate-" + view.name;
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

// A frame holding ``view.box`` with the two download buttons (SVG, PNG) over its top right corner.
function framed(view) {
  const tools = document.createElement("div");
  tools.className = "gbg-live-svg-tools";
  for (const format of ["svg", "png"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = format.toUpperCase();
    button.title = `Download as ${format.toUpperCase()}`;
    button.dataset.download = format;
    button.addEventListener("click", () => download(view, format));
    tools.appendChild(button);
  }
  const frame = document.createElement("div");
  frame.style.position = "relative";
  const note = document.createElement("p");
  note.className = "gbg-live-svg-scroll";
  note.textContent = "Scroll sideways to see the whole drawing →";
  frame.append(tools, view.box, note);
  if (window.ResizeObserver) {
    view.watch = new ResizeObserver(() => keepReadable(view));
    view.watch.observe(view.el || frame);
  }
  return frame;
}

// (After a new drawing is put in ``view``.) Check it once the browser has laid it out: a ResizeObserver
// reports a newly observed element after the frame's own layout, where reading widths costs nothing. Read
// at once, the widths would make the browser lay the page out twice (once here, once for the frame).
function watchDrawing(view) {
  const svg = view.box.querySelector("svg");
  if (!view.watch || !svg) return;
  if (view.watched) view.watch.unobserve(view.watched);
  view.watched = svg;
  view.watch.observe(svg);
}

// A drawing is scaled to its column's width. On a phone (a window at most PHONE_PX wide), or wherever
// it is shrunk below NARROW of its own width, it keeps the width at which its smallest text is
// READABLE_PX on screen and scrolls sideways, with a note saying so. The smallest text is the smallest
// font-size of its <text> elements, in the drawing's own units (the viewBox's).
const READABLE_PX = 11;
const NARROW = 0.75;
const PHONE_PX = 640;
function keepReadable(view) {
  const svg = view.box.querySelector("svg");
  const width = svg && svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
  if (!width) return;
  let minWidth = "";
  if (window.innerWidth <= PHONE_PX || view.box.clientWidth < NARROW * width) {
    let smallest = Infinity;
    for (const text of svg.querySelectorAll("text, tspan")) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      if (size > 0) smallest = Math.min(smallest, size);
    }
    const needed = Math.ceil((width * READABLE_PX) / smallest);
    if (smallest < Infinity && view.box.clientWidth < needed) minWidth = `${needed}px`;
  }
  // Written only when it changes (the box's width does not depend on it): a write makes a new layout, and
  // the drawing's new size reports to the ResizeObserver once more, which then finds nothing to change.
  if (svg.style.minWidth !== minWidth) svg.style.minWidth = minWidth;
  noteScroll(view);
}

function noteScroll(view) {
  const drawing = view.box.closest(".gbg-live-svg-drawing");
  const scrolls = view.box.scrollWidth > view.box.clientWidth + 1 ? "1" : "0";
  if (drawing && drawing.dataset.scrolls !== scrolls) drawing.dataset.scrolls = scrolls;
}
