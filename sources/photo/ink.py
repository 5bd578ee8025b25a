"""Where the ink is: masks and measures shared by the preparation steps and the column finder.

In:  grey pixels as a numpy array (0 black - 255 white).
Out: `ink(pixels)` a boolean mask of dark pixels (Otsu's threshold), `otsu(pixels)` that threshold,
     `run_height(mask)` the typical height of a text line in pixels (or None), `scaled(size, f)`.
"""

from __future__ import annotations

import numpy as np


def run_height(ink: np.ndarray, solid: float = 1.0) -> float | None:
    """The median height of the runs of inked rows in 8 vertical strips of an ink mask; rows
    with more than `solid` of their strip inked are not text."""
    runs = []
    for strip in np.array_split(ink, 8, axis=1):
        share = strip.mean(axis=1)
        text_rows = (share > 0.02) & (share <= solid)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], text_rows.astype(np.int8), [0]))))
        runs.extend(int(end - start) for start, end in zip(edges[::2], edges[1::2], strict=False))
    runs = [r for r in runs if 4 <= r <= ink.shape[0] / 6]
    return float(np.median(runs)) if len(runs) >= 3 else None


def ink_mask(pixels: np.ndarray) -> np.ndarray:
    """Boolean mask of dark pixels, threshold by Otsu's method."""
    return pixels < otsu(pixels)


def otsu(pixels: np.ndarray) -> int:
    """The grey level that best splits the pixels into dark and light (Otsu's method)."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(256))
    between = (means[-1] * weights / total - means) ** 2 / np.maximum(weights * (total - weights), 1.0)
    return int(np.argmax(between))


def scaled(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return max(1, round(size[0] * factor)), max(1, round(size[1] * factor))
