#!/usr/bin/env bash
# Vendor KaTeX's JavaScript into static/, at the version whose CSS and fonts Streamlit itself ships (its
# global stylesheet styles every `.katex`, so the app's own live drawings can typeset equations with it
# and look exactly like st.latex). Run after upgrading streamlit; tests/test_app_export.py checks the
# versions match.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
version=$("$PY" - <<'PY'
import pathlib, re, streamlit
css = pathlib.Path(streamlit.__file__).parent / "static" / "static" / "css"
text = "".join(p.read_text() for p in css.glob("index.*.css"))
print(re.search(r'katex-version:after\{content:"(\d+\.\d+\.\d+)"', text).group(1))
PY
)
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "katex@${version}" >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/dist/katex.min.js" static/katex.min.js
cp "$tmp/package/LICENSE" static/katex-LICENSE.txt
rm -rf "$tmp"
echo "static/katex.min.js: KaTeX v${version}"
