"""Input checks that fail early with messages a student can act on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _unreadable(name: str, exc: Exception) -> ValueError:
    if "inhomogeneous" in str(exc):
        return ValueError(f"{name} has rows of different lengths; every row needs the same number of values")
    return ValueError(f"{name} must contain numbers only; could not read it ({exc})")


def as_float_array(value: object, name: str, dtype: type = np.float64) -> np.ndarray:
    """Convert ``value`` to a float array, rejecting missing, non-numeric, complex and non-finite entries."""
    if value is None:
        raise ValueError(f"{name} is missing (got None); give an array of numbers")
    if isinstance(value, np.ndarray) and value.dtype == dtype:
        arr = value  # the common case: nothing to convert
    else:
        try:
            complex_values = np.iscomplexobj(value)
            if not complex_values:
                with np.errstate(over="ignore"):  # values too big for float32 are reported below
                    arr = np.asarray(value, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise _unreadable(name, exc) from None
        if complex_values:
            raise ValueError(f"{name} must contain real numbers; got complex values")
    finite = np.isfinite(arr)
    if not finite.all():
        bad = int(arr.size - np.count_nonzero(finite))
        where = tuple(int(k) for k in np.argwhere(~finite)[0]) if arr.ndim else ()
        at = f", the first at index {where}" if where else ""
        if arr.dtype == np.float32 and np.isfinite(np.asarray(value, dtype=np.float64)).all():
            raise ValueError(
                f"{name} has {bad} value(s) too large for float32 (|x| > 3.4e38){at}; use smaller numbers"
            )
        raise ValueError(
            f"{name} contains {bad} non-finite value(s) (NaN or infinity){at}; use finite numbers"
        )
    return arr


def check_shape(arr: np.ndarray, name: str, expected: Sequence[int], formula: str) -> None:
    """Raise ``ValueError`` unless ``arr.shape == expected``; ``formula`` names the dims, e.g. "(4H, H)"."""
    expected = tuple(int(e) for e in expected)
    if arr.shape != expected:
        hint = "; is it transposed?" if len(expected) == 2 and arr.shape == expected[::-1] else ""
        raise ValueError(f"{name} must be {formula} = {expected}; got {arr.shape}{hint}")


def check_dtype(dtype: object) -> np.dtype:
    """Only float64 (exact teaching numbers) and float32 (fast training) are supported."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be float64 or float32; got {dtype!r}") from None
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float64 or float32; got {dt}")
    return dt


def check_sequence(xs: object, input_size: int, dtype: np.dtype) -> tuple[np.ndarray, bool]:
    """Return ``xs`` as a time-major (T, B, D) array and whether the caller passed a batch.

    Accepts (T, D) for one sequence or (B, T, D) for a batch.
    """
    arr = as_float_array(xs, "xs", dtype)
    shape = arr.shape
    if arr.ndim == 2:
        batched = False
        arr = arr[:, None, :]  # (T, 1, D)
    elif arr.ndim == 3:
        batched = True
        arr = arr.transpose(1, 0, 2)  # (B, T, D) -> (T, B, D)
    else:
        raise ValueError(
            f"xs must be (T, D) for one sequence or (B, T, D) for a batch; got {arr.ndim} dimension(s) "
            f"with shape {shape}"
        )
    T, B, D = arr.shape
    if T == 0:
        raise ValueError("xs is an empty sequence (T = 0); give at least one timestep")
    if B == 0:
        raise ValueError("xs is an empty batch (B = 0); give at least one sequence")
    if input_size != D:
        raise ValueError(
            f"xs must have D = input_size = {input_size} features per step; got {D} (xs has shape {shape})"
        )
    return np.array(arr, order="C", copy=True), batched  # a copy: the trace must not alias the caller's xs


def check_state(
    state: object, name: str, batch: int, hidden: int, batched: bool, dtype: np.dtype
) -> np.ndarray:
    """Return an initial state as (B, H), zeros when ``state`` is None.

    For one sequence it is (H,); for a batch (B, H).
    """
    if state is None:
        return np.zeros((batch, hidden), dtype=dtype)
    arr = as_float_array(state, name, dtype)
    if batched:
        check_shape(arr, name, (batch, hidden), "(B, H)")
        return arr.copy()
    if arr.shape == (1, hidden):
        return arr.copy()
    check_shape(arr, name, (hidden,), "(H,)")
    return arr[None, :].copy()


def check_inputs(
    params: object, xs: object, states: tuple[object | None, ...], names: tuple[str, ...]
) -> tuple[np.ndarray, ...]:
    """Check ``xs`` and the initial states against ``params`` (a ``CellParams``); return the time-major
    x (T, B, D), each state (B, H) and whether the caller passed a batch. All are copies."""
    x, batched = check_sequence(xs, params.input_size, params.dtype)
    B = x.shape[1]
    prepared = [
        check_state(s, n, B, params.hidden_size, batched, params.dtype)
        for s, n in zip(states, names, strict=True)
    ]
    return (x, *prepared, batched)
