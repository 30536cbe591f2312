"""Explanatory Markdown split into named sections: one ``assets/text/<page>.md`` per page, each section
introduced by a line ``<!-- section: name -->`` (the text lives in assets, not in code)."""

from __future__ import annotations

import re

from lstm_ui.layout import read_text

_MARK = re.compile(r"^<!--\s*section:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)


def split_sections(text: str) -> dict[str, str]:
    """``{name: markdown}`` for every marked section (text before the first marker is dropped)."""
    parts = _MARK.split(text)
    return {parts[k]: parts[k + 1].strip() for k in range(1, len(parts) - 1, 2)}


def section(page: str, name: str) -> str:
    """Section ``name`` of ``assets/text/<page>.md`` (``ValueError`` naming the sections if absent)."""
    sections = split_sections(read_text(page))
    if name not in sections:
        raise ValueError(f"assets/text/{page}.md has no section {name!r}; it has {', '.join(sections)}")
    return sections[name]
