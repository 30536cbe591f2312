// Gate by Gate: what every component's JavaScript shares (put in front of it by lstm_ui/layout.py
// component_js).

// The JSON text a component was sent. Python sends it as bytes (UTF-8), which Streamlit forwards as they
// are (a Uint8Array here), where a str would be JSON-encoded a second time and first sent through its
// dataframe detection (which imports pandas on the first page of a fresh server).
const utf8 = new TextDecoder();
function payloadText(data) {
  return utf8.decode(data);
}

// Load a library from the app's static folder once per page. `name` is the global the script defines
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

