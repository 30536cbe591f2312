"""Values as colours and colours as a picture: a heatmap panel's squares are one PNG, one pixel per square,
stretched over the panel (a few elements at any size, where one SVG rect per square made thousands)."""

from __future__ import annotations

import struct
import zlib

import numpy as np

from lstm_ui.drawings.colours import Scale, scale_stops

NAN_RGB = (0xBB, 0xBB, 0xBB)  # a missing value's grey


def scale_rgb(scale: Scale, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``values`` (any shape) as (…, 3) uint8 colours on ``scale`` over [lo, hi], interpolated linearly
    between the scale's stops (as plotly.js does); NaN is grey."""
    stops = scale_stops(scale.colorscale)
    values = np.asarray(values, dtype=float)
    where = np.nan_to_num(np.clip((values - lo) / (hi - lo), 0.0, 1.0))
    positions = [p for p, _ in stops]
    rgb = np.stack([np.interp(where, positions, [c[k] for _, c in stops]) for k in range(3)], axis=-1)
    rgb[np.isnan(values)] = NAN_RGB
    return np.rint(rgb).astype(np.uint8)


def scale_colours(scale: Scale, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``values`` (any shape) as ``"#rrggbb"`` strings: ``scale_rgb``'s colours."""
    rgb = scale_rgb(scale, values, lo, hi).astype(np.int64)
    return np.char.mod("#%06x", (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])


def png_bytes(rgb: np.ndarray) -> bytes:
    """A (h, w, 3) uint8 picture as a PNG file (8-bit RGB, no filter, zlib)."""
    h, w, _ = rgb.shape
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, 3 * w)], axis=1)  # filter byte 0

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    data = zlib.compress(raw.tobytes(), 6)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
