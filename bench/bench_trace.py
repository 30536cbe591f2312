"""Time the gate trace: the readable reference the pages run, the fast training path, and PyTorch.

Part 1: B = 1, float64, D = H (the input size equals the hidden size), T in (10, 200, 1000), H in
(4, 16, 64). For each shape: the LSTM trace of the reference (``lstm_core.run_lstm``) and of the fast path
(``lstm_core.fast.run_lstm``), and when torch is importable (1 thread) the fused ``nn.LSTM`` in float64
and in float32 (it shows no gates; float32 runs oneDNN's fused kernel, float64 steps in C++) and a
float64 torch per-step loop that records every value the trace holds (input projection as one matmul
before the loop, then per step h @ W_hh^T, the pre-activations, gates, C^f, C^i, C, tanh C, h, stored).
The loop's values are checked against the fast trace (1e-10) so both compute the same thing. The GRU
and the RNN (reference and fast) are timed at the same shapes.

Part 2: the pages' long texts: a 2,000-word text (T = 2000, B = 1, float64) at D = 16, H = 8 and
D = 19, H = 64, each cell's reference trace (what a page recomputes on every edit) and its fast trace.

Medians of repeats, every case of a row timed in turns; ratios come from the same run.

    OPENBLAS_NUM_THREADS=1 /work/torchvenv/bin/python bench/bench_trace.py [--quick] [--no-torch]

Targets (shared/PERFORMANCE.md): T = 200, H = 16: fast trace >= 5x faster than the torch loop;
T = 2000: reference trace well under 30 ms.
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

from lstm_core import fast, init_gru, init_lstm, init_rnn, run_gru, run_lstm, run_rnn

STEPS = (10, 200, 1000)
HIDDEN = (4, 16, 64)
TARGET = (200, 16)  # (T, H)
PAGE_TEXTS = ((16, 8), (19, 64))  # (D, H) at T = 2000
PAGE_T, PAGE_BUDGET_MS = 2000, 30.0
LOOP_FIELDS = ("pre_input", "pre_forget", "pre_candidate", "pre_output", "input", "forget", "candidate")
LOOP_FIELDS += ("output", "forget_part", "input_part", "cell", "cell_tanh", "hidden")


def interleaved_ms(cases: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, float]]:
    """Per case, the median (wall, CPU) ms per call over ``repeats`` rounds; each round times every case
    once (back-to-back calls lasting >= ~2 ms), so that a burst of load on the shared machine hits them
    alike. CPU time (``time.process_time``) leaves out the time the process waited for a core."""
    inner = {}
    for name, fn in cases.items():
        fn()
        start = time.perf_counter()
        fn()
        inner[name] = max(1, int(2e-3 / max(time.perf_counter() - start, 1e-7)))
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            w, c = time.perf_counter(), time.process_time()
            for _ in range(inner[name]):
                fn()
            wall[name].append((time.perf_counter() - w) / inner[name])
            cpu[name].append((time.process_time() - c) / inner[name])
    return {n: (1e3 * statistics.median(wall[n]), 1e3 * statistics.median(cpu[n])) for n in cases}


def torch_cases(params, xs: np.ndarray) -> tuple[Callable[[], object], ...]:
    """(fused nn.LSTM float64, fused float32, per-step loop recording the trace) on ``params``, ``xs``."""
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
            rec: dict[str, list[torch.Tensor]] = {k: [] for k in LOOP_FIELDS}
            for t in range(T):
                zi, zf, zg, zo = (zx[t] + h @ w_hh_t).chunk(4)
                i, f, g, o = torch.sigmoid(zi), torch.sigmoid(zf), torch.tanh(zg), torch.sigmoid(zo)
                cf, ci = f * c, i * g
                c = cf + ci
                tc = torch.tanh(c)
                h = o * tc
                for k, v in zip(rec, (zi, zf, zg, zo, i, f, g, o, cf, ci, c, tc, h), strict=True):
                    rec[k].append(v)
            return {k: torch.stack(v) for k, v in rec.items()}

    trace = fast.run_lstm(params, xs)
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


CELLS = {"lstm": (run_lstm, fast.run_lstm, init_lstm), "gru": (run_gru, fast.run_gru, init_gru)}
CELLS["rnn"] = (run_rnn, fast.run_rnn, init_rnn)


def numpy_cases(D: int, H: int, xs: np.ndarray) -> dict[str, Callable[[], object]]:
    """ "<cell> ref" and "<cell> fast" for each cell, on seeded weights."""
    cases = {}
    for name, (ref, fst, init) in CELLS.items():
        params = init(D, H, seed=0)
        cases[f"{name} ref"] = lambda ref=ref, params=params: ref(params, xs)
        cases[f"{name} fast"] = lambda fst=fst, params=params: fst(params, xs)
    return cases


def shapes_table(repeats: int, have_torch: bool) -> tuple[float, float | None]:
    """Part 1; returns (fast ms, torch loop / fast) at ``TARGET``."""
    head = f"{'T':>5} {'H':>3} | " + " ".join(f"{name + ' ref':>8} {'fast':>7}" for name in CELLS)
    if have_torch:
        head += f" | {'fused':>7} {'fused32':>7} {'loop':>7} | {'loop/fast':>9} {'ref/fast':>8}"
    print(head)
    print("-" * len(head))
    target: tuple[float, float | None] = (float("nan"), None)
    for T in STEPS:
        for H in HIDDEN:
            xs = np.random.default_rng(0).normal(size=(T, H))
            cases = numpy_cases(H, H, xs)
            if have_torch:
                cases.update(
                    zip(("fused", "fused32", "loop"), torch_cases(init_lstm(H, H, seed=0), xs), strict=True)
                )
            t = {name: wall for name, (wall, _) in interleaved_ms(cases, repeats).items()}
            row = f"{T:>5} {H:>3} | " + " ".join(f"{t[n + ' ref']:8.3f} {t[n + ' fast']:7.3f}" for n in CELLS)
            speedup = None
            if have_torch:
                speedup = t["loop"] / t["lstm fast"]
                row += f" | {t['fused']:7.3f} {t['fused32']:7.3f} {t['loop']:7.3f}"
                row += f" | {speedup:8.1f}x {t['lstm ref'] / t['lstm fast']:7.1f}x"
            if (T, H) == TARGET:
                target = (t["lstm fast"], speedup)
            print(row, flush=True)
    return target


def page_texts(repeats: int) -> float:
    """Part 2; returns the slowest reference LSTM trace (ms, wall)."""
    print(f"\nPart 2: a {PAGE_T:,}-word text, B = 1, float64; ms per trace, wall (CPU)")
    head = f"{'D':>3} {'H':>3} | " + " | ".join(f"{name + ' ref':>15} {'fast':>15}" for name in CELLS)
    print(head)
    print("-" * len(head))
    worst = 0.0
    for D, H in PAGE_TEXTS:
        xs = np.random.default_rng(1).normal(size=(PAGE_T, D))
        t = interleaved_ms(numpy_cases(D, H, xs), repeats)
        worst = max(worst, t["lstm ref"][0])
        cells = (
            " ".join(f"{t[n + k][0]:7.2f} ({t[n + k][1]:5.2f})" for k in (" ref", " fast")) for n in CELLS
        )
        print(f"{D:>3} {H:>3} | " + " | ".join(cells), flush=True)
    return worst


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
    print(f"Part 1: B = 1, float64, D = H; median of {repeats} repeats, ms per trace\n")
    t_fast, speedup = shapes_table(repeats, have_torch)
    worst = page_texts(repeats)
    vs = f"{speedup:.1f}x faster than the torch loop (>= 5x)" if speedup is not None else "no torch"
    print(f"\ntarget T=200, H=16: fast trace {t_fast:.3f} ms, {vs}")
    verdict = "met" if worst <= PAGE_BUDGET_MS else "NOT met"
    budget = f"<= {PAGE_BUDGET_MS:.0f} ms"
    print(f"target T={PAGE_T}: slowest reference LSTM trace {worst:.1f} ms ({budget}): {verdict}")


if __name__ == "__main__":
    main()
