"""The notations (colah, split, long-/short-term memory, PyTorch), loaded from ``assets/notations.json``.

A notation only renames things: titles, axis names and symbols change, numbers never do. The switch is
a sidebar widget bound to the URL (``?notation=split``); every page reads ``current_notation()``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import streamlit as st

from lstm_ui import state
from lstm_ui.url_choice import keep_in_url

NOTATIONS_PATH = Path(__file__).resolve().parent.parent / "assets" / "notations.json"
DEFAULT_NOTATION = "colah"
NOTATION_KEY = "notation"  # session-state key and URL parameter
# What the switch shows (and the URL holds); the full titles come from the JSON as captions.
SHORT_LABELS = {"colah": "colah", "split": "split", "ltm": "LTM-STM", "pytorch": "PyTorch"}

_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUB_CHARS = set("0123456789+-=()aehijklmnoprstuvx")


@dataclass(frozen=True)
class Notation:
    key: str
    title: str
    blurb: str
    symbols: MappingProxyType  # name → TeX
    names: MappingProxyType  # name → words ("forget gate")
    equations: MappingProxyType  # name → TeX equation
    html: MappingProxyType  # name → HTML symbol (plotly titles and hover text)

    def symbol_html(self, name: str) -> str:
        """The symbol of ``name`` as HTML (``f<sub>t</sub>``), for plotly."""
        if name in self.html:
            return self.html[name]
        return tex_to_plain(self.symbols.get(name, name))

    def symbol_plain(self, name: str) -> str:
        """The symbol of ``name`` as plain Unicode text (``fₜ``), for tables and file headers."""
        return tex_to_plain(self.symbols.get(name, name))

    def name(self, name: str) -> str:
        return self.names.get(name, name.replace("_", " "))

    def label_html(self, name: str) -> str:
        """``"forget gate f<sub>t</sub>"``: the words and the symbol, for chart titles."""
        return f"{self.name(name)} {self.symbol_html(name)}"


def tex_to_plain(tex: str) -> str:
    """A readable Unicode rendering of the small TeX used in notations.json (``\\tilde{C}_t`` → ``C̃ₜ``)."""
    s = re.sub(r"\\tilde\{(\w)\}", lambda m: m.group(1) + "\u0303", tex)
    s = re.sub(r"\\text\{([^}]*)\}", r"\1", s)
    for tex_cmd, char in (("\\odot", "⊙"), ("\\cdot", "·"), ("\\sigma", "σ"), ("\\tanh", "tanh"), ("\\", "")):
        s = s.replace(tex_cmd, char)

    def sub(m: re.Match[str]) -> str:
        body = m.group(1) or m.group(2)
        body = body.replace(" ", "")
        return body.translate(_SUB) if set(body) <= _SUB_CHARS else f"_{body}"

    s = re.sub(r"_\{([^}]*)\}|_(\w)", sub, s)
    s = re.sub(r"\^\{([^}]*)\}|\^(\w)", lambda m: "^" + (m.group(1) or m.group(2)), s)
    return s.replace("{", "").replace("}", "")


@st.cache_resource(show_spinner=False)
def load_notations(path: str = str(NOTATIONS_PATH)) -> MappingProxyType:
    """Every notation by key, in file order (read once per process; read-only)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for key, entry in raw.items():
        out[key] = Notation(
            key=key,
            title=entry["title"],
            blurb=entry.get("blurb", ""),
            symbols=MappingProxyType(dict(entry.get("symbols", {}))),
            names=MappingProxyType(dict(entry.get("names", {}))),
            equations=MappingProxyType(dict(entry.get("equations", {}))),
            html=MappingProxyType(dict(entry.get("html", {}))),
        )
    return MappingProxyType(out)


def notation_hash(notation: Notation) -> str:
    """A notation as ``st.cache_data`` hashes it (``hash_funcs``): all a drawing reads of it, since a page
    may extend one under the same key (the GRU page adds its gates' names). One string: Streamlit hashes a
    nested tuple item by item (~0.8 ms a call here), a string at once."""
    parts = (notation.names, notation.symbols, notation.html)
    return json.dumps([notation.key, *(list(m.items()) for m in parts)], ensure_ascii=False)


def get_notation(key: str | None) -> Notation:
    """The notation ``key``, or the default one when ``key`` is unknown or None."""
    notations = load_notations()
    return notations.get(key or DEFAULT_NOTATION, notations[DEFAULT_NOTATION])


def current_notation() -> Notation:
    """The notation the sidebar switch (or the URL) currently selects."""
    return get_notation(st.session_state.get(NOTATION_KEY))


def notation_from_url(raw: str | None) -> str | None:
    """The notation key a URL value names: its short label (``LTM-STM``, as the app writes it, any case)
    or its key (``ltm``, for hand-written links); None for anything else."""
    if raw is None:
        return None
    by_text = {text.casefold(): k for k in load_notations() for text in (k, SHORT_LABELS.get(k, k))}
    return by_text.get(raw.strip().casefold())


def keep_notation_in_url() -> None:
    """Write the chosen notation's short label to ``?notation=`` (left out for the default; while a switch
    waits for the reader's pause, in the "sync" run: ``state.write_url``)."""
    key = st.session_state.get(NOTATION_KEY)
    if key in load_notations():
        keep_in_url(NOTATION_KEY, SHORT_LABELS.get(key, key), SHORT_LABELS[DEFAULT_NOTATION])


def notation_switch() -> Notation:
    """The notation radio. Call once per run, in the sidebar (app.py does). It starts from ``?notation=``
    (``notation_from_url``) and writes its short label there (``?notation=LTM-STM``): not through
    Streamlit's ``bind``, whose write on every click re-renders the whole page before the rerun is even
    asked for (~15 ms), but in the "sync" run once the reader pauses (``state.switched_in_sidebar``)."""
    notations = load_notations()
    keys = list(notations)
    labels = {k: SHORT_LABELS.get(k, k) for k in keys}
    if st.session_state.get(NOTATION_KEY) not in notations:
        raw = st.query_params.get(NOTATION_KEY)
        from_url = notation_from_url(raw)
        st.session_state[NOTATION_KEY] = from_url or DEFAULT_NOTATION
        if from_url is None and raw and raw.strip():
            known = ", ".join(labels.values())
            st.warning(f"Unknown notation {raw!r} in the link ({known}); showing {DEFAULT_NOTATION}.")
    st.radio(
        "Notation",
        keys,
        format_func=labels.__getitem__,
        captions=[notations[k].title for k in keys],
        key=NOTATION_KEY,
        on_change=state.switched_in_sidebar,
        help="The same numbers under each lecture's names and symbols.",
    )
    keep_notation_in_url()
    return current_notation()
