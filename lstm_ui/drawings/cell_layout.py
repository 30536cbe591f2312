"""The LSTM cell diagram's geometry: its rows and columns, the wires and nodes placed on them (with their
value labels' places), and the frame that maps these data coordinates to viewBox pixels.

Data coordinates: x runs 0 … 14 left to right, y 0 … 8 bottom to top (the cell state C along the top, the
bus [h_{t-1}, x_t] along the bottom). Node sizes, label offsets and the frame are in pixels of a 560-wide
viewBox (×1.2 in lecture mode). ``lstm_ui.drawings.cell_diagram`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]


Y_C, Y_BUS, Y_LAYER, Y_MUL, Y_TANH = 7.0, 1.0, 2.9, 4.8, 5.9  # rows of the drawing
X_X, X_F, X_I, X_G, X_O, X_OUT, X_UP = 1.2, 3.2, 5.2, 7.2, 9.2, 11.4, 12.8  # columns
X_LEFT, X_RIGHT = 0.0, 14.0
NODE_PX = {"layer": 42, "fn": 42, "op": 28}  # node sizes, viewBox pixels (normal mode; ×1.3 in lecture mode)


@dataclass(frozen=True)
class Wire:
    id: str
    value: str | None  # key into the values dict; None: an unlabelled branch of another wire
    points: tuple[Point, ...]
    label_at: Point = (0.0, 0.0)  # a point on the wire
    shift: tuple[int, int] = (0, 14)  # label offset from label_at, pixels
    anchor: str = "center"  # xanchor of the value label
    arrow: bool = True
    stacked: bool = False  # the label on two lines, symbol above its value: narrow, between close wires


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # "layer" (σ/tanh box), "op" (× +), "fn" (the tanh on the way out)
    text: str
    center: Point
    value: str  # the value it outputs (fill colour and hover)
    pre: str | None = None  # the pre-activation it squashes


WIRES: tuple[Wire, ...] = (
    Wire(
        "c_prev",
        "cell_prev",
        ((X_LEFT, Y_C), (X_F, Y_C)),
        ((X_LEFT + X_F) / 2 - 0.2, Y_C),
        (0, 18),
        stacked=True,
    ),
    Wire("c_forget", "forget_part", ((X_F, Y_C), (X_G, Y_C)), ((X_F + X_G) / 2, Y_C), (0, 18), stacked=True),
    Wire("c_out", "cell", ((X_G, Y_C), (X_RIGHT, Y_C)), ((X_G + X_OUT) / 2, Y_C), (0, 18), stacked=True),
    Wire("c_tanh_in", None, ((X_OUT, Y_C), (X_OUT, Y_TANH))),
    Wire(
        "tc", "cell_tanh", ((X_OUT, Y_TANH), (X_OUT, Y_MUL)), (X_OUT, Y_TANH), (-29, 0), "right", stacked=True
    ),
    Wire(
        "h_prev",
        "hidden_prev",
        ((X_LEFT, Y_BUS), (X_X, Y_BUS)),
        (X_LEFT, Y_BUS),
        (4, 22),
        "left",
        False,
        stacked=True,
    ),
    Wire("x", "x", ((X_X, -0.9), (X_X, Y_BUS)), (X_X, -0.3), (8, 0), "left", False),
    Wire("bus", None, ((X_X, Y_BUS), (X_O, Y_BUS)), arrow=False),
    Wire("z_forget", None, ((X_F, Y_BUS), (X_F, Y_LAYER))),
    Wire("z_input", None, ((X_I, Y_BUS), (X_I, Y_LAYER))),
    Wire("z_candidate", None, ((X_G, Y_BUS), (X_G, Y_LAYER))),
    Wire("z_output", None, ((X_O, Y_BUS), (X_O, Y_LAYER))),
    Wire("f", "forget", ((X_F, Y_LAYER), (X_F, Y_C)), (X_F, 5.0), (-8, 0), "right", stacked=True),
    Wire(
        "i",
        "input",
        ((X_I, Y_LAYER), (X_I, Y_MUL), (X_G, Y_MUL)),
        (X_I, 3.85),
        (-8, 0),
        "right",
        stacked=True,
    ),
    Wire("g", "candidate", ((X_G, Y_LAYER), (X_G, Y_MUL)), (X_G, 3.85), (8, 0), "left", stacked=True),
    Wire("c_input", "input_part", ((X_G, Y_MUL), (X_G, Y_C)), (X_G, 5.9), (-8, 0), "right", stacked=True),
    Wire(
        "o",
        "output",
        ((X_O, Y_LAYER), (X_O, Y_MUL), (X_OUT, Y_MUL)),
        (X_O, 3.85),
        (8, 0),
        "left",
        stacked=True,
    ),
    Wire(
        "h",
        "hidden",
        ((X_OUT, Y_MUL), (X_OUT, Y_BUS), (X_RIGHT, Y_BUS)),
        (X_OUT, (Y_BUS + Y_LAYER) / 2 - 0.3),
        (-8, 0),
        "right",
        stacked=True,
    ),
    Wire("h_up", None, ((X_UP, Y_BUS), (X_UP, 8.4))),
)

NODES: tuple[Node, ...] = (
    Node("sig_forget", "layer", "σ", (X_F, Y_LAYER), "forget", "pre_forget"),
    Node("sig_input", "layer", "σ", (X_I, Y_LAYER), "input", "pre_input"),
    Node("tanh_candidate", "layer", "tanh", (X_G, Y_LAYER), "candidate", "pre_candidate"),
    Node("sig_output", "layer", "σ", (X_O, Y_LAYER), "output", "pre_output"),
    Node("mul_forget", "op", "×", (X_F, Y_C), "forget_part"),
    Node("add_cell", "op", "+", (X_G, Y_C), "cell"),
    Node("mul_input", "op", "×", (X_G, Y_MUL), "input_part"),
    Node("tanh_cell", "fn", "tanh", (X_OUT, Y_TANH), "cell_tanh", "cell"),
    Node("mul_output", "op", "×", (X_OUT, Y_MUL), "hidden"),
)
NODE_AT = {n.center: n for n in NODES}


# The frame: data coordinates (the rows and columns above) → viewBox pixels.

SVG_WIDTH = 560.0  # viewBox width (×1.2 in lecture mode); the <svg> is drawn at its container's width
X_RANGE = (-0.3, X_RIGHT + 0.3)
Y_RANGE = (-1.1, 8.9)
PAD = 4.0  # viewBox pixels left of the drawing
RIGHT_ROOM = 26.0  # viewBox pixels right of it (×1.3 in lecture mode), for the labels that stick out


@dataclass(frozen=True)
class Frame:
    """Where the drawing sits in the viewBox: data (x, y) → pixels (y down)."""

    scale: float  # 1.3 in lecture mode (type, nodes, line widths and row spacing), else 1
    top: float  # where the drawing starts (below the title)

    @property
    def width(self) -> float:  # of the viewBox
        return SVG_WIDTH * (1.2 if self.scale > 1 else 1.0)

    @property
    def sx(self) -> float:
        return (self.width - PAD - RIGHT_ROOM * self.scale) / (X_RANGE[1] - X_RANGE[0])

    @property
    def sy(self) -> float:
        return 35.6 * self.scale

    @property
    def bottom(self) -> float:  # the lower edge of the drawing (the colour bars sit below it)
        return self.top + (Y_RANGE[1] - Y_RANGE[0]) * self.sy

    def px(self, p: Point) -> tuple[float, float]:
        return PAD + (p[0] - X_RANGE[0]) * self.sx, self.top + (Y_RANGE[1] - p[1]) * self.sy
