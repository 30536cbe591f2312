"""Time the gate trace (the forward pass the pages recompute on every edit) against PyTorch.

B = 1, float64, D = H (the input size equals the hidden size), T in (10, 200, 1000), H in (4, 16, 64).
For each shape: the NumPy ``run_lstm`` trace, and when torch is importable (1 thread) the fused
``nn.LSTM`` in float64 and in float32 (it shows no gates; float32 runs oneDNN's fused kernel, float64
steps in C++) and a float64 torch per-step loop that records every gate (input projection as one matmul
before the loop, then per step h @ W_hh^T, sigmoid/tanh, stored). The loop's gates are checked against
the NumPy trace (1e-10) so both compute the same thing. ``run_gru`` and ``run_rnn`` are timed at the
same shapes. Medians of repeats; ratios come from the same run.

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python bench/bench_trace.py [--quick] [--no-torch]

Target (shared/PERFORMANCE.md): T = 200, H = 16 trace <= 1 ms and >= 5x faster than the torch loop.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_core import init_gru, init_lstm, init_rnn, run_gru, run_lstm, run_rnn

STEPS = (10, 200, 1000)
HIDDEN = (4, 16, 64)
TARGET = (200, 16)  # (T, H)


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    """Median over ``repeats`` of the mean time of enough back-to-back calls to last >= ~2 ms."""
    fn()
    start = time.perf_counter()
    fn()
    inner = max(1, int(2e-3 / max(time.perf_counter() - start, 1e-7)))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return 1e3 * statistics.median(times)


def torch_cases(params, xs: np.ndarray) -> tuple[Callable[[], object], ...]:
    """(fused nn.LSTM float64, fused float32, per-step loop recording the gates) on ``params``, ``xs``."""
    import torch

    T, D = xs.shape
    H = params.hidden_size
    lstm = torch.nn.LSTM(D, H).double()
    with torch.no_grad():
        for name, value in params.to_torch().items():
            getattr(lstm, f"{name}_l0").copy_(torch.from_numpy(value))
    lstm32 = torch.nn.LSTM(D, H).float()
    lstm32.load_state_dict({k: v.float() for k, v in lstm.state_dict().items()})
    x = torch.from_numpy(xs)
    x32 = x.float()
    w_hh_t = torch.from_numpy(params.weight_hh.T.copy())
    w_ih_t = torch.from_numpy(params.weight_ih.T.copy())
    bias = torch.from_numpy(params.bias_ih + params.bias_hh)

    def fused() -> object:
        with torch.no_grad():
            return lstm(x)

    def fused32() -> object:  # float32 takes oneDNN's truly fused kernel; float64 steps in C++
        with torch.no_grad():
            return lstm32(x32)

    def loop() -> dict[str, torch.Tensor]:
        with torch.no_grad():
            zx = torch.addmm(bias, x, w_ih_t)  # (T, 4H): the input projection of every step at once
            h, c = torch.zeros(H, dtype=torch.float64), torch.zeros(H, dtype=torch.float64)
            rec: dict[str, list[torch.Tensor]] = {k: [] for k in ("input", "forget", "candidate", "output")}
            rec.update(cell=[], hidden=[])
            for t in range(T):
                zi, zf, zg, zo = (zx[t] + h @ w_hh_t).chunk(4)
                i, f, g, o = torch.sigmoid(zi), torch.sigmoid(zf), torch.tanh(zg), torch.sigmoid(zo)
                c = f * c + i * g
                h = o * torch.tanh(c)
                for k, v in zip(rec, (i, f, g, o, c, h), strict=True):
                    rec[k].append(v)
            return {k: torch.stack(v) for k, v in rec.items()}

    trace = run_lstm(params, xs)
    for name, value in loop().items():  # like with like: the loop records what the trace shows
        gap = float(np.max(np.abs(value.numpy() - getattr(trace, name))))
        assert gap < 1e-10, f"torch loop and NumPy trace disagree on {name}: {gap}"
    return fused, fused32, loop


def blas_note() -> str:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # informational only
        name = "unknown BLAS"
    env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}
    return f"numpy {np.__version__} ({name}); " + ", ".join(f"{k}={v}" for k, v in env.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    parser.add_argument("--no-torch", action="store_true", help="skip the torch columns")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    have_torch = False
    if not args.no_torch:
        try:
            import torch

            torch.set_num_threads(1)
            have_torch = True
            print(f"torch {torch.__version__}, 1 thread")
        except ImportError:
            print("torch not importable: NumPy columns only")
    print(blas_note())
    print(f"B = 1, float64, D = H; median of {repeats} repeats, ms per trace\n")

    head = f"{'T':>5} {'H':>3} | {'lstm':>8} {'gru':>8} {'rnn':>8}"
    if have_torch:
        head += f" | {'fused':>8} {'fused32':>8} {'loop':>8} | {'loop/lstm':>9} {'lstm/fused':>10}"
    print(head)
    print("-" * len(head))
    target = None
    for T in STEPS:
        for H in HIDDEN:
            rng = np.random.default_rng(0)
            xs = rng.normal(size=(T, H))
            lstm, gru, rnn = init_lstm(H, H, seed=0), init_gru(H, H, seed=0), init_rnn(H, H, seed=0)
            t_lstm = median_ms(lambda lstm=lstm, xs=xs: run_lstm(lstm, xs), repeats)
            t_gru = median_ms(lambda gru=gru, xs=xs: run_gru(gru, xs), repeats)
            t_rnn = median_ms(lambda rnn=rnn, xs=xs: run_rnn(rnn, xs), repeats)
            row = f"{T:>5} {H:>3} | {t_lstm:8.3f} {t_gru:8.3f} {t_rnn:8.3f}"
            if have_torch:
                fused, fused32, loop = torch_cases(lstm, xs)
                t_fused, t_32, t_loop = (median_ms(f, repeats) for f in (fused, fused32, loop))
                row += f" | {t_fused:8.3f} {t_32:8.3f} {t_loop:8.3f}"
                row += f" | {t_loop / t_lstm:8.1f}x {t_lstm / t_fused:9.1f}x"
                if (T, H) == TARGET:
                    target = (t_lstm, t_loop / t_lstm)
            elif (T, H) == TARGET:
                target = (t_lstm, None)
            print(row, flush=True)
    if target is not None:
        t, speedup = target
        verdict = "met" if t <= 1.0 and (speedup is None or speedup >= 5.0) else "NOT met"
        vs = f", {speedup:.1f}x faster than the torch loop (>= 5x)" if speedup is not None else ""
        print(f"\ntarget T=200, H=16: trace {t:.3f} ms (<= 1 ms){vs}: {verdict}")


if __name__ == "__main__":
    main()
