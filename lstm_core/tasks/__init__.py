"""The registry of training tasks. Each module in ``TASK_MODULES`` defines ``SPEC: TaskSpec``.

Adding a task is adding a module with a ``SPEC`` and its name here.
"""

from __future__ import annotations

from importlib import import_module

from lstm_core.tasks.base import Example, TaskData, TaskSpec

TASK_MODULES = ("memory_span", "long_lag", "story", "reviews", "events")


def task_registry() -> dict[str, TaskSpec]:
    """Every task by name, in ``TASK_MODULES`` order."""
    specs = [import_module(f"lstm_core.tasks.{m}").SPEC for m in TASK_MODULES]
    return {spec.name: spec for spec in specs}


def get_task(name: str) -> TaskSpec:
    """The task called ``name``; ``ValueError`` naming the choices otherwise."""
    registry = task_registry()
    if name not in registry:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(registry)}")
    return registry[name]


__all__ = ["TASK_MODULES", "Example", "TaskData", "TaskSpec", "get_task", "task_registry"]
