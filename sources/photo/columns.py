"""A label printed in columns -> one column, so that no line is read across a gutter.

In:  a prepared grey image (PIL, mode L).
Out: `stack_columns(gray)`: the pieces of the page in reading order stacked one under the other,
     or the same image when it has no columns. `reading_blocks(mask, box, height)` gives the pieces
     (boxes) of any ink mask, which also orders the lines a box-finding engine reads.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .ink import ink_mask, otsu, run_height


def stack_columns(gray: Image.Image) -> Image.Image:
    """Labels printed in 2-4 columns -> one column (the first on top), so no line is read across.

    Tesseract's own layout analysis merges columns with narrow gutters into one line ("WATER,
    GLYCERIN, SILICA, MICA" from two columns), which jumbles names. The page is cut the way a
    reader sees it (a recursive X-Y cut on the ink of the print, the table around the card left
    out): a block is split at its gutters (bands of x with no ink at all on any of the block's
    rows, at least GUTTER_LINES text lines wide, a column of print on each side), else at the gaps
    between its lines that are clearly wider than the others (under a heading, the card's edge),
    else under a first line (over a last line) that bridges the gutters below it; then each piece
    again. Counting any ink, not a share of it, keeps a short last column (a line or two) from
    passing for a gutter; cutting a wide heading off first finds the gutters it bridges. The
    pieces, each cut down to its print, are stacked in reading order. A page without a gutter is
    returned as it was.
    """
    if min(gray.size) < 16:
        return gray
    ink = _print_ink(np.asarray(gray))
    height = run_height(ink)
    if height is None:
        return gray
    boxes, columns = reading_blocks(ink, (0, 0, gray.width, gray.height), height, depth=0)
    if not columns:
        return gray
    gap = int(2 * height)
    crops = [gray.crop(box) for box in (_print_box(ink, box, int(height)) for box in boxes) if box]
    stacked = Image.new("L", (max(c.width for c in crops) + 2 * gap, sum(c.height + gap for c in crops) + gap), 255)
    top = gap
    for crop in crops:
        stacked.paste(crop, (gap, top))
        top += crop.height + gap
    return stacked


GUTTER_LINES = 1.0  # a gutter between columns is at least this many text lines (heights) wide
MAX_COLUMNS = 4


def _print_ink(pixels: np.ndarray) -> np.ndarray:
    """Ink of the print: dark pixels, less solid dark areas (the table around the card, a shadow).

    Where more than half of a window a couple of lines across is dark, it is not print; the
    window is 1/40 of the longest side, measured on a quarter-size copy (fast). The print is then
    thresholded again on the rest alone: with a dark table in the picture, the first threshold
    falls between table and card and makes the letters fat.
    """
    ink = ink_mask(pixels)
    small = Image.fromarray(ink.astype(np.uint8) * 255).reduce(4)
    density = small.filter(ImageFilter.BoxBlur(max(2, max(small.size) // 80)))
    # Grown a little, so the edge of a dark area does not stay behind as a line of ink.
    solid = density.filter(ImageFilter.MaxFilter(3)).point(lambda v: 255 if v > 128 else 0)
    solid = np.asarray(solid.resize((pixels.shape[1], pixels.shape[0]), Image.NEAREST)) > 0
    rest = pixels[~solid]
    if rest.size == 0:
        return np.zeros_like(ink)
    return (pixels < otsu(rest)) & ~solid


def reading_blocks(
    ink: np.ndarray, box: tuple[int, int, int, int], height: float, depth: int = 0
) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The block `box` (x0, y0, x1, y1) cut into pieces that cover it, in reading order, and
    whether any cut was between columns. Rows without columns next to each other stay one piece."""
    x0, y0, x1, y1 = box
    block = ink[y0:y1, x0:x1]
    if depth >= 6 or not block.any():
        return [box], False
    cuts = _gutters(block, height)
    if cuts:
        edges = [0, *cuts, x1 - x0]
        parts = [(x0 + a, y0, x0 + b, y1) for a, b in zip(edges, edges[1:], strict=False)]
        columns = True
    else:
        cuts = _breaks(block, height) or _spanning_line(block, height)
        if not cuts:
            return [box], False
        edges = [0, *cuts, y1 - y0]
        parts = [(x0, y0 + a, x1, y0 + b) for a, b in zip(edges, edges[1:], strict=False)]
        columns = False
    boxes: list[tuple[int, int, int, int]] = []
    merge = False  # the last box is a whole row piece without columns
    for part in parts:
        inner, split = reading_blocks(ink, part, height, depth + 1)
        if columns or split:
            boxes += inner
            merge = False
        elif merge:
            boxes[-1] = (x0, boxes[-1][1], x1, part[3])
        else:
            boxes.append(part)
            merge = True
        columns = columns or split
    return boxes, columns


def _print_box(ink: np.ndarray, box: tuple[int, int, int, int], margin: int) -> tuple[int, int, int, int] | None:
    """The part of `box` that holds print, with a margin (within the box); None for none.

    Only blank card and the dark surroundings are left out: stacked pieces framed by the table's
    edges made Tesseract lose a short column."""
    x0, y0, x1, y1 = box
    block = ink[y0:y1, x0:x1]
    rows, cols = np.flatnonzero(block.any(axis=1)), np.flatnonzero(block.any(axis=0))
    if not len(rows):
        return None
    return (
        max(x0, x0 + int(cols[0]) - margin),
        max(y0, y0 + int(rows[0]) - margin),
        min(x1, x0 + int(cols[-1]) + 1 + margin),
        min(y1, y0 + int(rows[-1]) + 1 + margin),
    )


def _clear_runs(counts: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of zeros in `counts` between its first and last non-zero."""
    inked = np.flatnonzero(counts)
    if len(inked) < 2:
        return []
    first, last = int(inked[0]), int(inked[-1])
    clear = np.concatenate(([0], (counts[first:last] == 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(clear)) + first
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=False)]


def _gutters(block: np.ndarray, height: float) -> list[int]:
    """x offsets of the middles of the block's gutters, or [] when the block is not in columns.

    A gutter holds no ink on any of the block's rows. Each part between gutters must be a column
    of print (at least three line heights wide, holding a line of print, see _holds_line), else
    the gutter on its right (the last part: on its left) is dropped: the card's corner, a speck."""
    counts = block.sum(axis=0)
    cuts = [(a + b) // 2 for a, b in _clear_runs(counts) if b - a >= GUTTER_LINES * height]
    width = block.shape[1]

    def column(a: int, b: int) -> bool:
        return b - a >= 3 * height and counts[a:b].sum() >= height * height and _holds_line(block[:, a:b], height)

    changed = True
    while cuts and changed:  # one at a time: each drop changes the parts
        changed = False
        edges = [0, *cuts, width]
        for i, (a, b) in enumerate(zip(edges, edges[1:], strict=False)):
            if not column(a, b):
                del cuts[min(i, len(cuts) - 1)]
                changed = True
                break
    return cuts if len(cuts) < MAX_COLUMNS else []


def _spanning_line(block: np.ndarray, height: float) -> list[int]:
    """[y] below a first line (or above a last line) that bridges the gutters of the columns
    under it (above it), when the block has no wider gap to cut at: a heading set close above
    two columns, a footnote across them. A line is at least half a line high (not an accent)."""
    rows = block.sum(axis=1)
    gaps = _clear_runs(rows)
    inked = np.flatnonzero(rows)
    if len(gaps) < 2:
        return []
    first = next((gap for gap in gaps if gap[0] - inked[0] >= 0.5 * height), None)
    if first and first != gaps[-1] and _gutters(block[first[1] :], height):
        return [(first[0] + first[1]) // 2]
    last = next((gap for gap in reversed(gaps) if inked[-1] + 1 - gap[1] >= 0.5 * height), None)
    if last and last != gaps[0] and _gutters(block[: last[0]], height):
        return [(last[0] + last[1]) // 2]
    return []


def _holds_line(block: np.ndarray, height: float) -> bool:
    """Whether the block holds a line of print: a band of inked rows about a line high in which
    ink lies over at least four line-heights of x (not the corner of the card, a smudge)."""
    rows = np.concatenate(([0], block.any(axis=1).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(rows))
    return any(
        0.4 * height <= b - a <= 3 * height and block[a:b].any(axis=0).sum() >= 4 * height
        for a, b in zip(edges[::2], edges[1::2], strict=False)
    )


def _breaks(block: np.ndarray, height: float) -> list[int]:
    """y offsets of the middles of the gaps between lines that are clearly wider than the usual
    gap between two lines of the block (a heading's, the card's edge), or []."""
    runs = _clear_runs(block.sum(axis=1))
    if not runs:
        return []
    sizes = [b - a for a, b in runs]
    usual = float(np.median(sizes)) if len(sizes) >= 3 else 0.5 * height
    wide = max(0.8 * height, 1.6 * usual)
    return [(a + b) // 2 for a, b in runs if b - a >= wide]
