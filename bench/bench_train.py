"""Training speed: time for the live lab's LSTM to reach 95 % on memory span (gap 50), and the time of one
training step (forward + backward + Adam) against PyTorch's fused ``nn.LSTM`` + autograd + Adam.

Part 1 (target: ≤ 10 s on the 2-core machines): ``train`` with ``LIVE_LAB_CONFIG`` on
``live_lab(seed)`` data (``lstm_core/train/live_lab.py``: gap 50, curriculum min_gap 1, H 16, forget
bias 3, lr 0.01, B 32, float32; 300 held-out sequences checked every 25 steps, stop at 95 %). One run
per seed; per seed the steps, the training wall time and the data-generation time; median and max of
the time to 95 % (data + training; a seed that misses the target counts as infinite).

Part 2 (target: ≤ 1.5× torch): one step at T = 50, D = 8, K = 4, B in (32, 128), H in (16, 64),
float32, last-step cross-entropy through a linear readout, clip 1.0, Adam, both sides; NumPy with a
``Workspace(threads=1)`` (one core, with ``OPENBLAS_NUM_THREADS=1``) and ``Workspace(threads=2)`` (a
helper thread sums the weight gradients during the backward loop: two cores), torch with
``set_num_threads(1)`` and with its default thread count. The four are timed in turns (15 rounds of 10
steps each) and the medians compared; ratios are NumPy / torch at the same number of cores.

Part 3 (``--profile``): where a NumPy step goes at B = 32, H = 16: batching + one-hot, forward,
readout + loss, backward, Adam, rebuilding the model (each part timed alone, medians).

    OPENBLAS_NUM_THREADS=1 /work/torchvenv/bin/python bench/bench_train.py [--no-torch] [--profile]
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

from lstm_core.fast import Workspace
from lstm_core.train import (
    CELLS,
    Batch,
    adam_init,
    adam_step,
    cross_entropy,
    init_model,
    loss_and_grads,
    one_hot,
    one_hot_table,
    readout,
    readout_backward,
    train,
)
from lstm_core.train.batching import Encoded
from lstm_core.train.live_lab import LIVE_LAB_CONFIG, LIVE_LAB_TASK, live_lab

T, D, K = 50, 8, 4
SHAPES = [(32, 16), (32, 64), (128, 16), (128, 64)]


def time_to_target(seeds: list[int]) -> None:
    c = LIVE_LAB_CONFIG
    print(
        f"Part 1: live lab, memory span {dict(LIVE_LAB_TASK)}; LSTM H={c.hidden_size}, lr={c.lr}, "
        f"B={c.batch_size}, forget bias {c.forget_bias}, {c.dtype}, eval {c.eval_size} every {c.eval_every}"
    )
    totals = []
    for seed in seeds:
        start = time.perf_counter()
        data, cfg = live_lab(seed)
        made = time.perf_counter() - start
        start = time.perf_counter()
        res = train(data, cfg)
        wall = time.perf_counter() - start
        totals.append(made + wall if res.stopped == "target" else float("inf"))
        print(
            f"  seed {seed}: {res.stopped:>6} after {res.state.step:4d} steps, held-out "
            f"{res.eval_accuracies[-1]:.3f}; train {wall:5.2f} s ({1e3 * wall / res.state.step:.2f} ms/step "
            f"incl. evaluation) + data {made:.2f} s = {made + wall:5.2f} s"
        )
    print(
        f"  time to 95 % (data + training): median {statistics.median(totals):.2f} s, "
        f"max {max(totals):.2f} s over {len(seeds)} seeds (target <= 10 s)"
    )


def median_ms(fn: Callable[[], object], repeats: int = 9, inner: int = 10) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return 1e3 * statistics.median(times)


def interleaved_ms(
    cases: dict[str, Callable[[], object]],
    torch: object,
    default_threads: int,
    rounds: int = 15,
    inner: int = 10,
) -> dict[str, float]:
    """Median ms per call of each case, timed in turns (round r times every case once), so that a burst of
    load on the shared machine hits all of them alike. torch1 runs with 1 thread, torchN with the default."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for r in range(rounds + 1):
        for name, fn in cases.items():
            if torch is not None and name.startswith("torch"):
                torch.set_num_threads(1 if name == "torch1" else default_threads)
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            if r:  # round 0 warms up
                times[name].append((time.perf_counter() - start) / inner)
    return {name: 1e3 * statistics.median(ts) for name, ts in times.items()}


def random_batch(B: int) -> Batch:
    rng = np.random.default_rng(0)
    ids = rng.integers(0, D, size=(B, T)).astype(np.int32)
    targets = np.full((B, T), -1, dtype=np.int32)
    targets[:, -1] = rng.integers(0, K, size=B)
    return Batch(ids, targets, np.full(B, T))


def numpy_step(B: int, H: int, threads: int = 1) -> Callable[[], object]:
    batch = random_batch(B)
    box = {"model": init_model("lstm", D, H, K, seed=0, forget_bias=1.0, dtype=np.float32)}
    box["adam"] = adam_init(box["model"].to_flat())
    table = one_hot_table(D, np.float32)
    workspace = Workspace(threads)  # reused by every step, as ``train`` does

    def step() -> None:
        model = box["model"]
        res = loss_and_grads(model, batch, "last", table, workspace=workspace)
        flat, box["adam"] = adam_step(model.to_flat(), res.grads, box["adam"], 0.005, clip=1.0)
        box["model"] = model.from_flat(flat)

    return step


