"""The app's explanatory text, which lives in ``assets/text/<name>.md`` (text is data, not code), and its
small Markdown as HTML for a drawing's html blocks (``markdown_html``, ``inline_html``).

A page's file may be split into named sections, each introduced by a line ``<!-- section: name -->``.
"""

from __future__ import annotations

import html as html_lib
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


_INLINE = (  # **bold**, then *italics*; as in Markdown, not around a space ("[1, 2] * [1, 0]" is a product)
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S), r"<strong>\1</strong>"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*", re.S), r"<em>\1</em>"),
)
# A subscript or superscript in the lectures' plain-text symbols (C_{t-1}, f_t, C^f, C̃_t): after a letter
# (a closing sub/sup tag for C_t^f), one letter or digit standing alone, or a {group}. "x_name" and a
# blank "___" stay as they are.
_SCRIPT = r"(?<=[A-Za-z\u0303>]){mark}(?:\{{([^{{}}]*)\}}|([A-Za-z0-9])(?![A-Za-z0-9]))"
_SCRIPTS = ((re.compile(_SCRIPT.format(mark="_")), "sub"), (re.compile(_SCRIPT.format(mark=r"\^")), "sup"))


def inline_html(text: str) -> str:
    """Plain text as escaped HTML, its symbols' subscripts and superscripts as ``<sub>`` / ``<sup>``
    (``C^f = C_{t-1} * f_t`` → ``C<sup>f</sup> = C<sub>t−1</sub> * f<sub>t</sub>``)."""
    out = html_lib.escape(text, quote=False)
    for pattern, tag in _SCRIPTS:
        out = pattern.sub(lambda m, tag=tag: f"<{tag}>{(m[1] or m[2]).replace('-', '−')}</{tag}>", out)
    return out


def markdown_html(md: str) -> str:
    """The small Markdown of ``assets/text`` (paragraphs, **bold**, *italics*, ``inline_html``'s
    sub- and superscripts) as escaped HTML for a drawing's html blocks."""
    out = []
    for para in re.split(r"\n\s*\n", md.strip()):
        text = inline_html(" ".join(para.split()))
        for pattern, repl in _INLINE:
            text = pattern.sub(repl, text)
        out.append(f"<p>{text}</p>")
    return "".join(out)
