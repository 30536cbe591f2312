"""The app's explanatory text, which lives in ``assets/text/<name>.md`` (text is data, not code).

A page's file may be split into named sections, each introduced by a line ``<!-- section: name -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

TEXT_DIR = Path(__file__).resolve().parent.parent / "assets" / "text"
_MARK = re.compile(r"^<!--\s*section:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)


def read_text(name: str) -> str:
    """The Markdown file ``assets/text/<name>.md``."""
    path = TEXT_DIR / f"{name}.md"
    if not path.exists():
        raise ValueError(f"no text file {path.name} in {TEXT_DIR}")
    return path.read_text(encoding="utf-8")


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
