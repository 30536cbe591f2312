// Gate by Gate: a plotly chart that stays mounted (lstm_ui/live_chart.py).
//
// st.plotly_chart remounts (and redraws from scratch) whenever its figure changes. This component keeps
// one <div> per key and hands each new figure to Plotly.react, which updates what is drawn in place and
// skips unchanged traces (the heatmaps' layout.datarevision). plotly.js itself is loaded once per page
// from the app's static folder. A click on a point is reported as the trigger value "click".

function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__gbgPlotly) {
    window.__gbgPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(script);
    });
    window.__gbgPlotly.catch(() => { window.__gbgPlotly = null; });  // let a later render retry
  }
  return window.__gbgPlotly;
}

function pointOf(p) {
  const out = { x: p.x, y: p.y, curve: p.curveNumber };
  if (p.customdata !== undefined) out.customdata = p.customdata;
  return out;
}

// What changed since the last figure drawn in this chart: null when the traces or the config changed
// (then Plotly.react), else the layout keys that differ (then Plotly.relayout, which redraws only
// what those keys touch: moving a selection outline costs ~10 ms instead of a ~60 ms replot).
function layoutChanges(state, parts) {
  if (!state.parts || parts.data !== state.parts.data || parts.config !== state.parts.config) return null;
  const update = {};
  for (const key of Object.keys(parts.layout)) {
    if (parts.layout[key] !== state.parts.layout[key]) update[key] = JSON.parse(parts.layout[key]);
  }
  for (const key of Object.keys(state.parts.layout)) {
    if (!(key in parts.layout)) update[key] = null;
  }
  return update;
}

function draw(Plotly, state) {
  const { figure, config } = state.latest;
  const layout = figure.layout || {};
  const parts = { data: JSON.stringify(figure.data || []), config: JSON.stringify(config), layout: {} };
  for (const key of Object.keys(layout)) parts.layout[key] = JSON.stringify(layout[key]);
  const update = state.div._fullLayout ? layoutChanges(state, parts) : null;
  state.parts = parts;
  state.div.style.height = (layout.height || 450) + "px";
  if (update === null) {
    Plotly.react(state.div, figure.data || [], layout, { ...config, responsive: false });
  } else if (Object.keys(update).length) {
    Plotly.relayout(state.div, update);
  }
  if (!state.listening) {
    state.listening = true;
    state.div.on("plotly_click", (ev) => {
      if (ev && ev.points && ev.points.length) state.setTriggerValue("click", pointOf(ev.points[0]));
    });
    new ResizeObserver(() => { if (state.div.isConnected && state.div._fullLayout) Plotly.Plots.resize(state.div); })
      .observe(state.div);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = parentElement.__gbgChart;
  if (!state) {
    const div = document.createElement("div");
    div.className = "gbg-live-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
    state = parentElement.__gbgChart = { div, listening: false };
  }
  state.setTriggerValue = setTriggerValue;
  state.latest = JSON.parse(data);
  if (window.Plotly) {
    draw(window.Plotly, state);  // synchronous: the new figure is on screen in this frame
    return;
  }
  loadPlotly(state.latest.src)
    .then((Plotly) => draw(Plotly, state))
    .catch((err) => {
      state.div.textContent = "The chart could not be drawn (" + err.message + "). Reload the page to retry.";
      state.div.style.height = "auto";
    });
}
