"""Simulated students for ``bench_class.py``: websocket clients that speak Streamlit's own protocol to the
Train page, as a browser tab does, without drawing anything.

A student opens the page (a ``BackMsg`` asking to run it), presses Train at its moment (the button's
trigger, as the browser sends a click), and reruns the page's polling fragment whenever the page asks
for it (``auto_rerun``: the browser's timer), until told to stop. It notes when it pressed, when its page
first showed a step above 0 (its first progress), when it said the run was done, the bytes it received
and any error the page showed.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect  # Streamlit's own dependency

PROGRESS = re.compile(r"(?:step|finished at step) ([\d,]+)")


@dataclass
class Student:
    """One simulated student on the Train page: when it pressed Train, first saw progress, and saw its run
    end (seconds on the bench's clock)."""

    index: int
    pressed: float | None = None
    first_progress: float | None = None
    done: float | None = None
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


def rerun(page_hash: str, widgets: list[WidgetState], fragment: str = "", auto: bool = False) -> bytes:
    """A browser's request to run the Train page (its widgets' states; a fragment's timer: ``auto``)."""
    state = ClientState(
        query_string="", page_name="train", page_script_hash=page_hash, fragment_id=fragment,
        is_auto_rerun=auto, widget_states=WidgetStates(widgets=widgets),
    )  # fmt: skip
    return BackMsg(rerun_script=state).SerializeToString()


async def run_student(student: Student, url: str, press_at: float, clock: float, stop: asyncio.Event) -> None:
    """Open the Train page, press Train at ``press_at`` (bench clock), follow the page's fragment reruns
    until the run is done and ``stop`` is set."""
    async with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        state = {"hash": "", "train": None, "timers": {}, "tasks": set()}
        await ws.send(rerun("", []))

        async def tick(fragment: str, interval: float) -> None:
            while not stop.is_set():
                await asyncio.sleep(interval)
                if state["timers"].get(fragment) != interval:
                    return
                await ws.send(rerun(state["hash"], [], fragment, auto=True))

        async def press() -> None:
            while state["train"] is None:
                await asyncio.sleep(0.05)
            await asyncio.sleep(max(0.0, press_at - (time.monotonic() - clock)))
            click = WidgetState(id=state["train"], trigger_value=True)
            student.pressed = time.monotonic() - clock
            await ws.send(rerun(state["hash"], [click]))

        presser = asyncio.create_task(press())
        reader = asyncio.create_task(_read(ws, student, state, clock, tick))
        await stop.wait()
        presser.cancel()
        reader.cancel()


async def _read(ws, student: Student, state: dict, clock: float, tick) -> None:
    async for raw in ws:
        student.bytes += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session" and not msg.metadata.run.fragment_ids:
            state["timers"].clear()  # a full run: the fragments it draws ask for their timers again
        elif kind == "navigation":  # the page that runs: every rerun names it
            state["hash"] = msg.navigation.page_script_hash
        elif kind == "auto_rerun":
            fragment, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if state["timers"].get(fragment) != interval:
                state["timers"][fragment] = interval
                task = asyncio.create_task(tick(fragment, interval))
                state["tasks"].add(task)
                task.add_done_callback(state["tasks"].discard)
        elif kind == "stop_auto_rerun":
            state["timers"].clear()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "button" and element.button.label == "Train":
                state["train"] = element.button.id
            elif which == "progress" and student.pressed is not None:
                found = PROGRESS.search(element.progress.text)
                if found and int(found.group(1).replace(",", "")) > 0 and student.first_progress is None:
                    student.first_progress = time.monotonic() - clock
            elif which == "alert" and student.pressed is not None:
                body = element.alert.body
                if body.startswith("Done in") and student.done is None:
                    student.done = time.monotonic() - clock
                elif "could not" in body or "was dropped" in body:
                    student.errors.append(body[:120])
            elif which == "exception":
                student.errors.append(element.exception.message[:120])


def class_thread(
    url: str, students: list[Student], within: float, clock: float, stop: threading.Event
) -> None:
    """The students, in their own thread and event loop: each connects at once and presses Train at its
    moment, spread evenly over ``within`` seconds from now."""

    async def main() -> None:
        done = asyncio.Event()

        async def watch() -> None:
            while not stop.is_set():
                await asyncio.sleep(0.1)
            done.set()

        start = time.monotonic() - clock + 1.0
        spacing = within / max(1, len(students) - 1)
        tasks = [
            asyncio.create_task(run_student(s, url, start + k * spacing, clock, done))
            for k, s in enumerate(students)
        ]
        await watch()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
