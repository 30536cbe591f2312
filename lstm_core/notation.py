r"""The lectures' notations as lossless views of one ``LSTMParams``.

1. **Concatenated** (colah): f_t = σ(W_f·[h_{t-1}, x_t] + b_f), with W_f (H, H + D) whose first H
   columns act on h_{t-1} and last D columns on x_t; b_f = bias_ih_f + bias_hh_f. Likewise i, C, o.
2. **Split** (row vectors): f_t = σ(x_t U_f + h_{t-1} W_f + b_f) with U_f (D, H) = W_if^T and
   W_f (H, H) = W_hf^T. Likewise i, c (the "new information" N_t), o.
3. **PyTorch**: ``params`` itself. **Keras**: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,), gate
   order i, f, c, o (the same order as PyTorch).

The concatenated, split and Keras forms have one bias per gate; converting from them puts it in
``bias_ih`` with ``bias_hh`` = 0. Every view → params → view round trip is exact, and
params → view → params gives a cell whose trace is bit-for-bit the same (the forward pass only ever
uses b_ih + b_hh).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.params import LSTMParams
from lstm_core.validate import as_float_array, check_shape

# gate letter in each notation -> PyTorch's gate name
CONCAT_GATES = {"f": "forget", "i": "input", "C": "candidate", "o": "output"}
SPLIT_GATES = {"f": "forget", "i": "input", "c": "candidate", "o": "output"}


@dataclass(frozen=True, eq=False)
class ConcatWeights:
    """colah's notation: ``W[g]`` (H, H + D) acts on [h_{t-1}, x_t]; ``b[g]`` (H,). g in f, i, C, o."""

    W: dict[str, np.ndarray]
    b: dict[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class SplitWeights:
    """Split notation: ``U[g]`` (D, H) acts on x_t, ``W[g]`` (H, H) on h_{t-1}, ``b[g]`` (H,).

    g in f, i, c, o.
    """

    U: dict[str, np.ndarray]
    W: dict[str, np.ndarray]
    b: dict[str, np.ndarray]


def _bias(params: LSTMParams, gate: str) -> np.ndarray:
    return params.gate_block("bias_ih", gate) + params.gate_block("bias_hh", gate)


def _stack(blocks: dict[str, np.ndarray], letters: dict[str, str]) -> np.ndarray:
    """Stack per-gate blocks in PyTorch's gate order."""
    by_name = {name: letter for letter, name in letters.items()}
    return np.concatenate([blocks[by_name[name]] for name in LSTMParams.GATES], axis=0)


def _checked(
    blocks: dict[str, object], letters: dict[str, str], name: str, shape: tuple[int, ...], formula: str
):
    missing = sorted(set(letters) - set(blocks))
    if missing:
        raise ValueError(f"{name} is missing the gate(s) {', '.join(missing)}; expected {', '.join(letters)}")
    out = {}
    for g in letters:
        arr = as_float_array(blocks[g], f"{name}[{g!r}]")
        check_shape(arr, f"{name}[{g!r}]", shape, formula)
        out[g] = arr
    return out


def _hidden_size(b: dict[str, object]) -> int:
    """H, read from the forget gate's bias (H,): the one block whose shape cannot be transposed."""
    if "f" not in b:
        raise ValueError("b is missing the gate 'f'; every gate needs a bias vector (H,)")
    first = np.asarray(b["f"])
    if first.ndim != 1 or first.size == 0:
        raise ValueError(f"b['f'] must be a vector (H,) with H >= 1; got shape {first.shape}")
    return int(first.size)


def to_concat(params: LSTMParams) -> ConcatWeights:
    """colah's W·[h_{t-1}, x_t] view of ``params``."""
    W = {
        g: np.concatenate([params.gate_block("weight_hh", n), params.gate_block("weight_ih", n)], axis=1)
        for g, n in CONCAT_GATES.items()
    }
    return ConcatWeights(W=W, b={g: _bias(params, n) for g, n in CONCAT_GATES.items()})


def from_concat(view: ConcatWeights, input_size: int) -> LSTMParams:
    """Inverse of ``to_concat``; ``input_size`` (D) tells where h ends and x begins in [h, x]."""
    H = _hidden_size(view.b)
    W = _checked(view.W, CONCAT_GATES, "W", (H, H + input_size), "(H, H + D)")
    b = _checked(view.b, CONCAT_GATES, "b", (H,), "(H,)")
    w = _stack(W, CONCAT_GATES)
    bias = _stack(b, CONCAT_GATES)
    return LSTMParams(w[:, H:], w[:, :H], bias, np.zeros_like(bias))


def to_split(params: LSTMParams) -> SplitWeights:
    """The split U (input) / W (recurrent) view, row-vector convention x_t U + h_{t-1} W + b."""
    return SplitWeights(
        U={g: params.gate_block("weight_ih", n).T.copy() for g, n in SPLIT_GATES.items()},
        W={g: params.gate_block("weight_hh", n).T.copy() for g, n in SPLIT_GATES.items()},
        b={g: _bias(params, n) for g, n in SPLIT_GATES.items()},
    )


def from_split(view: SplitWeights) -> LSTMParams:
    """Inverse of ``to_split``."""
    H = _hidden_size(view.b)
    first = np.asarray(view.U.get("f", np.zeros((0, 0))))
    D = 0
    if first.ndim == 2:  # (D, H), or (H, D) when transposed (reported as such below)
        D = first.shape[0] if first.shape[1] == H else first.shape[1]
    U = _checked(view.U, SPLIT_GATES, "U", (D, H), "(D, H)")
    W = _checked(view.W, SPLIT_GATES, "W", (H, H), "(H, H)")
    b = _checked(view.b, SPLIT_GATES, "b", (H,), "(H,)")
    bias = _stack(b, SPLIT_GATES)
    return LSTMParams(
        _stack({g: u.T for g, u in U.items()}, SPLIT_GATES),
        _stack({g: w.T for g, w in W.items()}, SPLIT_GATES),
        bias,
        np.zeros_like(bias),
    )


def lstm_params_to_keras(params: LSTMParams) -> dict[str, np.ndarray]:
    """Keras' ``LSTM`` layer weights: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,)."""
    return {
        "kernel": params.weight_ih.T.copy(),
        "recurrent_kernel": params.weight_hh.T.copy(),
        "bias": params.bias_ih + params.bias_hh,
    }


def lstm_params_from_keras(
    kernel: object, recurrent_kernel: object, bias: object | None = None
) -> LSTMParams:
    """From Keras' ``LSTM`` weights (gate order i, f, c, o, the same as PyTorch's)."""
    k = as_float_array(kernel, "kernel")
    rk = as_float_array(recurrent_kernel, "recurrent_kernel")
    if k.ndim != 2 or rk.ndim != 2:
        raise ValueError(f"kernel must be (D, 4H) and recurrent_kernel (H, 4H); got {k.shape} and {rk.shape}")
    H = min(rk.shape) if max(rk.shape) == 4 * min(rk.shape) else rk.shape[0]  # (H, 4H), even if transposed
    check_shape(rk, "recurrent_kernel", (H, 4 * H), "(H, 4H)")
    D = k.shape[0] if k.shape[1] == 4 * H else k.shape[1]  # (D, 4H), or (4H, D) when transposed
    check_shape(k, "kernel", (D, 4 * H), "(D, 4H)")
    b = np.zeros(4 * H) if bias is None else as_float_array(bias, "bias")
    check_shape(b, "bias", (4 * H,), "(4H,)")
    return LSTMParams(k.T, rk.T, b, np.zeros_like(b))
