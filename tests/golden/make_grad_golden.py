"""Write the backward-pass golden fixtures ``tests/golden/grads_*.npz`` from PyTorch autograd (float64).

Usage: ``/work/torchvenv/bin/python tests/golden/make_grad_golden.py``  (needs torch; the tests do not).

Each case seeds torch, builds ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` in float64 and a random upstream
gradient δh on every hidden state (and, for some LSTM cases, δC on the last cell state), and takes the
loss L = Σ δh · h + Σ δC · C_T. Torch's gradients of L for the four parameter arrays, the inputs and
the initial states come from the fused module. The *total* gradients ∂L/∂h_t and ∂L/∂C_t at every step
(what flows back from later steps included) come from an independent per-step torch loop on the same
weights with ``retain_grad()`` on every h_t and C_t; before saving, that loop's parameter gradients must
equal the fused module's. The files have a fixed zip timestamp, so re-running reproduces them exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from npz_writer import write_npz

HERE = Path(__file__).resolve().parent
LOOP_VS_MODULE_TOL = 1e-12  # float64 loop versus fused kernel: summation order only
KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

# name: (kind, batch B or None for one unbatched sequence, T, D, H, zero initial state, δC given, seed)
CASES: dict[str, tuple[str, int | None, int, int, int, bool, bool, int]] = {
    "lstm_single_zero_state": ("lstm", None, 5, 3, 4, True, True, 100),
    "lstm_batch": ("lstm", 3, 6, 5, 2, False, True, 101),
    "lstm_t1": ("lstm", None, 1, 4, 6, False, True, 102),
    "lstm_batch_t1_no_dcell": ("lstm", 2, 1, 3, 3, False, False, 103),
    "lstm_batch_long_no_dcell": ("lstm", 4, 12, 2, 3, False, False, 104),
    "gru_single_zero_state": ("gru", None, 5, 3, 4, True, False, 110),
    "gru_batch": ("gru", 3, 6, 2, 5, False, False, 111),
    "gru_t1": ("gru", None, 1, 5, 3, False, False, 112),
    "rnn_single_zero_state": ("rnn", None, 5, 3, 4, True, False, 120),
    "rnn_batch": ("rnn", 3, 6, 4, 2, False, False, 121),
    "rnn_t1": ("rnn", None, 1, 2, 5, False, False, 122),
}

MODULES = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def loop_step(
    kind: str, w: dict[str, torch.Tensor], x: torch.Tensor, h: torch.Tensor, c: torch.Tensor | None
):
    """One step of the cell with plain torch ops (PyTorch's equations); x (B, D), h, c (B, H)."""
    if kind == "lstm":
        zi, zf, zg, zo = (x @ w["weight_ih"].T + w["bias_ih"] + h @ w["weight_hh"].T + w["bias_hh"]).chunk(
            4, 1
        )
        c = torch.sigmoid(zf) * c + torch.sigmoid(zi) * torch.tanh(zg)
        return torch.sigmoid(zo) * torch.tanh(c), c
    if kind == "gru":
        xr, xz, xn = (x @ w["weight_ih"].T + w["bias_ih"]).chunk(3, 1)
        hr, hz, hn = (h @ w["weight_hh"].T + w["bias_hh"]).chunk(3, 1)
        r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
        n = torch.tanh(xn + r * hn)
        return (1 - z) * n + z * h, None
    return torch.tanh(x @ w["weight_ih"].T + w["bias_ih"] + h @ w["weight_hh"].T + w["bias_hh"]), None


def make_case(kind: str, B: int | None, T: int, D: int, H: int, zero_state: bool, d_cell: bool, seed: int):
    torch.manual_seed(seed)
    module = MODULES[kind](D, H, batch_first=True).double()
    nb = B or 1
    xs = torch.randn(nb, T, D, dtype=torch.float64)
    n_states = 2 if kind == "lstm" else 1
    states = [torch.zeros(nb, H) if zero_state else torch.randn(nb, H) for _ in range(n_states)]
    states = [s.double() for s in states]
    d_hidden = torch.randn(nb, T, H, dtype=torch.float64)
    d_cell_last = torch.randn(nb, H, dtype=torch.float64) if d_cell else torch.zeros(nb, H).double()

    # fused module
    x_in = xs.clone().requires_grad_()
    s_in = [s[None].clone().requires_grad_() for s in states]  # (1, B, H)
    if kind == "lstm":
        y, (_, c_n) = module(x_in, tuple(s_in))
        loss = (y * d_hidden).sum() + (c_n[0] * d_cell_last).sum()
    else:
        y, _ = module(x_in, s_in[0])
        loss = (y * d_hidden).sum()
    loss.backward()
    fused = {k: getattr(module, f"{k}_l0").grad for k in KEYS}

    # independent per-step loop, keeping every h_t and C_t
    w = {k: getattr(module, f"{k}_l0").detach().clone().requires_grad_() for k in KEYS}
    h, c = states[0].clone(), (states[1].clone() if kind == "lstm" else None)
    hs, cs = [], []
    for t in range(T):
        h, c = loop_step(kind, w, xs[:, t], h, c)
        h.retain_grad()
        hs.append(h)
        if c is not None:
            c.retain_grad()
            cs.append(c)
    loss_loop = sum((hs[t] * d_hidden[:, t]).sum() for t in range(T))
    if kind == "lstm":
        loss_loop = loss_loop + (cs[-1] * d_cell_last).sum()
    loss_loop.backward()
    gap = max((w[k].grad - fused[k]).abs().max().item() for k in KEYS)
    assert gap < LOOP_VS_MODULE_TOL, f"torch loop disagrees with nn.{kind.upper()}: {gap}"

    def seq(t: torch.Tensor) -> np.ndarray:  # (B, T, ·) -> the core's orientation
        a = t.detach().numpy()
        return a if B else a[0]

    def state(t: torch.Tensor) -> np.ndarray:  # (B, H) or (1, B, H) -> (B, H) or (H,)
        a = t.detach().numpy().reshape(nb, H)
        return a if B else a[0]

    arrays = {"kind": np.array(kind), "xs": seq(xs), "h0": state(states[0]), "d_hidden": seq(d_hidden)}
    arrays.update({k: getattr(module, f"{k}_l0").detach().numpy() for k in KEYS})
    arrays.update({f"grad_{k}": v.numpy() for k, v in fused.items()})
    arrays["grad_xs"] = seq(x_in.grad)
    arrays["grad_h0"] = state(s_in[0].grad)
    arrays["d_hidden_total"] = seq(torch.stack([h.grad for h in hs], dim=1))
    if kind == "lstm":
        arrays["c0"] = state(states[1])
        arrays["grad_c0"] = state(s_in[1].grad)
        arrays["d_cell_total"] = seq(torch.stack([c.grad for c in cs], dim=1))
        if d_cell:
            arrays["d_cell_last"] = state(d_cell_last)
    return arrays


def main() -> None:
    torch.set_num_threads(1)
    for old in HERE.glob("grads_*.npz"):
        old.unlink()
    for name, case in CASES.items():
        path = HERE / f"grads_{name}.npz"
        write_npz(path, make_case(*case))
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
