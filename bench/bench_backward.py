"""Forward + backward (BPTT) timing of the NumPy LSTM's training path (``lstm_core.fast``) against PyTorch's
fused ``nn.LSTM`` + autograd.

float32, T = 50, D = 8, B in (32, 128), H in (16, 64). The upstream gradient on every hidden state is a
fixed random array (torch: ``out.backward(d_hidden)``); neither side computes ∂L/∂x_t (torch's xs do not
require a gradient; NumPy passes ``input_grads=False``, as training does). The contenders are timed
round-robin (one batch of calls each per round), so that they share the machine's noise; NumPy reuses a
``Workspace`` (one core, no helper thread) as a training loop does; printed are the medians over the
rounds of each time and of the per-round ratio NumPy / torch (< 1 means NumPy is faster). torch1 = torch
with ``set_num_threads(1)``, torch* = torch's default thread count.

    OPENBLAS_NUM_THREADS=1 /work/torchvenv/bin/python bench/bench_backward.py
    /work/torchvenv/bin/python bench/bench_backward.py            # OpenBLAS default threads
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_core import init_lstm
from lstm_core.fast import Workspace, lstm_backward, run_lstm

T, D = 50, 8
SHAPES = [(32, 16), (32, 64), (128, 16), (128, 64)]
ROUNDS = 15


def per_call_ms(fn: Callable[[], object], inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        fn()
    return 1e3 * (time.perf_counter() - start) / inner


def numpy_cases(B: int, H: int) -> dict[str, Callable[[], object]]:
    params = init_lstm(D, H, seed=0, dtype=np.float32)
    rng = np.random.default_rng(1)
    xs = rng.normal(size=(B, T, D)).astype(np.float32)
    # δh stored (T, H, B) and seen (B, T, H), as loss_and_grads hands it over; one Workspace per case, as a
    # training loop keeps one (no fresh multi-megabyte arrays per call).
    d_hidden = rng.normal(size=(T, H, B)).astype(np.float32).transpose(2, 0, 1)
    ws_f, ws_b, ws_fb = Workspace(), Workspace(), Workspace()
    trace = run_lstm(params, xs, workspace=Workspace())
    # no ∂L/∂x_t, like torch, whose xs do not require a gradient
    return {
        "np fwd": lambda: run_lstm(params, xs, workspace=ws_f),
        "np bwd": lambda: lstm_backward(params, trace, d_hidden, workspace=ws_b, input_grads=False),
        "np f+b": lambda: lstm_backward(
            params, run_lstm(params, xs, workspace=ws_fb), d_hidden, workspace=ws_fb, input_grads=False
        ),
    }


def torch_case(torch: object, B: int, H: int, threads: int) -> Callable[[], object]:
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(D, H, batch_first=True)
    xs = torch.randn(B, T, D)
    d_hidden = torch.randn(B, T, H)

    def fwd_bwd() -> None:
        torch.set_num_threads(threads)
        lstm.zero_grad(set_to_none=True)
        out, _ = lstm(xs)
        out.backward(d_hidden)

    return fwd_bwd


def main() -> None:
    try:
        import torch
    except ImportError:
        torch = None
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"OPENBLAS_NUM_THREADS={blas}; ms per call (median of {ROUNDS} rounds); T={T}, D={D}, float32")
    cols = ["np fwd", "np bwd", "np f+b"]
    if torch is not None:
        default_threads = torch.get_num_threads()
        cols += ["torch1", "torch*", "ratio1", "ratio*"]
    print(f"{'B':>4} {'H':>3} " + " ".join(f"{c:>7}" for c in cols))
    for B, H in SHAPES:
        cases = numpy_cases(B, H)
        if torch is not None:
            cases["torch1"] = torch_case(torch, B, H, 1)
            cases["torch*"] = torch_case(torch, B, H, default_threads)
        inner = max(2, int(4000 / (B * H) ** 0.75))
        for fn in cases.values():
            fn()  # warm up
        runs: dict[str, list[float]] = {name: [] for name in cols}
        for _ in range(ROUNDS):
            for name, fn in cases.items():
                runs[name].append(per_call_ms(fn, inner))
            if torch is not None:
                runs["ratio1"].append(runs["np f+b"][-1] / runs["torch1"][-1])
                runs["ratio*"].append(runs["np f+b"][-1] / runs["torch*"][-1])
        line = f"{B:>4} {H:>3} " + " ".join(f"{statistics.median(runs[c]):7.3f}" for c in cols)
        print(line, flush=True)
    if torch is not None:
        torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
