"""Parameters of the three cells, stored in PyTorch's layout.

PyTorch's layout is the canonical one because it is the richest: two bias vectors and the gates
stacked along the first axis. Every other notation (colah's W·[h, x], the split U/W form, Keras) is
a lossless view computed from it (see ``notation.py``).

=====  ================  ================  =========  =========  ======================
cell   weight_ih         weight_hh         bias_ih    bias_hh    gate blocks, in order
=====  ================  ================  =========  =========  ======================
LSTM   (4H, D)           (4H, H)           (4H,)      (4H,)      i, f, g (candidate), o
GRU    (3H, D)           (3H, H)           (3H,)      (3H,)      r, z, n
RNN    (H, D)            (H, H)            (H,)       (H,)       h
=====  ================  ================  =========  =========  ======================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

import numpy as np

from lstm_core.validate import as_float_array, check_dtype, check_shape

TORCH_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _frozen(arr: np.ndarray) -> np.ndarray:
    out = np.array(arr, copy=True, order="C")  # one memory layout: the same numbers however built
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class CellParams:
    """Weights of one recurrent cell in PyTorch's layout. Arrays are read-only copies."""

    weight_ih: np.ndarray  # (G*H, D)
    weight_hh: np.ndarray  # (G*H, H)
    bias_ih: np.ndarray  # (G*H,)
    bias_hh: np.ndarray  # (G*H,)

    KIND: ClassVar[str] = "cell"
    GATES: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        g = len(self.GATES)
        dtype = check_dtype(np.asarray(self.weight_ih).dtype if _is_float(self.weight_ih) else np.float64)
        w_ih = as_float_array(self.weight_ih, "weight_ih", dtype)
        if w_ih.ndim != 2:
            raise ValueError(f"weight_ih must be a matrix ({self._rows()}, D); got shape {w_ih.shape}")
        if w_ih.shape[0] % g or w_ih.shape[0] == 0:
            raise ValueError(
                f"weight_ih must have {self._rows()} rows (one block of H rows per gate: "
                f"{', '.join(self.GATES)}); got {w_ih.shape[0]} rows"
            )
        hidden, d = w_ih.shape[0] // g, w_ih.shape[1]
        if d == 0:
            raise ValueError("weight_ih has no columns: the input size D must be at least 1")
        rows = g * hidden
        w_hh = as_float_array(self.weight_hh, "weight_hh", dtype)
        check_shape(w_hh, "weight_hh", (rows, hidden), f"({self._rows()}, H)")
        b_ih = as_float_array(self.bias_ih, "bias_ih", dtype)
        check_shape(b_ih, "bias_ih", (rows,), f"({self._rows()},)")
        b_hh = as_float_array(self.bias_hh, "bias_hh", dtype)
        check_shape(b_hh, "bias_hh", (rows,), f"({self._rows()},)")
        for name, arr in zip(TORCH_KEYS, (w_ih, w_hh, b_ih, b_hh), strict=True):
            object.__setattr__(self, name, _frozen(arr))

    @classmethod
    def _rows(cls) -> str:
        g = len(cls.GATES)
        return "H" if g == 1 else f"{g}H"

    @property
    def input_size(self) -> int:
        return int(self.weight_ih.shape[1])

    @property
    def hidden_size(self) -> int:
        return int(self.weight_hh.shape[1])

    @property
    def dtype(self) -> np.dtype:
        return self.weight_ih.dtype

    def astype(self, dtype: object) -> Self:
        """The same parameters cast to float64 or float32."""
        dt = check_dtype(dtype)
        return type(self)(*(getattr(self, k).astype(dt) for k in TORCH_KEYS))

    def gate_block(self, name: str, gate: str) -> np.ndarray:
        """Rows of ``name`` (one of weight_ih, weight_hh, bias_ih, bias_hh) that belong to ``gate``."""
        if name not in TORCH_KEYS:
            raise ValueError(f"unknown weight {name!r}; expected one of {', '.join(TORCH_KEYS)}")
        if gate not in self.GATES:
            raise ValueError(
                f"unknown gate {gate!r}; the {self.KIND.upper()} gates are {', '.join(self.GATES)}"
            )
        k = self.GATES.index(gate)
        h = self.hidden_size
        return getattr(self, name)[k * h : (k + 1) * h]

    def to_torch(self) -> dict[str, np.ndarray]:
        """The four arrays under PyTorch's names (``weight_ih_l0`` etc. without the ``_l0``)."""
        return {k: np.array(getattr(self, k)) for k in TORCH_KEYS}

    @classmethod
    def from_torch(
        cls,
        weight_ih: object,
        weight_hh: object,
        bias_ih: object | None = None,
        bias_hh: object | None = None,
        dtype: object = np.float64,
    ) -> Self:
        """Build from arrays in PyTorch's layout; missing biases (``bias=False``) become zeros."""
        dt = check_dtype(dtype)
        w_ih = as_float_array(weight_ih, "weight_ih", dt)
        rows = w_ih.shape[0] if w_ih.ndim == 2 else 0
        zeros = np.zeros(rows, dtype=dt)
        return cls(
            w_ih,
            as_float_array(weight_hh, "weight_hh", dt),
            zeros if bias_ih is None else as_float_array(bias_ih, "bias_ih", dt),
            zeros if bias_hh is None else as_float_array(bias_hh, "bias_hh", dt),
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for ``np.savez`` (with the cell kind so a file can be loaded back)."""
        return {**self.to_torch(), "kind": np.array(self.KIND)}


def _is_float(value: object) -> bool:
    return isinstance(value, np.ndarray) and value.dtype in (np.float32, np.float64)


@dataclass(frozen=True, eq=False)
class LSTMParams(CellParams):
    """LSTM weights; gate blocks i (input), f (forget), g (candidate C̃), o (output)."""

    KIND: ClassVar[str] = "lstm"
    GATES: ClassVar[tuple[str, ...]] = ("input", "forget", "candidate", "output")


@dataclass(frozen=True, eq=False)
class GRUParams(CellParams):
    """GRU weights; gate blocks r (reset), z (update), n (candidate)."""

    KIND: ClassVar[str] = "gru"
    GATES: ClassVar[tuple[str, ...]] = ("reset", "update", "candidate")


@dataclass(frozen=True, eq=False)
class RNNParams(CellParams):
    """Plain (Elman, tanh) RNN weights; one block."""

    KIND: ClassVar[str] = "rnn"
    GATES: ClassVar[tuple[str, ...]] = ("hidden",)


PARAMS_BY_KIND: dict[str, type[CellParams]] = {c.KIND: c for c in (LSTMParams, GRUParams, RNNParams)}


def params_from_arrays(arrays: dict[str, np.ndarray], dtype: object = np.float64) -> CellParams:
    """Inverse of ``CellParams.to_arrays`` (e.g. the contents of an ``.npz`` file)."""
    kind = str(arrays.get("kind", "lstm"))
    if kind not in PARAMS_BY_KIND:
        raise ValueError(f"unknown cell kind {kind!r}; expected one of {sorted(PARAMS_BY_KIND)}")
    missing = [k for k in TORCH_KEYS[:2] if k not in arrays]
    if missing:
        raise ValueError(f"the weights are missing {', '.join(missing)}")
    return PARAMS_BY_KIND[kind].from_torch(
        arrays["weight_ih"], arrays["weight_hh"], arrays.get("bias_ih"), arrays.get("bias_hh"), dtype=dtype
    )


def lstm_params_from_torch(
    weight_ih: object,
    weight_hh: object,
    bias_ih: object | None = None,
    bias_hh: object | None = None,
    dtype: object = np.float64,
) -> LSTMParams:
    """LSTM parameters from ``nn.LSTM``'s ``weight_ih_l0`` (4H, D), ``weight_hh_l0`` (4H, H), biases (4H,)."""
    return LSTMParams.from_torch(weight_ih, weight_hh, bias_ih, bias_hh, dtype)


def lstm_params_to_torch(params: LSTMParams) -> dict[str, np.ndarray]:
    """``{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}`` in ``nn.LSTM``'s layout."""
    return params.to_torch()


def gru_params_from_torch(
    weight_ih: object,
    weight_hh: object,
    bias_ih: object | None = None,
    bias_hh: object | None = None,
    dtype: object = np.float64,
) -> GRUParams:
    """GRU parameters from ``nn.GRU``'s arrays: weight_ih (3H, D), weight_hh (3H, H), order r, z, n."""
    return GRUParams.from_torch(weight_ih, weight_hh, bias_ih, bias_hh, dtype)


def gru_params_to_torch(params: GRUParams) -> dict[str, np.ndarray]:
    """``{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}`` in ``nn.GRU``'s layout."""
    return params.to_torch()


def rnn_params_from_torch(
    weight_ih: object,
    weight_hh: object,
    bias_ih: object | None = None,
    bias_hh: object | None = None,
    dtype: object = np.float64,
) -> RNNParams:
    """Plain RNN parameters from ``nn.RNN``'s arrays: weight_ih (H, D), weight_hh (H, H)."""
    return RNNParams.from_torch(weight_ih, weight_hh, bias_ih, bias_hh, dtype)


def rnn_params_to_torch(params: RNNParams) -> dict[str, np.ndarray]:
    """``{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}`` in ``nn.RNN``'s layout."""
    return params.to_torch()
