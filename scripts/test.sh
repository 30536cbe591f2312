#!/usr/bin/env bash
# Install everything the tests need (Debian's chromium and fonts, a venv with the pinned packages),
# then run the checks (ruff, vulture) and the whole test suite: core, training, AppTest pages and
# real-browser tests.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs="chromium fonts-liberation fonts-noto-cjk fonts-noto-color-emoji libatomic1"
if ! dpkg -s $pkgs >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt

.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
# Dead code: nothing defined and never used (names used only by a framework are in the whitelist).
.venv/bin/python -m vulture lstm_core lstm_ui views app.py scripts bench tests --min-confidence 60

set +e
.venv/bin/python -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no test: failing" >&2
  exit 1
fi
exit "$rc"
