"""Write the forward-pass golden fixtures ``tests/golden/forward_*.npz`` from PyTorch (float64).

Usage: ``/work/torchvenv/bin/python tests/golden/make_forward_golden.py``  (needs torch; the tests do not).

Each case seeds torch (``torch.manual_seed``), builds ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` in float64,
and stores its weights, the inputs, h0/c0 (when the case gives them), torch's output sequence and final
states. ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` do not expose their gates, so the gates, pre-activations and
parts (every per-step value of the core's traces, under the traces' field names) come from an independent
per-step torch loop (``torch.sigmoid``/``torch.tanh`` on torch's own weights); before saving, that loop's
hidden states and final states must equal the fused module's output. The files are written with a fixed
zip timestamp so re-running the script reproduces them byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from npz_writer import write_npz

HERE = Path(__file__).resolve().parent
LOOP_VS_MODULE_TOL = 1e-12  # float64 loop versus fused kernel: different summation order only

# name: (kind, batch B or None for one unbatched sequence, T, D, H, give h0/c0, bias, seed)
CASES: dict[str, tuple[str, int | None, int, int, int, bool, bool, int]] = {
    "lstm_single_zero_state": ("lstm", None, 5, 3, 4, False, True, 0),
    "lstm_batch_given_state": ("lstm", 3, 6, 5, 2, True, True, 1),
    "lstm_t1_given_state": ("lstm", None, 1, 4, 6, True, True, 2),
    "lstm_batch_t1_square": ("lstm", 2, 1, 3, 3, False, True, 3),
    "lstm_batch_square_nobias": ("lstm", 2, 8, 4, 4, True, False, 4),
    "gru_single_zero_state": ("gru", None, 5, 3, 4, False, True, 10),
    "gru_batch_given_state": ("gru", 3, 6, 2, 5, True, True, 11),
    "gru_t1_given_state": ("gru", None, 1, 5, 3, True, True, 12),
    "rnn_single_zero_state": ("rnn", None, 5, 3, 4, False, True, 20),
    "rnn_batch_given_state": ("rnn", 3, 6, 4, 2, True, True, 21),
    "rnn_t1_given_state": ("rnn", None, 1, 2, 5, True, True, 22),
}

MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def lstm_loop(w_ih, w_hh, b_ih, b_hh, xs, h, c) -> dict[str, torch.Tensor]:
    """Per-step LSTM with torch ops; xs (B, T, D), h, c (B, H). Returns (B, T, H) tensors."""
    names = ("pre_input", "pre_forget", "pre_candidate", "pre_output", "input", "forget", "candidate")
    names += ("output", "forget_part", "input_part", "cell", "cell_tanh", "hidden")
    out: dict[str, list[torch.Tensor]] = {k: [] for k in names}
    for t in range(xs.shape[1]):
        zi, zf, zg, zo = (xs[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
        i, f, g, o = torch.sigmoid(zi), torch.sigmoid(zf), torch.tanh(zg), torch.sigmoid(zo)
        cf, ci = f * c, i * g
        c = cf + ci
        tc = torch.tanh(c)
        h = o * tc
        for name, v in zip(out, (zi, zf, zg, zo, i, f, g, o, cf, ci, c, tc, h), strict=True):
            out[name].append(v)
    return {k: torch.stack(v, dim=1) for k, v in out.items()}


def gru_loop(w_ih, w_hh, b_ih, b_hh, xs, h) -> dict[str, torch.Tensor]:
    """Per-step GRU with torch ops (nn.GRU's equations); xs (B, T, D), h (B, H)."""
    names = ("reset_from_x", "update_from_x", "candidate_from_x", "reset_from_h", "update_from_h")
    names += ("candidate_from_h", "reset", "update", "candidate", "hidden")
    out: dict[str, list[torch.Tensor]] = {k: [] for k in names}
    for t in range(xs.shape[1]):
        xr, xz, xn = (xs[:, t] @ w_ih.T + b_ih).chunk(3, dim=1)
        hr, hz, hn = (h @ w_hh.T + b_hh).chunk(3, dim=1)
        r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
        n = torch.tanh(xn + r * hn)
        h = (1 - z) * n + z * h
        for name, v in zip(out, (xr, xz, xn, hr, hz, hn, r, z, n, h), strict=True):
            out[name].append(v)
    return {k: torch.stack(v, dim=1) for k, v in out.items()}


def rnn_loop(w_ih, w_hh, b_ih, b_hh, xs, h) -> dict[str, torch.Tensor]:
    """Per-step tanh RNN with torch ops (nn.RNN's equations); xs (B, T, D), h (B, H)."""
    out: dict[str, list[torch.Tensor]] = {k: [] for k in ("from_h", "from_x", "pre_hidden", "hidden")}
    for t in range(xs.shape[1]):
        wh, wx = h @ w_hh.T, xs[:, t] @ w_ih.T
        z = wh + wx + (b_ih + b_hh)
        h = torch.tanh(z)
        for name, v in zip(out, (wh, wx, z, h), strict=True):
            out[name].append(v)
    return {k: torch.stack(v, dim=1) for k, v in out.items()}


def make_case(kind: str, B: int | None, T: int, D: int, H: int, give_state: bool, bias: bool, seed: int):
    torch.manual_seed(seed)
    module = MODULES[kind](D, H, bias=bias, batch_first=True).double()
    xs = torch.randn(B or 1, T, D, dtype=torch.float64)  # (B, T, D)
    states = [torch.randn(1, B or 1, H, dtype=torch.float64) for _ in range(2 if kind == "lstm" else 1)]
    with torch.no_grad():
        x_in = xs if B else xs[0]  # nn.* accepts an unbatched (T, D) sequence with (1, H) states
        s_in = [s if B else s[:, 0] for s in states]
        if kind == "lstm":
            y, (h_n, c_n) = module(x_in, tuple(s_in) if give_state else None)
        else:
            y, h_n = module(x_in, s_in[0] if give_state else None)
            c_n = None
        y = y if B else y[None]
        h_n = h_n[0] if B else h_n
        w = {k: getattr(module, f"{k}_l0").detach() for k in ("weight_ih", "weight_hh")}
        zero = torch.zeros(w["weight_ih"].shape[0], dtype=torch.float64)
        b = {k: getattr(module, f"{k}_l0").detach() if bias else zero for k in ("bias_ih", "bias_hh")}
        h = states[0][0] if give_state else torch.zeros(B or 1, H, dtype=torch.float64)
        if kind == "lstm":
            c = states[1][0] if give_state else torch.zeros(B or 1, H, dtype=torch.float64)
            loop = lstm_loop(*w.values(), *b.values(), xs, h, c)
        elif kind == "gru":
            loop = gru_loop(*w.values(), *b.values(), xs, h)
        else:
            loop = rnn_loop(*w.values(), *b.values(), xs, h)

    # The independent loop must reproduce the fused module before its gates are trusted.
    gap = (loop["hidden"] - y).abs().max().item()
    gap = max(gap, (loop["hidden"][:, -1] - h_n.reshape(B or 1, H)).abs().max().item())
    if c_n is not None:
        c_n_b = c_n[0] if B else c_n
        gap = max(gap, (loop["cell"][:, -1] - c_n_b.reshape(B or 1, H)).abs().max().item())
    assert gap < LOOP_VS_MODULE_TOL, f"torch loop disagrees with nn.{kind.upper()}: {gap}"

    def seq(t: torch.Tensor) -> np.ndarray:  # (B, T, ·) -> the core's orientation
        a = t.numpy()
        return a if B else a[0]

    def state(t: torch.Tensor) -> np.ndarray:  # (1, B, H) or (1, H) -> (B, H) or (H,)
        return t.reshape(B or 1, H).numpy() if B else t.reshape(H).numpy()

    arrays = {"kind": np.array(kind), "xs": seq(xs), "hidden": seq(y), "h_n": state(h_n)}
    arrays.update({k: v.numpy() for k, v in w.items()})
    if bias:
        arrays.update({k: v.numpy() for k, v in b.items()})
    if give_state:
        arrays["h0"] = state(states[0])
        if kind == "lstm":
            arrays["c0"] = state(states[1])
    if c_n is not None:
        arrays["c_n"] = state(c_n)
    arrays.update({k: seq(v) for k, v in loop.items() if k != "hidden"})
    return arrays


def main() -> None:
    torch.set_num_threads(1)
    for old in HERE.glob("forward_*.npz"):
        old.unlink()
    for name, case in CASES.items():
        path = HERE / f"forward_{name}.npz"
        write_npz(path, make_case(*case))
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
