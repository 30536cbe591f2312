"""The lectures' notations (colah, split, long-/short-term memory, PyTorch): one registry,
``assets/notations.json``, read here.

A notation only renames things: titles, axis names and symbols change, numbers never do. Each entry holds
its label (what the switch shows and a link may hold), its symbols (TeX and HTML), names, general
equations, the Gate lab's weight layout and its product sign. ``Notation.for_gru()`` adds the GRU's
gates (the registry's ``gru`` block). The page reads the chosen one with ``current_notation()``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

from lstm_ui.state import view

NOTATIONS_PATH = Path(__file__).resolve().parent.parent / "assets" / "notations.json"

_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUB_CHARS = set("0123456789+-=()aehijklmnoprstuvx")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per notation
class Notation:
    key: str  # the registry key; a GRU variant's ends in "+gru"
    label: str
    title: str
    blurb: str
    weight_layout: str  # "concat", "split" or "pytorch"
    product: str  # TeX of the element-wise product: "*" or "\\odot"
    symbols: MappingProxyType  # name → TeX
    names: MappingProxyType  # name → words ("forget gate")
    equations: MappingProxyType  # name → TeX equation
    html: MappingProxyType  # name → HTML symbol (plotly titles and hover text)
    stages: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # steps renamed (LTM)

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

    def stage_title(self, stage: str, default: str) -> str:
        """The cell page's step ``stage`` as this notation names it (``default``: the lectures' word)."""
        return self.stages.get(stage, default)

    def for_gru(self) -> Notation:
        """This notation with the GRU's gates (reset r, update z, candidate n) added."""
        return _gru_variant(self)


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


@cache
def _registry() -> dict:
    return json.loads(NOTATIONS_PATH.read_text(encoding="utf-8"))


@cache
def load_notations() -> MappingProxyType:
    """Every notation by key, in file order (read once per process; read-only)."""
    out = {}
    for key, entry in _registry()["notations"].items():
        out[key] = Notation(
            key=key,
            label=entry["label"],
            title=entry["title"],
            blurb=entry["blurb"],
            weight_layout=entry["weight_layout"],
            product=entry["product"],
            symbols=MappingProxyType(dict(entry["symbols"])),
            names=MappingProxyType(dict(entry["names"])),
            equations=MappingProxyType(dict(entry["equations"])),
            html=MappingProxyType(dict(entry["html"])),
            stages=MappingProxyType(dict(entry.get("stages", {}))),
        )
    return MappingProxyType(out)


@cache
def _gru_variant(notation: Notation) -> Notation:
    gru = _registry()["gru"]
    return replace(
        notation,
        key=f"{notation.key}+gru",
        names=MappingProxyType({**notation.names, **gru["names"]}),
        symbols=MappingProxyType({**notation.symbols, **gru["symbols"]}),
        html=MappingProxyType({**notation.html, **gru["html"]}),
    )


def notation_hash(notation: Notation) -> str:
    """A notation as ``st.cache_data`` hashes it (``hash_funcs``): everything a drawing reads of it, as one
    string (Streamlit hashes a string at once, a nested tuple item by item)."""
    parts = (notation.names, notation.symbols, notation.html)
    return json.dumps([notation.key, *(list(m.items()) for m in parts)], ensure_ascii=False)


def get_notation(key: str | None) -> Notation:
    """The notation ``key``, or the default one when ``key`` is unknown or None."""
    notations = load_notations()
    return notations.get(key, notations[next(iter(notations))])


def current_notation() -> Notation:
    """The notation the view holds (the sidebar switch, or the link)."""
    return get_notation(view.get("notation"))
