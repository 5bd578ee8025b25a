"""A reading of a label -> whether it can be trusted, and one tip for a better photo.

In:  the corrected reading text, its mean confidence, the photo's measures (brightness, contrast,
     tilt, text height in pixels) and a Checker.
Out: `assess(...) -> Assessment`: .poor (say so before any verdict: nothing reassuring may be
     shown as if the label had been read; an avoid found is still an avoid), .reasons, .tip (one
     concrete thing to do: more light, hold the phone straight, come closer), .unrecognised_share,
     .known (how many list items are known ingredients: two readings of one photo compare on it).

A reading is poor when most of what looks like list items is not a known ingredient, when the
engine was unsure of its words, or when hardly any ingredient was read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker import InputError

MAX_UNRECOGNISED = 0.35  # of the list-like items; more unknown than this and the list was misread
MIN_CONFIDENCE = 0.75  # the engine's mean confidence in its words
MIN_INGREDIENTS = 3
LIST_ITEM_WORDS = 6  # longer items are sentences after the list, not misread names
DARK = 70  # mean grey (0-255) below this: too dark
FLAT = 35  # spread of grey levels below this: too little contrast
TILT = 12.0  # degrees
SMALL_TEXT = 14  # text lines lower than this (pixels in the photo) are too small to read well

TIPS = {
    "dark": "The photo is too dark: take it in brighter, even light (no flash glare).",
    "flat": "The print hardly stands out from the packaging: use brighter light from the side.",
    "tilted": "The text is tilted: hold the phone straight above the list.",
    "small": "The print is too small in the photo: come closer, so the list fills the picture.",
    "other": "Take the photo closer and straighter, flat on and in good light, with the list filling the picture.",
}


@dataclass(frozen=True)
class PhotoMeasures:
    brightness: float = 128.0  # mean grey 0-255
    contrast: float = 128.0  # grey spread between the 5th and 95th percentile
    tilt: float = 0.0  # degrees the text was turned to read it
    text_height: float | None = None  # median height of a text line in the photo's own pixels


@dataclass(frozen=True)
class Assessment:
    poor: bool
    reasons: list[str] = field(default_factory=list)
    tip: str | None = None
    unrecognised_share: float = 0.0
    known: int = 0


def assess(text: str, confidence: float, measures: PhotoMeasures, checker) -> Assessment:
    try:
        report = checker.check(text) if text.strip() else None
    except InputError:
        report = None
    items = [i for i in report.items if len(i.token.text.split()) <= LIST_ITEM_WORDS] if report else []
    known = [i for i in items if i.match and i.match.entry]
    share = 1 - len(known) / len(items) if items else 1.0
    reasons = []
    if len(known) < MIN_INGREDIENTS:
        reasons.append("hardly any ingredient was read")
    if share > MAX_UNRECOGNISED:
        reasons.append(f"{share:.0%} of what looks like the list was not recognised")
    if confidence < MIN_CONFIDENCE:
        reasons.append("the text was read with low confidence")
    poor = bool(reasons)
    return Assessment(poor, reasons, tip(measures) if poor else None, round(share, 3), len(known))


def tip(measures: PhotoMeasures) -> str:
    """The one thing most likely to give a better photo."""
    if measures.brightness < DARK:
        return TIPS["dark"]
    if measures.contrast < FLAT:
        return TIPS["flat"]
    if measures.text_height is not None and measures.text_height < SMALL_TEXT:
        return TIPS["small"]
    if abs(measures.tilt) > TILT:
        return TIPS["tilted"]
    return TIPS["other"]
