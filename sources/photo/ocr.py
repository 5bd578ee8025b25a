"""Photo of a label -> the text on it, with a confidence for every word, and whether to trust it.

In:  image bytes (JPEG, PNG, WebP, HEIC when pillow-heif is installed) or an image from load_image.
Out: `read_image(data or image, checker=...) -> Reading`: .text (the label's lines in reading order, columns one
     after the other, OCR slips put right against the ingredient lexicon), .words (Word: text,
     confidence 0-1, line number), .confidence (mean, 0-1), .rotation (quarter turns the text was
     turned to read it) and .tilt (degrees within that quarter), .engine ("ppocr" | "tesseract"),
     .changes (corrections made), .assessment (assess.Assessment: .poor, .reasons, .tip), .seconds.
     `ImageError` (.kind 'not_image', 'unsupported', 'too_large'), `OCRUnavailable`
     (`TesseractMissing`) when no engine can run.

The engines, in the order chosen by measurement on real and rendered photos (benchmarks/bench_ocr.py,
docs/measurements.md): Tesseract first on the prepared image (prepare.prepare), fast and near
perfect on clean print; PP-OCR (engine.ppocr) when that reading is not good enough: it reads the
colour photo as it is, at any angle, light on dark, and its line pieces are put in reading order
(lines.order_lines); last, Tesseract on the photo turned a quarter or half turn.
Every engine run is bounded by the photo's Budget (time and number of runs); a run that passes
its limit has its process killed. No Flask here: the web layer maps the errors to HTTP statuses.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from .assess import Assessment, PhotoMeasures, assess
from .columns import stack_columns
from .correct import correct
from .engine import (
    Budget,
    OCRTimeout,
    OCRUnavailable,
    TesseractMissing,
    ppocr,
    ppocr_available,
    tesseract,
    tesseract_available,
    warm,
)
from .image import FORMATS, HEIC, MAX_PIXELS, MAX_WORK_SIDE, ImageError, load_image
from .lines import order_lines
from .prepare import line_height, prepare, skew_angle, to_gray, turns_to_try

__all__ = [
    "FORMATS",
    "HEIC",
    "MAX_PIXELS",
    "Budget",
    "ImageError",
    "OCRUnavailable",
    "Reading",
    "TesseractMissing",
    "Word",
    "clean_ocr_text",
    "load_image",
    "read_image",
    "skew_angle",
    "stack_columns",
    "tesseract_available",
    "to_gray",
    "turns_to_try",
]

LOW_CONFIDENCE = 0.6  # words the engine is less sure of are marked for the user
MIN_GOOD_CONFIDENCE = 0.6  # below this (or too few words) Tesseract reads the photo turned
MIN_WORDS = 4
TRUSTED_CONFIDENCE = 0.86  # a reading not poor but less sure than this is read by PP-OCR too
PPOCR_MIN_SIDE = 1000  # smaller photos are enlarged first: PP-OCR loses letters below this


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-1, the engine's own
    line: int  # 0-based index of the line in Reading.text

    @property
    def low(self) -> bool:
        return self.confidence < LOW_CONFIDENCE


@dataclass
class Reading:
    text: str
    words: list[Word] = field(default_factory=list)
    rotation: int = 0  # quarter turns (0, 90, 180, 270) the text was turned to read it
    tilt: float = 0.0  # and the degrees of tilt within that quarter
    seconds: float = 0.0
    engine: str = ""
    changes: list[str] = field(default_factory=list)
    assessment: Assessment | None = None

    @property
    def confidence(self) -> float:
        """Mean word confidence, 0-1 (0 when no word was read)."""
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def low_confidence_words(self) -> list[str]:
        return [w.text for w in self.words if w.low]

    @property
    def poor(self) -> bool:
        """The reading cannot be trusted as the label's list (see assessment.reasons and .tip)."""
        return self.assessment is not None and self.assessment.poor


