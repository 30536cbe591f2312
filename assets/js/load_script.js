// Gate by Gate: load a library from the app's static folder once per page (put in front of a component's
// own JavaScript by lstm_ui/layout.py component_js). `name` is the global the script defines
// (window.Plotly, window.katex); a failed load is forgotten so that a later render retries.
function loadScript(src, name) {
  if (window[name]) return Promise.resolve(window[name]);
  const pending = (window.__gbgLoading = window.__gbgLoading || {});
  if (!pending[name]) {
    pending[name] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => (window[name] ? resolve(window[name]) : reject(new Error("no " + name)));
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(script);
    });
    pending[name].catch(() => { delete pending[name]; });
  }
  return pending[name];
}

