"""A class training at once (issue 17): 30 students press Train within 10 s on one server, while another
student steps through a sentence. Targets (shared/PERFORMANCE.md): the non-training student's p50 redraw
during the load ≤ 2× the same redraw idle, measured in the same run; server memory back to its baseline
after.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_class.py [--students 30] [--within 10] \\
        [--reps 20] [--after 120] [--later 120] [--classes 1] [--out f.json]

What runs, all on this machine (loopback only):

- the app, started as in the browser tests (``streamlit run``, a free port);
- the students: websocket clients speaking Streamlit's own protocol (a ``BackMsg`` to run the Train page,
  the click of its Train button as the browser sends it, and the fragment reruns the page asks for with
  ``auto_rerun``, as a browser's timer would). They cost the server what browsers would, without 30
  Chromium tabs on the server's two cores; they parse each message and ignore its rendering;
- the observer: one Chromium tab on step-through, timing ← / → from the key press to the new step drawn
  and the app idle (``bench_browser.py``'s method), first idle, then while the class trains, then after.

Reported: per student, the time from its Train press until its page first shows a step > 0 (its first
progress) and until its run is done; the observer's p50 / p95 idle and under load; the server process's
memory (RSS of the Streamlit process, and with its training workers) before, at the peak, ``--after``
seconds after the last student left and ``--later`` seconds after that; with ``--classes 2`` (or more)
another class trains after that and the memory is read ``--after`` seconds after each (memory a process
keeps for reuse stays level, a leak grows with every class). Streamlit keeps a closed tab's
session (and so its last training status) for ``server.disconnectedSessionTTL`` seconds (120 by
default); an idle training worker exits after ``Limits.idle_seconds`` (60).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_browser import percentile, repetition  # noqa: E402
from class_students import Student, class_thread  # noqa: E402

from bench.browser_interactions import INTERACTIONS  # noqa: E402
from tests.browser.page_helpers import VIEWPORT, launch_browser, open_page, start_server, stop_server, warm_up  # noqa: E402

STEP = next(i for i in INTERACTIONS if i.page == "step" and i.name.startswith("next"))


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def memory(pid: int) -> tuple[int, int]:
    """(the server process's RSS, with its children's: the training workers) in KiB."""
    own = rss_kib(pid)
    return own, own + sum(rss_kib(c) for c in children(pid))


class Sampler(threading.Thread):
    """Samples the server's memory every 0.25 s; ``peak`` holds the highest of each."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.halt = pid, (0, 0), threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            own, total = memory(self.pid)
            self.peak = (max(self.peak[0], own), max(self.peak[1], total))
            self.halt.wait(0.25)


class Observer:
    """The non-training student: ← / → on step-through, timed (``bench_browser.repetition``); the moves
    alternate over the whole run, so each one knows the step it must draw."""

    def __init__(self, page) -> None:
        self.page, self.moves = page, 0

    def move(self) -> float:
        self.moves += 1
        return repetition(self.page, STEP, self.moves)[0]

    def times(self, reps: int) -> list[float]:
        self.move()  # untimed: the first after a pause
        return [self.move() for _ in range(reps)]


def p50_p95(ms: list[float]) -> str:
    return f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms (n={len(ms)})"


def print_students(students: list[Student]) -> tuple[list[float], list[float]]:
    """The per-student table; returns (seconds to first progress, seconds to done), each after the press."""
    waits = [s.first_progress - s.pressed for s in students if s.first_progress and s.pressed]
    runs = [s.done - s.pressed for s in students if s.done and s.pressed]
    print(
        f"{'student':>7} {'pressed':>8} {'first progress':>15} {'done':>8} {'MB in':>6}   (s after its press)"
    )
    for s in students:
        first = f"{s.first_progress - s.pressed:15.2f}" if s.first_progress and s.pressed else f"{'-':>15}"
        done = f"{s.done - s.pressed:8.2f}" if s.done and s.pressed else f"{'-':>8}"
        print(
            f"{s.index:7d} {s.pressed or 0:8.2f} {first} {done} {s.bytes / 1e6:6.1f}   {'; '.join(s.errors)}"
        )
    if waits and runs:
        print(f"first progress: median {statistics.median(waits):.2f} s, max {max(waits):.2f} s "
              f"({len(waits)} of {len(students)} students); done: median {statistics.median(runs):.2f} s, "
              f"max {max(runs):.2f} s")  # fmt: skip
    return waits, runs