def _reading(lines: list[list[tuple[str, float]]], **kwargs) -> Reading:
    words = [Word(w, c, number) for number, line in enumerate(lines) for w, c in line]
    return Reading("\n".join(" ".join(w for w, _ in line) for line in lines), words, **kwargs)


# --- PP-OCR -------------------------------------------------------------------------------------


def read_ppocr(image: Image.Image, budget: Budget) -> Reading | None:
    """PP-OCR on the colour photo (small photos enlarged) -> Reading; None when out of budget."""
    seconds = budget.take()
    if seconds is None:
        return None
    rgb = image.convert("RGB")
    factor = min(3.0, PPOCR_MIN_SIDE / max(rgb.size))
    if factor > 1.2:
        rgb = rgb.resize((round(rgb.width * factor), round(rgb.height * factor)), Image.BICUBIC)
    lines, degrees = order_lines(ppocr(np.asarray(rgb), seconds))
    words = [[(word, box.confidence) for box in line for word in box.text.split()] for line in lines]
    quarter = round(degrees / 90) * 90
    return _reading([line for line in words if line], rotation=quarter % 360, tilt=degrees - quarter, engine="ppocr")


# --- Tesseract ----------------------------------------------------------------------------------


def read_tesseract(image: Image.Image, budget: Budget, turns: list[int] | None = None) -> Reading | None:
    """Tesseract on the prepared photo at each of `turns` (quarter turns, degrees) until one reads
    well, within the budget; by default as it is, then turned the ways worth trying."""
    gray = to_gray(image)
    reading = None
    for turn in [0, *turns_to_try(gray)] if turns is None else turns:
        seconds = budget.take()
        if seconds is None:
            break
        turned = gray if not turn else gray.rotate(turn, expand=True, fillcolor=255)
        lines = [line for line in tesseract(prepare(turned), seconds) if not _speck(line)]
        again = _reading(lines, rotation=turn, engine="tesseract")
        if reading is None or _score(again) > _score(reading):
            reading = again
        if _good(reading):
            break
    return reading


def _speck(line: list[tuple[str, float]]) -> bool:
    """A line of a few letters, every word unsure: the card's edge or a scratch, not text.

    Such fragments ('as. ORR', '4 pi') are not harmless: a short 'sentence' can end the list."""
    letters = sum(ch.isalnum() for word, _ in line for ch in word)
    return letters <= 6 and all(confidence < LOW_CONFIDENCE for _, confidence in line)


def _good(reading: Reading) -> bool:
    return reading.confidence >= MIN_GOOD_CONFIDENCE and len(reading.words) >= MIN_WORDS


def _score(reading: Reading) -> float:
    return reading.confidence * len(reading.words)


# --- the whole reading --------------------------------------------------------------------------


def read_image(
    data: bytes | Image.Image, max_pixels: int = MAX_PIXELS, budget: Budget | None = None, *, checker
) -> Reading:
    """Image bytes (or an image from load_image) -> Reading. ImageError / OCRUnavailable.

    `checker` is the Checker whose lexicon corrects and assesses the reading (the app's own).

    Tesseract first, as the photo is (fast, and near perfect on clean flat print); its reading is
    corrected and assessed against the lexicon, and kept when it is not poor and Tesseract was sure
    of its words (TRUSTED_CONFIDENCE). Otherwise PP-OCR
    reads the photo too (any angle, light on dark, uneven light), and the reading that recognises
    more is kept. When that is still not good enough (PP-OCR missing, failed, or poor: it misreads
    a photo taken sideways), Tesseract reads the photo turned. Every run is within the photo's budget.
    """
    started = time.perf_counter()
    image = data if isinstance(data, Image.Image) else load_image(data, max_pixels)
    if max(image.size) > MAX_WORK_SIDE:
        image = image.copy()
        image.thumbnail((MAX_WORK_SIDE, MAX_WORK_SIDE), Image.LANCZOS)
    if not ppocr_available() and not tesseract_available():
        raise TesseractMissing("no OCR engine is installed (rapidocr, or tesseract-ocr)")
    measures = measure(image)
    budget = budget or Budget()
    readings: list[Reading] = []

    def run(read, *args) -> Reading | None:
        try:
            reading = read(image, budget, *args)
        except (OCRTimeout, OCRUnavailable):
            return None
        if reading is not None:
            readings.append(_finish(reading, measures, checker))
        return reading

    if tesseract_available():
        run(read_tesseract, [0] if ppocr_available() else None)
    if not _trusted(readings) and ppocr_available() and _warm_ppocr():
        run(read_ppocr)
    if not _trusted(readings) and tesseract_available() and ppocr_available():
        run(read_tesseract, turns_to_try(to_gray(image)))  # a sideways photo PP-OCR could not read either
    reading = max(readings, key=_rank) if readings else _finish(Reading(""), measures, checker)
    reading.seconds = time.perf_counter() - started
    return reading


