// Gate by Gate: a plotly chart that stays mounted (lstm_ui/live_chart.py).
//
// st.plotly_chart remounts (and redraws from scratch) whenever its figure changes. This component keeps
// one <div> per key and hands each new figure to Plotly.react, which updates what is drawn in place and
// skips unchanged traces (a figure's layout.datarevision). plotly.js itself is loaded once per page
// from the app's static folder (loadScript, lstm_ui/components/shared.js).

function splitParts(figure, config) {
  const parts = { config: JSON.stringify(config), traces: [], layout: {} };
  for (const trace of figure.data || []) parts.traces.push(stringified(trace));
  parts.layout = stringified(figure.layout || {});
  return parts;
}

function stringified(obj) {
  const out = {};
  for (const key of Object.keys(obj)) out[key] = JSON.stringify(obj[key]);
  return out;
}

const isPlainObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && !("bdata" in x);

// The changed attributes as plotly.js attribute strings. A changed object (marker, line, an axis) is
// compared one level deeper, so a new marker colour is "marker.color" (a restyle of colours only)
// rather than a whole new marker (which makes plotly.js recompute the trace). Whole annotation and
// shape lists are replaced: plotly.js redraws a list faster than the same items one by one.
function changed(before, after) {
  const out = {};
  for (const key of Object.keys(after)) {
    if (after[key] === before[key]) continue;
    const now = JSON.parse(after[key]);
    const was = key in before ? JSON.parse(before[key]) : undefined;
    if (isPlainObject(now) && isPlainObject(was)) {
      for (const sub of new Set([...Object.keys(now), ...Object.keys(was)])) {
        const a = JSON.stringify(was[sub]);
        const b = JSON.stringify(now[sub]);
        if (a !== b) out[`${key}.${sub}`] = sub in now ? now[sub] : null;
      }
    } else {
      out[key] = now;
    }
  }
  for (const key of Object.keys(before)) if (!(key in after)) out[key] = null;
  return out;
}

// The plotly.js call that turns the last figure drawn into the new one: null (then Plotly.react) when
// the config, the number of traces or a trace's type changed; else one Plotly.update of only the trace
// attributes and layout keys that differ. plotly.js then redoes only what those attributes need:
// moving a selection outline or renaming traces for another notation costs a fraction of a full redraw
// (new data still recomputes what it must).
function plan(old, parts) {
  if (!old || old.config !== parts.config || old.traces.length !== parts.traces.length) return null;
  const indices = [];
  const diffs = [];
  for (let i = 0; i < parts.traces.length; i++) {
    if (old.traces[i].type !== parts.traces[i].type) return null;
    const diff = changed(old.traces[i], parts.traces[i]);
    if (Object.keys(diff).length) {
      indices.push(i);
      diffs.push(diff);
    }
  }
  const traceUpdate = {};
  diffs.forEach((diff) => {
    for (const key of Object.keys(diff)) {
      if (!(key in traceUpdate)) {  // every changed trace needs a value: the new one, or its current one
        traceUpdate[key] = indices.map((i) => valueAt(parts.traces[i], key));
      }
    }
  });
  return { indices, traceUpdate, layoutUpdate: changed(old.layout, parts.layout) };
}

// The new value of attribute ``key`` ("marker" or "marker.color") in a stringified trace; null if unset.
function valueAt(trace, key) {
  const [top, sub] = key.split(/\.(.*)/s);
  if (trace[top] === undefined) return null;
  const value = JSON.parse(trace[top]);
  if (sub === undefined) return value;
  return value !== null && typeof value === "object" && sub in value ? value[sub] : null;
}

// A modebar button beside plotly's camera (PNG) that saves the chart as an SVG, under the same file name.
function svgButton(Plotly, config) {
  const options = config.toImageButtonOptions || {};
  return {
    name: "downloadSvg",
    title: "Download plot as SVG",
    icon: Plotly.Icons.disk,
    click: (gd) => Plotly.downloadImage(gd, { format: "svg", filename: options.filename || "figure" }),
  };
}

function draw(Plotly, state) {
  const { figure, config } = state.latest;
  const layout = figure.layout || {};
  const parts = splitParts(figure, config);
  const steps = state.div._fullLayout ? plan(state.parts, parts) : null;
  state.parts = parts;
  state.div.style.height = (layout.height || 450) + "px";
  if (steps === null) {
    Plotly.react(state.div, figure.data || [], layout,
      { ...config, responsive: false, modeBarButtonsToAdd: [svgButton(Plotly, config)] });
  } else {
    if (steps.indices.length) {
      Plotly.update(state.div, steps.traceUpdate, steps.layoutUpdate, steps.indices);
    } else if (Object.keys(steps.layoutUpdate).length) {
      Plotly.relayout(state.div, steps.layoutUpdate);
    }
  }
  // For the browser tests: how the last figure was drawn.
  state.div.dataset.drawn = steps === null ? "react" : steps.indices.length ? "update" : "relayout";
  if (!state.listening) {
    state.listening = true;
    new ResizeObserver(() => { if (state.div.isConnected && state.div._fullLayout) Plotly.Plots.resize(state.div); })
      .observe(state.div);
  }
}

export default function (component) {
  const { data, parentElement } = component;
  let state = parentElement.__gbgChart;
  if (!state) {
    const div = document.createElement("div");
    div.className = "gbg-live-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
    state = parentElement.__gbgChart = { div, listening: false };
  }
  state.latest = JSON.parse(payloadText(data));
  if (window.Plotly) {
    draw(window.Plotly, state);  // synchronous: the new figure is on screen in this frame
    return;
  }
  loadScript(state.latest.src, "Plotly")
    .then((Plotly) => draw(Plotly, state))
    .catch((err) => {
      state.div.textContent = "The chart could not be drawn (" + err.message + "). Reload the page to retry.";
      state.div.style.height = "auto";
    });
}
