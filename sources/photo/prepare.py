"""A photo -> the grey image an OCR engine reads best: small steps, each image -> image.

In:  a PIL image from image.load_image. Out: `prepare(image)` runs every step in STEPS in order:
grayscale -> light text on dark turned dark on light -> scale the text to the height Tesseract
reads best -> flatten uneven light -> stretch contrast -> deskew -> stack columns. Tesseract
binarises itself (Otsu on the flattened image), which measured better on blurred small print than
binarising here. `turns_to_try(gray)` says which quarter turns are worth a second reading.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from .columns import stack_columns
from .image import MAX_WORK_SIDE
from .ink import ink_mask, otsu, run_height, scaled

# Text lines (ascender to descender) of about this many pixels read best; far smaller text loses
# letters, far larger only costs time.
TARGET_LINE_PX = 34
DARK_BACKGROUND_SHARE = 0.6  # more of the label's middle than this is dark: light print on dark


def to_gray(image: Image.Image) -> Image.Image:
    """Grayscale; transparent areas become white (a PNG screenshot's background)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    return image.convert("L")


def dark_on_light(gray: Image.Image) -> Image.Image:
    """Light text on a dark label (white on navy, a tin lid) -> dark text on light.

    Print covers far less of a label than its background, so when most of the picture's pixels
    are darker than the middle grey the background is the dark part: the picture is inverted.
    Measured on the middle of the picture, where the label usually is, not the table around it.
    """
    pixels = np.asarray(gray)
    height, width = pixels.shape
    middle = pixels[height // 4 : height - height // 4, width // 4 : width - width // 4]
    if middle.size and (middle < otsu(middle)).mean() > DARK_BACKGROUND_SHARE:
        return ImageOps.invert(gray)
    return gray


def line_height(gray: Image.Image) -> float | None:
    """Typical height in pixels of a text line, or None if the image shows no clear lines.

    In each of a few vertical strips of a flattened, thresholded copy, runs of rows that hold
    some ink (but are not solid, like a dark table top around the label) are text lines; the
    median run over all strips is the line height. Rough, but enough to pick a scale.
    """
    return run_height(ink_mask(np.asarray(flatten_light(gray))), solid=0.6)


def scale_for_text(gray: Image.Image) -> Image.Image:
    """Resize so text lines are about TARGET_LINE_PX high, within MAX_WORK_SIDE."""
    longest = max(gray.size)
    if longest > MAX_WORK_SIDE:  # measure on a workable size first
        gray = gray.resize(scaled(gray.size, MAX_WORK_SIDE / longest), Image.LANCZOS)
        longest = max(gray.size)
    height = line_height(gray)
    factor = TARGET_LINE_PX / height if height else 1.0
    factor = min(max(factor, 0.5), 3.0, MAX_WORK_SIDE / longest)
    if 0.9 < factor < 1.15:  # not worth the time
        return gray
    return gray.resize(scaled(gray.size, factor), Image.LANCZOS if factor < 1 else Image.BICUBIC)


def flatten_light(gray: Image.Image) -> Image.Image:
    """Divide by the blurred background: shadows and a lamp's hot spot become even white."""
    small = gray.resize(scaled(gray.size, 96 / max(gray.size)), Image.BILINEAR)
    # The background is the bright part: a max filter wipes the text out before blurring.
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    background = np.asarray(background.resize(gray.size, Image.BILINEAR), dtype=np.float32)
    flat = np.asarray(gray, dtype=np.float32) / np.maximum(background, 1.0) * 255.0
    return Image.fromarray(np.clip(flat, 0, 255).astype(np.uint8))


def stretch_contrast(gray: Image.Image) -> Image.Image:
    """Darkest 0.5% -> black, lightest 0.5% -> white (faded print, grey paper)."""
    return ImageOps.autocontrast(gray, cutoff=0.5)


def skew_angle(gray: Image.Image, limit: float = 6.0, step: float = 0.25) -> float:
    """The small rotation (degrees) that makes text lines horizontal: projection-profile search.

    Level text gives the sharpest row profile (ink rows and empty rows alternate), so the angle
    with the largest variance of row sums wins. Done on a small copy: fast.
    """
    small = gray.resize(scaled(gray.size, 800 / max(gray.size)), Image.BILINEAR)
    ink = Image.fromarray((ink_mask(np.asarray(small)) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        rows = np.asarray(ink.rotate(float(angle), resample=Image.NEAREST, expand=False)).sum(axis=1, dtype=np.float64)
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def deskew(gray: Image.Image) -> Image.Image:
    angle = skew_angle(gray)
    if abs(angle) < 0.3:
        return gray
    return gray.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)


STEPS = [to_gray, dark_on_light, scale_for_text, flatten_light, stretch_contrast, deskew, stack_columns]


def prepare(image: Image.Image) -> Image.Image:
    """The image Tesseract reads: every step in STEPS, in order."""
    for step in STEPS:
        image = step(image)
    return image


def turns_to_try(gray: Image.Image) -> list[int]:
    """Quarter turns (degrees counter-clockwise) worth a second reading when the first read badly.

    Text lines make the row profile of the ink much more uneven than the column profile; when
    the columns win, the photo was taken sideways (which way is unknown: try both).
    """
    small = gray.resize(scaled(gray.size, 600 / max(gray.size)), Image.BILINEAR)
    ink = ink_mask(np.asarray(flatten_light(small)))
    sideways = np.var(ink.mean(axis=0)) > np.var(ink.mean(axis=1))
    return [90, 270, 180] if sideways else [180, 90, 270]