def torch_step(torch: object, B: int, H: int) -> Callable[[], object]:
    torch.manual_seed(0)
    lstm, head = torch.nn.LSTM(D, H, batch_first=True), torch.nn.Linear(H, K)
    params = [*lstm.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=0.005)
    g = torch.Generator().manual_seed(0)
    xs = torch.nn.functional.one_hot(torch.randint(0, D, (B, T), generator=g), D).float()
    y = torch.randint(0, K, (B,), generator=g)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        out, _ = lstm(xs)
        loss = torch.nn.functional.cross_entropy(head(out[:, -1]), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    return step


def step_times(use_torch: bool) -> None:
    torch = None
    if use_torch:
        try:
            import torch
        except ImportError:
            print("torch not importable: NumPy columns only")
    default_threads = torch.get_num_threads() if torch is not None else 0
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"Part 2: one training step, T={T}, D={D}, K={K}, float32, ms (median); NumPy BLAS threads: "
        f"OPENBLAS_NUM_THREADS={blas}; np1 = Workspace(threads=1), np2 = Workspace(threads=2) (one helper "
        f"thread for the weight-gradient GEMMs, so 2 cores)"
    )
    if blas != "1":
        print("  (run with OPENBLAS_NUM_THREADS=1: threaded BLAS slows the small per-step GEMMs)")
    head = f"{'B':>4} {'H':>3} {'np1':>8} {'np2':>8}"
    if torch is not None:
        tn = "torch" + str(default_threads)
        head += f" {'torch1':>8} {tn:>8} | {'np1/torch1':>10} {'np2/' + tn:>10}"
    print(head)
    for B, H in SHAPES:
        cases = {"np1": numpy_step(B, H, 1), "np2": numpy_step(B, H, 2)}
        if torch is not None:
            cases["torch1"] = torch_step(torch, B, H)
            cases["torchN"] = torch_step(torch, B, H)
        t = interleaved_ms(cases, torch, default_threads)
        line = f"{B:>4} {H:>3} {t['np1']:8.3f} {t['np2']:8.3f}"
        if torch is not None:
            line += f" {t['torch1']:8.3f} {t['torchN']:8.3f} |"
            line += f" {t['np1'] / t['torch1']:10.2f} {t['np2'] / t['torchN']:10.2f}"
        print(line, flush=True)
    if torch is not None:
        print(
            f"ratio = numpy / torch at the same number of cores: np1 / torch with 1 thread, np2 / torch with "
            f"{default_threads} threads; target <= 1.5"
        )


def profile(B: int = 32, H: int = 16) -> None:
    """Median time of each part of ``numpy_step``, each part run alone on the same inputs."""
    rng = np.random.default_rng(0)
    n = 2000
    ids = rng.integers(0, D, size=(n, T)).astype(np.int32)
    targets = np.full((n, T), -1, dtype=np.int32)
    targets[:, -1] = rng.integers(0, K, size=n)
    enc = Encoded(ids, targets, np.full(n, T, dtype=np.int64), D, K)
    index = rng.permutation(n)[:B]
    model = init_model("lstm", D, H, K, seed=0, forget_bias=1.0, dtype=np.float32)
    table = one_hot_table(D, np.float32)
    kind = CELLS["lstm"]
    batch = enc.take(index)
    xs = one_hot(batch.ids, table)
    trace = kind.run_fast(model.cell, xs)
    h = trace.hidden[:, -1]
    tgt = batch.targets[:, -1]
    d_hidden = np.zeros(trace.hidden.shape, dtype=np.float32)
    _, dy = cross_entropy(readout(model.W_y, model.b_y, h), tgt)
    d_hidden[:, -1] = readout_backward(model.W_y, h, dy)[2]
    grads = loss_and_grads(model, batch, "last", table).grads
    adam = adam_init(model.to_flat())
    flat, _ = adam_step(model.to_flat(), grads, adam, 0.005, clip=1.0)

    def head() -> None:
        _, g = cross_entropy(readout(model.W_y, model.b_y, h), tgt)
        readout_backward(model.W_y, h, g)
        np.zeros(trace.hidden.shape, dtype=np.float32)

    parts = {
        "batching + one-hot": lambda: one_hot(enc.take(index).ids, table),
        "forward (fast.run_lstm)": lambda: kind.run_fast(model.cell, xs),
        "readout + loss": head,
        "backward (lstm_backward)": lambda: kind.backward(model.cell, trace, d_hidden),
        "Adam (adam_step)": lambda: adam_step(model.to_flat(), grads, adam, 0.005, clip=1.0),
        "model rebuild (from_flat)": lambda: model.from_flat(flat),
        "whole step (loss_and_grads + Adam + rebuild)": numpy_step(B, H),
    }
    times = {name: median_ms(fn, repeats=15, inner=20) for name, fn in parts.items()}
    whole = times.pop("whole step (loss_and_grads + Adam + rebuild)")
    print(f"Part 3: profile of one NumPy step, B={B}, H={H}, T={T}, float32 (ms, medians)")
    for name, ms in times.items():
        print(f"  {name:<28} {ms:7.3f}  {100 * ms / whole:5.1f} %")
    print(f"  {'sum of parts':<28} {sum(times.values()):7.3f}; whole step {whole:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--skip-target", action="store_true", help="no part 1")
    ap.add_argument("--skip-steps", action="store_true", help="no part 2")
    ap.add_argument("--profile", action="store_true", help="part 3")
    args = ap.parse_args()
    if not args.skip_target:
        time_to_target(args.seeds)
    if not args.skip_steps:
        step_times(not args.no_torch)
    if args.profile:
        profile()


if __name__ == "__main__":
    main()
