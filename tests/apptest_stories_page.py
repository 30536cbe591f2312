"""What the Stories page sends under AppTest, read for its tests: the word view's component payload
(key "focus") with its html parsed as HTML (``parse``: a small tree of ``Node``), and from it the gates'
metrics, the prediction bars and the numbers table; the softmax example's bar chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from apptest_helpers import decode, figures, svg_payloads


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Every node below (and including) this one with ``tag`` and these attribute values
        (``data_role="bar"`` means data-role="bar")."""
        want = {k.replace("_", "-"): v for k, v in attrs.items()}
        out = (
            [self]
            if (tag in (None, self.tag)) and all(self.attrs.get(k) == v for k, v in want.items())
            else []
        )
        for child in self.children:
            out.extend(child.find(tag, **attrs))
        return out


class _Tree(HTMLParser):
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        for node in self.stack:
            node.parts.append(data)


def parse(text: str) -> Node:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    return tree.root


def word_view(at) -> dict:
    """The word view's component payload (key "focus"), with its html blocks parsed as ``"dom"`` (above the
    heatmap, or under it in presenter mode)."""
    (payload,) = [p for p in svg_payloads(at) if p["key"] == "focus"]
    return {**payload, "dom": parse(payload["html"] + payload["below"])}


def word(at) -> int:
    return word_view(at)["controls"]["step"]


def metrics(at) -> dict[str, dict]:
    """Per gate: its label, the value and change drawn, and the full values (data-value, data-before)."""
    out = {}
    for m in word_view(at)["dom"].find(data_role="metric"):
        label, value = m.children[0].text, m.find(data_role="value")[0].text
        delta = m.find(data_role="delta")
        out[m.attrs["data-gate"]] = {
            "label": label,
            "shown": value,
            "delta": delta[0].text if delta else None,
            "value": float(m.attrs["data-value"]),
            "before": float(m.attrs["data-before"]) if m.attrs["data-before"] else None,
        }
    return out


def metric(at, label_start: str) -> float:
    return next(m["value"] for m in metrics(at).values() if m["label"].startswith(label_start))


def bars(at) -> dict[str, float]:
    """The word view's prediction bars (an SVG in its html): P(word) by word, best first."""
    return {
        b.attrs["data-label"]: float(b.attrs["data-value"])
        for b in word_view(at)["dom"].find(data_role="bar")
    }


def softmax_bars(at) -> dict[str, float]:
    """The softmax example's plotly bar chart."""
    fig = next(f for f in figures(at) if f["data"] and f["data"][0].get("type") == "bar")
    trace = fig["data"][0]
    return dict(zip(trace["y"], decode(trace["x"]).astype(float), strict=True))


def numbers_table(at) -> dict[str, dict[str, float | None]]:
    """ "All the numbers at this word": {row name: {column: value}}."""
    (table,) = word_view(at)["dom"].find("table", data_role="numbers")
    out = {}
    for tr in table.find("tr"):
        head = tr.find("th", scope="row")
        if head:
            out[head[0].text] = {
                td.attrs["data-col"]: float(td.attrs["data-value"]) if td.attrs["data-value"] else None
                for td in tr.find("td")
            }
    return out
