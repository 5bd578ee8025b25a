"""The failure kinds real photos showed (issue 13), each on a label drawn here.

Reading needs PP-OCR (rapidocr) and Tesseract: these tests are marked `ocr`.
"""

import pytest

from checker import check

pytestmark = pytest.mark.ocr

LIST = [
    "Ingredients: Aqua, Glycerin, Retinol, Niacinamide,",
    "Panthenol, Allantoin, Xanthan Gum, Phenoxyethanol,",
    "Sodium Hyaluronate, Tocopherol, Citric Acid.",
]


def names(text: str) -> list[str]:
    return [i.match.entry.inci for i in check(text).items if i.match and i.match.entry and i.match.entry.inci]


def test_a_footnote_above_the_list_does_not_swallow_it(label, ppocr, read):
    """'*vs shampooing alone' over the list: the list is still read (it was dropped with the footnote)."""
    reading = read(label(["*vs shampooing alone, after 4 weeks", *LIST]))
    assert {"Retinol", "Glycerin", "Citric Acid"} <= set(names(reading.text))


def test_a_label_tilted_25_degrees_is_read(label, ppocr, read):
    image = label(LIST).rotate(25, expand=True, fillcolor="white")
    reading = read(image)
    assert len(set(names(reading.text))) >= 10
    assert check(reading.text).verdict == "avoid"  # retinol


def test_white_text_on_black_is_read(label, ppocr, read):
    reading = read(label(LIST, ink=255, paper=0))
    assert len(set(names(reading.text))) >= 10


def test_low_contrast_print_is_read(label, ppocr, read):
    reading = read(label(LIST, ink=150, paper=205))
    assert len(set(names(reading.text))) >= 10


def test_a_comma_lost_between_two_known_names_is_put_back(label, ppocr, read):
    """'Disodium EDTA Camellia Extract' is two ingredients, not one botanical."""
    reading = read(label(["Ingredients: Aqua, Polysorbate 20, Glycerin,", "Disodium EDTA Camellia Extract, Parfum."]))
    assert {"Disodium EDTA", "Polysorbate 20", "Glycerin"} <= set(names(reading.text))
    assert "Disodium EDTA Camellia Extract" not in [i.token.name for i in check(reading.text).items]


def test_last_name_not_joined_to_the_text_after(label, ppocr, read):
    reading = read(label([*LIST[:2], "Sodium Hyaluronate, Tocopherol", "Vente reservee aux distributeurs agrees"]))
    assert "Tocopherol" in names(reading.text)


def test_a_blank_label_is_a_poor_reading_with_a_tip(label, ppocr, read):
    reading = read(label(["Shake well before use"]))
    assert reading.poor and reading.assessment.tip
