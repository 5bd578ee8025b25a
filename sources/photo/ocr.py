"""Photo of a label -> the text on it, with a confidence for every word (Tesseract).

In:  image bytes from a phone or a scanner: JPEG, PNG, WebP, and HEIC/HEIF when pillow-heif is
     installed. Limits (bytes are the web layer's job): at most `max_pixels` pixels, refused before
     the pixels are decoded, so a small file that claims a huge size cannot exhaust memory.
Out: `read_image(data or image) -> Reading`: .text (the label's lines in reading order, columns one
     after the other), .words (Word: text, confidence 0-1, line number), .confidence
     (mean over the words, 0-1), .rotation (degrees turned counter-clockwise to make the text
     upright), .seconds.
     `ImageError` (with .kind: 'not_image', 'unsupported', 'too_large') when the bytes cannot be read.
     `clean_ocr_text(text)` is applied to .text: the OCR slips the parser should not see.

The preparation is an ordered list of small steps (see `prepare`), each testable alone:
EXIF orientation -> grayscale -> scale the text to the height Tesseract reads best -> flatten uneven
light -> stretch contrast -> deskew -> stack columns. Tesseract binarises itself (Otsu on the
flattened image), which measured better on blurred small print than binarising here. If the page
reads badly, the photo is read again turned a quarter or half turn (sideways first when the ink
runs up and down) and the best reading wins.
No Flask here: the web layer maps ImageError kinds to HTTP statuses.
"""

from __future__ import annotations

import io
import os
import re
import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

try:  # HEIC is what iPhones save; optional, since it needs a binary wheel.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the machine
    HEIC = False

# Tesseract's OpenMP threads spin-wait for each other: on a busy server (several requests, two
# cores) one thread per page measured five times faster. Only the tesseract child process reads it.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MAX_PIXELS = 40_000_000  # a 48 MP phone photo is 8000x6000; beyond that, refuse
FORMATS = ["JPEG", "PNG", "WEBP"] + (["HEIF"] if HEIC else [])
LOW_CONFIDENCE = 0.6  # words Tesseract is less sure of are marked for the user
TESSERACT_CONFIG = "--oem 1 --psm 3"  # LSTM engine, automatic page layout (finds columns)
# Text lines (ascender to descender) of about this many pixels read best; far smaller text loses
# letters, far larger only costs time.
TARGET_LINE_PX = 34
MAX_WORK_SIDE = 2600  # the longest side Tesseract is given (time grows with pixels)
MIN_GOOD_CONFIDENCE = 0.6  # below this (or too few words) the photo is read turned
MIN_WORDS = 4


class ImageError(ValueError):
    """The upload cannot be read as a photo; `kind` is 'not_image', 'unsupported' or 'too_large'."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class TesseractMissing(RuntimeError):
    """The tesseract program is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)."""


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-1, Tesseract's own
    line: int  # 0-based index of the line in Reading.text

    @property
    def low(self) -> bool:
        return self.confidence < LOW_CONFIDENCE


@dataclass
class Reading:
    text: str
    words: list[Word] = field(default_factory=list)
    rotation: int = 0
    seconds: float = 0.0

    @property
    def confidence(self) -> float:
        """Mean word confidence, 0-1 (0 when no word was read)."""
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def low_confidence_words(self) -> list[str]:
        return [w.text for w in self.words if w.low]


# --- loading ------------------------------------------------------------------------------------


def load_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Bytes -> an upright RGB or L image; ImageError for non-images, other formats, huge sizes."""
    if not data:
        raise ImageError("not_image", "the file is empty")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)  # reads the header only
    except UnidentifiedImageError:
        raise ImageError("not_image" if not _looks_like_heic(data) else "unsupported", _format_message(data)) from None
    except Image.DecompressionBombError:
        raise ImageError("too_large", f"the image has more than {max_pixels:,} pixels") from None
    width, height = image.size
    if width * height > max_pixels:
        raise ImageError("too_large", f"the image is {width}x{height} pixels; the limit is {max_pixels:,} pixels")
    if image.format == "JPEG":
        # Decode big JPEGs at a reduced size straight from the DCT: much faster, same text.
        image.draft("L", (MAX_WORK_SIDE, MAX_WORK_SIDE))
    try:
        image.load()
        image = ImageOps.exif_transpose(image)  # phones store "rotate me" in EXIF
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError("not_image", f"the image is damaged or truncated ({exc.__class__.__name__})") from None
    return image