def the_class(observer: Observer, url: str, args: argparse.Namespace) -> tuple[list[Student], list[float]]:
    """The students press Train while the observer steps, until every run is done and at least ``reps``
    redraws are timed; returns the students and the observer's timings."""
    students = [Student(k) for k in range(args.students)]
    clock, stop = time.monotonic(), threading.Event()
    crowd = threading.Thread(target=class_thread, args=(url, students, args.within, clock, stop))
    crowd.start()
    loaded: list[float] = []
    try:
        while len(loaded) < args.reps or any(s.done is None and not s.errors for s in students):
            if time.monotonic() - clock > 600:
                print("gave up waiting after 600 s")
                break
            loaded.append(observer.move())
    finally:
        stop.set()
        crowd.join()
    print(f"loaded: {p50_p95(loaded)}, over {time.monotonic() - clock:.0f} s")
    return students, loaded


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--within", type=float, default=10.0, help="seconds over which they press Train")
    parser.add_argument("--reps", type=int, default=20, help="timed redraws idle; at least as many loaded")
    parser.add_argument("--after", type=float, default=120.0, help="seconds before the memory reading")
    parser.add_argument("--later", type=float, default=120.0, help="seconds more before a last one")
    parser.add_argument("--classes", type=int, default=1, help="classes in turn (memory after each)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    proc, base = start_server(env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    sampler = Sampler(proc.pid)
    try:
        with sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_context(viewport=VIEWPORT).new_page()
            warm_up(page, base)
            open_page(page, base, "/train")  # the Train page's modules loaded once, as after any first visit
            open_page(page, base, STEP.path, svgs=STEP.svgs)
            page.get_by_role("heading").first.click()
            observer = Observer(page)
            before = memory(proc.pid)
            idle = observer.times(args.reps)
            print(f"idle: {p50_p95(idle)}")
            sampler.start()
            students, loaded = the_class(observer, url, args)
            waits, runs = print_students(students)
            time.sleep(args.after)
            after = memory(proc.pid)
            calm = observer.times(args.reps)
            print(f"after: {p50_p95(calm)}")
            time.sleep(args.later)
            later = memory(proc.pid)
            again = []
            for k in range(2, args.classes + 1):  # another class: memory kept for reuse stays, a leak grows
                print_students(the_class(observer, url, args)[0])
                time.sleep(args.after)
                again.append(memory(proc.pid))
                print(f"{args.after:.0f} s after class {k}: {mib(again[-1][0])} / {mib(again[-1][1])}")
            browser.close()
    finally:
        sampler.halt.set()
        stop_server(proc)
    ratio = percentile(loaded, 50) / percentile(idle, 50)
    print(f"observer p50: idle {percentile(idle, 50):.0f} ms, loaded {percentile(loaded, 50):.0f} ms "
          f"({ratio:.2f}x; goal <= 2x), after {percentile(calm, 50):.0f} ms")  # fmt: skip
    print(f"server memory (Streamlit / with workers): before {mib(before[0])} / {mib(before[1])}, peak "
          f"{mib(sampler.peak[0])} / {mib(sampler.peak[1])}, {args.after:.0f} s after the last student left "
          f"{mib(after[0])} / {mib(after[1])}, {args.after + args.later:.0f} s after {mib(later[0])} / "
          f"{mib(later[1])}")  # fmt: skip
    if args.out:
        report = {
            "idle_ms": idle, "loaded_ms": loaded, "after_ms": calm, "ratio": ratio, "first_progress_s": waits,
            "done_s": runs, "errors": [s.errors for s in students],
            "memory_kib": {"before": before, "peak": sampler.peak, "after": after, "later": later,
                           "after_each_further_class": again},
        }  # fmt: skip
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
