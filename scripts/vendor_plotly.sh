#!/usr/bin/env bash
# Vendor plotly.js's "cartesian" bundle (bar, heatmap, scatter, … : every trace type the app draws) into
# static/, at the version the installed plotly package ships. The full plotly.min.js (4.8 MB) takes
# ~0.5–1.5 s to parse on these machines on every fresh page load; this bundle (1.5 MB) a third of that.
# Run after upgrading plotly; tests/test_app_export.py checks the versions match.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
version=$("$PY" - <<'PY'
import pathlib, re, plotly
head = (pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
print(re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head).group(1))
PY
)
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "plotly.js-cartesian-dist-min@${version}" >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/plotly-cartesian.min.js" static/plotly-cartesian.min.js
cp "$tmp/package/LICENSE" static/plotly-LICENSE.txt
rm -rf "$tmp"
echo "static/plotly-cartesian.min.js: plotly.js cartesian bundle v${version}"