def _looks_like_heic(data: bytes) -> bool:
    return data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc")


def _format_message(data: bytes) -> str:
    if _looks_like_heic(data):
        return (
            "HEIC photos cannot be read on this server; set the camera to 'Most compatible' (JPEG) or send a screenshot"
        )
    return "the file is not a JPEG, PNG, WebP" + (" or HEIC" if HEIC else "") + " image"


# --- preparation: small steps, each image -> image ---------------------------------------------


def to_gray(image: Image.Image) -> Image.Image:
    """Grayscale; transparent areas become white (a PNG screenshot's background)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    return image.convert("L")


def line_height(gray: Image.Image) -> float | None:
    """Typical height in pixels of a text line, or None if the image shows no clear lines.

    In each of a few vertical strips of a flattened, thresholded copy, runs of rows that hold
    some ink (but are not solid, like a dark table top around the label) are text lines; the
    median run over all strips is the line height. Rough, but enough to pick a scale.
    """
    return _run_height(_ink(np.asarray(flatten_light(gray))), solid=0.6)


def _run_height(ink: np.ndarray, solid: float = 1.0) -> float | None:
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


def scale_for_text(gray: Image.Image) -> Image.Image:
    """Resize so text lines are about TARGET_LINE_PX high, within MAX_WORK_SIDE."""
    longest = max(gray.size)
    if longest > MAX_WORK_SIDE:  # measure on a workable size first
        gray = gray.resize(_scaled(gray.size, MAX_WORK_SIDE / longest), Image.LANCZOS)
        longest = max(gray.size)
    height = line_height(gray)
    factor = TARGET_LINE_PX / height if height else 1.0
    factor = min(max(factor, 0.5), 3.0, MAX_WORK_SIDE / longest)
    if 0.9 < factor < 1.15:  # not worth the time
        return gray
    return gray.resize(_scaled(gray.size, factor), Image.LANCZOS if factor < 1 else Image.BICUBIC)


def flatten_light(gray: Image.Image) -> Image.Image:
    """Divide by the blurred background: shadows and a lamp's hot spot become even white."""
    small = gray.resize(_scaled(gray.size, 96 / max(gray.size)), Image.BILINEAR)
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
    small = gray.resize(_scaled(gray.size, 800 / max(gray.size)), Image.BILINEAR)
    ink = Image.fromarray((_ink(np.asarray(small)) * 255).astype(np.uint8))
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
    height = _run_height(ink)
    if height is None:
        return gray
    boxes, columns = _reading_blocks(ink, (0, 0, gray.width, gray.height), height, depth=0)
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
    ink = _ink(pixels)
    small = Image.fromarray(ink.astype(np.uint8) * 255).reduce(4)
    density = small.filter(ImageFilter.BoxBlur(max(2, max(small.size) // 80)))
    # Grown a little, so the edge of a dark area does not stay behind as a line of ink.
    solid = density.filter(ImageFilter.MaxFilter(3)).point(lambda v: 255 if v > 128 else 0)
    solid = np.asarray(solid.resize((pixels.shape[1], pixels.shape[0]), Image.NEAREST)) > 0
    rest = pixels[~solid]
    if rest.size == 0:
        return np.zeros_like(ink)
    return (pixels < _otsu(rest)) & ~solid


def _reading_blocks(
    ink: np.ndarray, box: tuple[int, int, int, int], height: float, depth: int
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
        inner, split = _reading_blocks(ink, part, height, depth + 1)
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


def _ink(pixels: np.ndarray) -> np.ndarray:
    """Boolean mask of dark pixels, threshold by Otsu's method."""
    return pixels < _otsu(pixels)


def _otsu(pixels: np.ndarray) -> int:
    """The grey level that best splits the pixels into dark and light (Otsu's method)."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    weights = np.cumsum(histogram)
    means = np.cumsum(histogram * np.arange(256))
    between = (means[-1] * weights / total - means) ** 2 / np.maximum(weights * (total - weights), 1.0)
    return int(np.argmax(between))


def _scaled(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return max(1, round(size[0] * factor)), max(1, round(size[1] * factor))


STEPS = [to_gray, scale_for_text, flatten_light, stretch_contrast, deskew, stack_columns]


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
    small = gray.resize(_scaled(gray.size, 600 / max(gray.size)), Image.BILINEAR)
    ink = _ink(np.asarray(flatten_light(small)))
    sideways = np.var(ink.mean(axis=0)) > np.var(ink.mean(axis=1))
    return [90, 270, 180] if sideways else [180, 90, 270]


# --- OCR ----------------------------------------------------------------------------------------


def _tesseract():
    import pytesseract  # imported late: the checker works without it for pasted text

    return pytesseract


def tesseract_available() -> bool:
    try:
        _tesseract().get_tesseract_version()
        return True
    except Exception:  # ImportError, TesseractNotFoundError, a broken install
        return False


def recognise(gray: Image.Image) -> tuple[str, list[Word]]:
    """Tesseract on a prepared image -> (text, words): the lines in reading order."""
    pytesseract = _tesseract()
    try:
        data = pytesseract.image_to_data(gray, lang="eng", config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractMissing(str(exc)) from None
    lines: list[list[tuple[str, float]]] = []
    keys: list[tuple[int, int, int]] = []
    for i, word in enumerate(data["text"]):
        word = word.strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if not keys or keys[-1] != key:
            keys.append(key)
            lines.append([])
        lines[-1].append((word, confidence / 100.0))
    lines = [line for line in lines if not _speck(line)]
    # One line per printed line and no blank lines: Tesseract starts a new block wherever the
    # spacing changes, often mid-name, and the parser ends a list at a blank line.
    words = [Word(w, c, number) for number, line in enumerate(lines) for w, c in line]
    return "\n".join(" ".join(w for w, _ in line) for line in lines), words


def _speck(line: list[tuple[str, float]]) -> bool:
    """A line of a few letters, every word unsure: the card's edge or a scratch, not text.

    Such fragments ('as. ORR', '4 pi') are not harmless: a short 'sentence' can end the list."""
    letters = sum(ch.isalnum() for word, _ in line for ch in word)
    return letters <= 6 and all(confidence < LOW_CONFIDENCE for _, confidence in line)


def read_image(data: bytes | Image.Image, max_pixels: int = MAX_PIXELS) -> Reading:
    """Image bytes (or an image from load_image) -> Reading. ImageError / TesseractMissing.

    A reading that comes out poor (low confidence or hardly any words) is retried with the photo
    turned, sideways first when the ink says so; the first good reading, else the best, wins.
    """
    started = time.perf_counter()
    image = to_gray(data if isinstance(data, Image.Image) else load_image(data, max_pixels))
    reading = Reading(*recognise(prepare(image)))
    if not _good(reading):
        for turn in turns_to_try(image):
            again = Reading(*recognise(prepare(image.rotate(turn, expand=True, fillcolor=255))), rotation=turn)
            if _score(again) > _score(reading):
                reading = again
            if _good(reading):
                break
    reading.text = clean_ocr_text(reading.text)
    reading.seconds = time.perf_counter() - started
    return reading


def _good(reading: Reading) -> bool:
    return reading.confidence >= MIN_GOOD_CONFIDENCE and len(reading.words) >= MIN_WORDS


def _score(reading: Reading) -> float:
    return reading.confidence * len(reading.words)


# --- OCR-specific clean-up ----------------------------------------------------------------------

# Each pair: what Tesseract prints for a label's punctuation -> what the parser expects.
_OCR_FIXES = [
    (re.compile(r"[|¦]"), " "),  # column rules and bars read as pipes
    (re.compile(r"[‚„]"), ","),  # low quotes are commas
    (re.compile(r"(?<=[a-z])!(?=[a-z])|(?<=[a-z]{2})!(?=[\s,.])"), "l"),  # 'Tocophery!', 'Dipropy!ene'
]
_LETTER = re.compile(r"[^\W\d_]")


def _is_barcode_digits(line: str) -> bool:
    """The digits printed under a barcode ('4 974650 752915'): no letters, eight digits or more."""
    return not _LETTER.search(line) and sum(c.isdigit() for c in line) >= 8


def clean_ocr_text(text: str) -> str:
    """Undo OCR slips before the parser sees the text (the parser handles the rest).

    Lines with no text and barcode digits go: the parser ends a list at a blank line, and an
    OCR reading has none that mean anything.
    """
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not _is_barcode_digits(line))
