"""sources.photo.correct: OCR slips put right against the ingredient lexicon (no OCR needed)."""

import pytest

from checker import check
from sources.photo.correct import correct
from sources.photo.ocr import clean_ocr_text


@pytest.mark.parametrize(
    "printed, meant",
    [
        ("Aqua, Polysorbate 6O, Glycerin", "Polysorbate 60"),
        ("Aqua, Glycerin, Tocopherol, Disodium EDTA Camellia Extract, Parfum", "Disodium EDTA, Camellia Extract"),
        ("Aqua, Helianthus Annuus Seed Oil Glycerin, Parfum", "Helianthus Annuus Seed Oil, Glycerin"),
        ("Aqua, Hydro-\ngenated Castor Oil, Glycerin", "Hydrogenated\nCastor Oil"),
        ("Aqua, 1,2-Hexanediol. Cera Alba, Glycerin", "1,2-Hexanediol, Cera Alba"),
        ("Aqua, Glycerin, Sodium\nHydroxide", "Sodium\nHydroxide"),
    ],
    ids=["digit", "lost-comma", "lost-comma-2", "hyphen-cut", "full-stop", "line-end"],
)
def test_corrections(checker, printed, meant):
    assert meant in correct(printed, checker).text


def test_a_lost_comma_at_a_line_end_is_put_back(checker):
    text = correct("Aqua, Glycerin, Disodium EDTA\nCamellia Extract, Parfum", checker).text
    assert "Disodium EDTA," in text


def test_the_list_ends_before_the_text_after_it(checker):
    text = correct("Aqua, Glycerin, Sodium Hydroxide\nVente reservee aux distributeurs agrees", checker).text
    assert "Sodium Hydroxide" in [item.token.name for item in check(text).items]


def test_a_footnote_above_the_list_keeps_its_own_paragraph():
    text = clean_ocr_text("*vs shampooing alone\n\nAqua, Glycerin, Retinol")
    assert [item.token.name for item in check(text).items] == ["Aqua", "Glycerin", "Retinol"]


def test_a_claim_that_names_an_ingredient_gets_no_comma(checker):
    """A sentence that ends inside the piece is prose, and a name is never cut from its parenthesis."""
    text = "blackheads. -Retinol (Retinyl Acetate, Vitamin A): Promotes clear-looking skin."
    assert correct(text, checker).text == text


def test_known_words_and_prose_are_left_alone(checker):
    text = "Ingredients: Aqua, Glycerin. Keep out of reach of children."
    assert correct(text, checker).text == text