def _warm_ppocr() -> bool:
    """The models load once per process, not on a photo's budget; False when PP-OCR cannot start."""
    try:
        warm()
        return True
    except OCRUnavailable:
        return False


def _finish(reading: Reading, measures: PhotoMeasures, checker) -> Reading:
    """The reading's text cleaned and corrected, and assessed against the lexicon."""
    corrected = correct(clean_ocr_text(reading.text), checker)
    reading.text, reading.changes = corrected.text, corrected.changes
    reading.assessment = assess(reading.text, reading.confidence, replace(measures, tilt=reading.tilt), checker)
    return reading


def _trusted(readings: list[Reading]) -> bool:
    """A reading good enough to stop at: not poor, and read with an engine's sureness on clean print."""
    return any(r.words and not r.poor and r.confidence >= TRUSTED_CONFIDENCE for r in readings)


def _rank(reading: Reading) -> tuple:
    """A trusted reading first, then the one recognising more ingredients, then the one with fewer
    unknown items."""
    if not reading.words:
        return (-1, 0, 0.0)
    return (not reading.poor, reading.assessment.known, -reading.assessment.unrecognised_share)


def measure(image: Image.Image) -> PhotoMeasures:
    """Brightness, contrast and text height of the photo, for the assessment's tip."""
    gray = to_gray(image)
    pixels = np.asarray(gray)
    low, high = np.percentile(pixels, [5, 95])
    return PhotoMeasures(float(pixels.mean()), float(high - low), 0.0, line_height(gray))


# --- OCR-specific clean-up ----------------------------------------------------------------------

# Each pair: what Tesseract prints for a label's punctuation -> what the parser expects.
_OCR_FIXES = [
    (re.compile(r"[|¦]"), " "),  # column rules and bars read as pipes
    (re.compile(r"[‚„]"), ","),  # low quotes are commas
    (re.compile(r"(?<=[a-z])!(?=[a-z])|(?<=[a-z]{2})!(?=[\s,.])"), "l"),  # 'Tocophery!', 'Dipropy!ene'
]
_FOOTNOTE_LINE = re.compile(r"[*†‡¹²³]")
_LETTER = re.compile(r"[^\W\d_]")


def _is_barcode_digits(line: str) -> bool:
    """The digits printed under a barcode ('4 974650 752915'): no letters, eight digits or more."""
    return not _LETTER.search(line) and sum(c.isdigit() for c in line) >= 8


def clean_ocr_text(text: str) -> str:
    """Undo OCR slips before the parser sees the text (the parser handles the rest).

    Lines with no text and barcode digits go: the parser ends a list at a blank line, and an
    OCR reading has none that mean anything. Except after a footnote ('*organic', '*vs
    shampooing alone.'): it stays a paragraph of its own, else the parser reads the footnote and
    the list under it as one sentence that starts with '*' and drops it all.
    """
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    lines = [line.strip() for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line or _is_barcode_digits(line):
            continue
        if kept and _FOOTNOTE_LINE.match(kept[-1]):
            kept.append("")
        kept.append(line)
    return "\n".join(kept)
