"""Save and load a trained model: ``name.npz`` (the arrays, no pickle) + ``name.json`` (readable metadata).

The .npz holds ``kind`` (a string: lstm, gru, rnn), the cell's ``weight_ih``, ``weight_hh``,
``bias_ih``, ``bias_hh`` in PyTorch's layout, and the readout ``W_y`` (K, H), ``b_y`` (K,). The JSON
holds the cell type, sizes, vocabulary, classes, task, training config (with its seed) and metrics.
Files that do not fit together raise ``ValueError`` saying what is wrong.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict, is_dataclass
from pathlib import Path

import numpy as np

from lstm_core.params import PARAMS_BY_KIND, TORCH_KEYS
from lstm_core.train.model import Model

FORMAT = "gate-by-gate model"
VERSION = 1
ARRAY_KEYS = ("kind", *TORCH_KEYS, "W_y", "b_y")


def _paths(path: str | Path) -> tuple[Path, Path]:
    p = Path(path)
    if p.suffix != ".npz":
        raise ValueError(f"a model file name ends in .npz; got {p.name!r}")
    return p, p.with_suffix(".json")


def save_model(
    path: str | Path,
    model: Model,
    vocab: tuple[str, ...],
    classes: tuple[str, ...],
    task: str = "",
    config: object | None = None,
    metrics: dict[str, object] | None = None,
    info: dict[str, object] | None = None,
) -> dict[str, object]:
    """Write ``path`` (.npz) and the JSON next to it; return the metadata written."""
    npz_path, json_path = _paths(path)
    if len(vocab) != model.input_size or len(classes) != model.n_classes:
        raise ValueError(
            f"vocab ({len(vocab)}) and classes ({len(classes)}) must match the model's D = "
            f"{model.input_size} and K = {model.n_classes}"
        )
    cfg = asdict(config) if is_dataclass(config) and not isinstance(config, type) else config
    meta: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "cell": model.kind,
        "input_size": model.input_size,
        "hidden_size": model.hidden_size,
        "n_classes": model.n_classes,
        "dtype": str(model.dtype),
        "task": task,
        "vocab": list(vocab),
        "classes": list(classes),
        "seed": cfg.get("seed") if isinstance(cfg, dict) else None,
        "config": cfg,
        "metrics": metrics or {},
        "info": info or {},
    }
    text = json.dumps(meta, indent=1, sort_keys=False, default=float)  # numpy scalars → numbers
    arrays = {**model.cell.to_torch(), "kind": np.array(model.kind), "W_y": model.W_y, "b_y": model.b_y}
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    with open(npz_path, "wb") as fh:
        np.savez(fh, **arrays)
    json_path.write_text(text + "\n", encoding="utf-8")
    return json.loads(text)


def _read_arrays(npz_path: Path) -> dict[str, np.ndarray]:
    if not npz_path.is_file():
        raise ValueError(f"no model file at {npz_path}")
    if not zipfile.is_zipfile(npz_path):
        raise ValueError(f"{npz_path.name} is not a readable .npz file (not a zip archive)")
    try:
        with np.load(npz_path, allow_pickle=False) as z:
            missing = [k for k in ARRAY_KEYS if k not in z.files]
            if missing:
                raise ValueError(f"{npz_path.name} is missing the array(s) {', '.join(missing)}")
            return {k: z[k] for k in ARRAY_KEYS}
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{npz_path.name} is not a readable .npz file ({exc})") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ValueError(
                f"{npz_path.name} holds Python objects; only plain arrays are accepted"
            ) from None
        raise


def _read_meta(json_path: Path) -> dict[str, object]:
    if not json_path.is_file():
        raise ValueError(f"no metadata file at {json_path} (it goes next to the .npz)")
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{json_path.name} is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{json_path.name} is not a {FORMAT!r} metadata file")
    for key, kind in (("vocab", list), ("classes", list), ("cell", str)):
        if not isinstance(meta.get(key), kind):
            raise ValueError(f"{json_path.name}: {key!r} must be a {kind.__name__}")
    return meta


def load_model(path: str | Path) -> tuple[Model, dict[str, object]]:
    """The model in ``path`` (.npz, read with ``allow_pickle=False``) and its JSON metadata."""
    npz_path, json_path = _paths(path)
    arrays = _read_arrays(npz_path)
    meta = _read_meta(json_path)
    kind = str(arrays["kind"])
    if arrays["kind"].shape != () or kind not in PARAMS_BY_KIND:
        raise ValueError(
            f"{npz_path.name}: unknown cell kind {kind!r}; expected one of {sorted(PARAMS_BY_KIND)}"
        )
    if meta["cell"] != kind:
        raise ValueError(f"the metadata says {meta['cell']!r} but the weights are a {kind!r} cell")
    dtype = arrays["weight_ih"].dtype if arrays["weight_ih"].dtype == np.float32 else np.float64
    cell = PARAMS_BY_KIND[kind](*(np.asarray(arrays[k], dtype=dtype) for k in TORCH_KEYS))
    model = Model(cell, np.asarray(arrays["W_y"], dtype=dtype), np.asarray(arrays["b_y"], dtype=dtype))
    if len(meta["vocab"]) != model.input_size or len(meta["classes"]) != model.n_classes:
        raise ValueError(
            f"the metadata's vocab ({len(meta['vocab'])}) and classes ({len(meta['classes'])}) do not "
            f"match the weights (D = {model.input_size}, K = {model.n_classes})"
        )
    return model, meta
