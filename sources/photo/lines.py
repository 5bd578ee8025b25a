"""Line pieces found anywhere on a photo (PP-OCR boxes) -> lines in reading order.

In:  engine.Box list: text, confidence and four corners, at any angle, in no particular order.
Out: `order_lines(boxes) -> (lines, degrees)`: lines (each a list of boxes, left to right) in
     reading order, columns one after the other, and the angle the text was tilted by.

The text's angle is the length-weighted median direction of the boxes' long sides; the corners
are turned by it, so a label tilted 25 degrees is read as if it were level. The boxes are then
drawn as a mask and cut into reading blocks the way columns.reading_blocks cuts print (gutters
between columns, wide gaps under headings); inside a block, boxes whose middles are within half a
line of each other form one line.
"""

from __future__ import annotations

import math

import numpy as np

from .columns import reading_blocks
from .engine import Box

MASK_SIDE = 1000  # the longest side of the mask the blocks are cut on


def text_angle(boxes: list[Box]) -> float:
    """The angle (radians, -pi/2..pi/2) of the text lines: the weighted median of the long sides."""
    angles = []
    for box in boxes:
        corners = np.asarray(box.corners)
        top, side = corners[1] - corners[0], corners[2] - corners[1]
        edge = top if np.hypot(*top) >= np.hypot(*side) else side
        angle = math.atan2(edge[1], edge[0])
        if angle > math.pi / 2:  # a direction, not a way: fold into -90..90 degrees
            angle -= math.pi
        elif angle <= -math.pi / 2:
            angle += math.pi
        angles.append((angle, float(np.hypot(*edge))))
    if not angles:
        return 0.0
    angles.sort()
    half, total = sum(w for _, w in angles) / 2, 0.0
    for angle, weight in angles:
        total += weight
        if total >= half:
            return angle
    return angles[-1][0]


def _level(boxes: list[Box], angle: float) -> np.ndarray:
    """(x0, y0, x1, y1) of each box once the text is turned level."""
    turn = np.array([[math.cos(-angle), -math.sin(-angle)], [math.sin(-angle), math.cos(-angle)]])
    out = []
    for box in boxes:
        points = np.asarray(box.corners) @ turn.T
        out.append((*points.min(axis=0), *points.max(axis=0)))
    return np.asarray(out, dtype=np.float64).reshape(-1, 4)


def _blocks(extents: np.ndarray) -> list[int]:
    """The reading block of each box: the boxes drawn on a mask, cut like print."""
    x0, y0 = extents[:, 0].min(), extents[:, 1].min()
    width, height = extents[:, 2].max() - x0, extents[:, 3].max() - y0
    scale = MASK_SIDE / max(width, height, 1.0)
    mask = np.zeros((int(height * scale) + 2, int(width * scale) + 2), dtype=bool)
    heights = (extents[:, 3] - extents[:, 1]) * scale
    for (a, b, c, d), h in zip(extents, heights, strict=True):
        # Only the middle of each box: the engine pads its boxes, and padded lines touch.
        top, bottom = int((b - y0) * scale + 0.25 * h), int((d - y0) * scale - 0.25 * h)
        mask[top : max(bottom, top + 1), int((a - x0) * scale) : int((c - x0) * scale) + 1] = True
    line = max(float(np.median(heights)) * 0.5, 2.0)
    pieces, _ = reading_blocks(mask, (0, 0, mask.shape[1], mask.shape[0]), line)
    middles = (
        [((a + c) / 2 - x0) * scale for a, _, c, _ in extents],
        [((b + d) / 2 - y0) * scale for _, b, _, d in extents],
    )
    block_of = []
    for x, y in zip(*middles, strict=True):
        inside = [i for i, (p, q, r, s) in enumerate(pieces) if p <= x <= r and q <= y <= s]
        block_of.append(inside[0] if inside else len(pieces))
    return block_of


def order_lines(boxes: list[Box]) -> tuple[list[list[Box]], float]:
    """The boxes as lines in reading order, and the text's tilt in degrees (counter-clockwise)."""
    if not boxes:
        return [], 0.0
    angle = text_angle(boxes)
    extents = _level(boxes, angle)
    blocks = _blocks(extents)
    lines: list[list[Box]] = []
    for block in sorted(set(blocks)):
        members = sorted(
            (i for i in range(len(boxes)) if blocks[i] == block), key=lambda i: extents[i, 1] + extents[i, 3]
        )
        rows: list[tuple[float, float, list[int]]] = []  # (middle, height, boxes)
        for i in members:
            middle, height = (extents[i, 1] + extents[i, 3]) / 2, extents[i, 3] - extents[i, 1]
            if rows and abs(rows[-1][0] - middle) < 0.5 * min(height, rows[-1][1]):
                rows[-1][2].append(i)
            else:
                rows.append((middle, height, [i]))
        lines += [[boxes[i] for i in sorted(row, key=lambda i: extents[i, 0])] for _, _, row in rows]
    return lines, -math.degrees(angle)
