// Gate by Gate: put a new SVG drawing in place of the one shown by changing only what differs, when both
// have the same elements in the same order (a notation switch renames labels; another model recolours the
// squares). The browser then lays out and paints a few changed labels instead of a whole new drawing.
// Put in front of lstm_ui/components/live_svg.js by lstm_ui.components.component_js.

// Make ``box`` show ``text`` (an SVG drawing's source): only what differs is changed where the new drawing
// has the same elements as the one shown ("patched"), else the new drawing replaces it ("all"), parsed
// once either way.
function putSvg(box, text) {
  const template = document.createElement("template");
  template.innerHTML = text;  // parsed, not laid out
  const shown = box.querySelector("svg");
  const fresh = template.content.firstElementChild;
  const edits = [];
  if (shown && fresh && collectEdits(shown, fresh, edits)) {
    for (const edit of edits) edit();
    return "patched";
  }
  box.replaceChildren(template.content);
  return "all";
}

// Compare two nodes and their subtrees: false at the first difference of shape (a node's kind, an
// element's name, the number of children); else push to ``edits`` what makes ``now`` equal ``want``.
function collectEdits(now, want, edits) {
  if (now.nodeType !== want.nodeType || now.nodeName !== want.nodeName) return false;
  if (now.nodeType !== Node.ELEMENT_NODE) {
    if (now.nodeValue !== want.nodeValue) edits.push(() => { now.nodeValue = want.nodeValue; });
    return true;
  }
  for (const attr of want.attributes) {
    if (now.getAttributeNS(attr.namespaceURI, attr.localName) !== attr.value) {
      edits.push(() => now.setAttributeNS(attr.namespaceURI, attr.name, attr.value));
    }
  }
  for (const attr of now.attributes) {
    if (!want.hasAttributeNS(attr.namespaceURI, attr.localName)) {
      edits.push(() => now.removeAttributeNS(attr.namespaceURI, attr.localName));
    }
  }
  const a = now.childNodes;
  const b = want.childNodes;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!collectEdits(a[k], b[k], edits)) return false;
  return true;
}
