"""The colour pairs in static/app.css meet WCAG AA contrast (4.5:1 for text, 3:1 for icons)."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "app.css").read_text()
COLOURS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", CSS))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_PAIRS = (
    [("ink", "bg"), ("muted", "bg"), ("link", "bg"), ("muted", "soft")]
    + [(f"{v}-ink", f"{v}-bg") for v in ("avoid", "caution", "encouraged", "neutral")]
    + [(v, "bg") for v in ("avoid", "caution", "encouraged")]
)  # badge words on white


@pytest.mark.parametrize("fg, bg", TEXT_PAIRS)
def test_text_colours_meet_aa(fg, bg):
    assert contrast(COLOURS[fg], COLOURS[bg]) >= 4.5


@pytest.mark.parametrize("verdict", ["avoid", "caution", "encouraged", "neutral"])
def test_banner_icons_stand_out_from_the_banner(verdict):
    assert contrast(COLOURS[verdict], COLOURS[f"{verdict}-bg"]) >= 3


def test_white_on_the_button_meets_aa():
    assert contrast("#ffffff", COLOURS["link"]) >= 4.5
