"""The label vocabulary is data: data/label_words.toml, read by checker/vocabulary.py into the patterns
the parser, the page reader and the inventory reader use. One heading word, found by all three."""

import tomllib

import pytest

from checker import get_checker
from checker.parse import parse
from checker.vocabulary import DEFAULT_PATH, VocabularyError, load_vocabulary
from shelf.inventory import column_spellings, read_inventory
from sources.page import extract

SHIPPED = DEFAULT_PATH.read_text(encoding="utf-8")


def write_vocabulary(tmp_path, text: str):
    path = tmp_path / "label_words.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def with_croatian(tmp_path):
    """The shipped vocabulary with one more language: Croatian 'Sastojci' (ingredients) as a list
    heading, a page label and an inventory column."""
    text = SHIPPED
    for table in ("[headings.list]\n", "[page.labels]\n", "[columns.ingredients]\n"):
        text = text.replace(table, f'{table}hr = ["sastojci"]\n', 1)
    return load_vocabulary(write_vocabulary(tmp_path, text))


@pytest.mark.parametrize("heading", ["Ingrédients :", "Inhaltsstoffe:"], ids=["fr", "de"])
class TestOneHeading:
    """One heading (from data/label_words.toml) for every reader: parser, page reader, inventory."""

    def test_parser_starts_the_list(self, heading):
        parsed = parse(f"Crème Douce\n{heading} Aqua, Glycerin, Niacinamide")
        assert [t.name for t in parsed.tokens] == ["Aqua", "Glycerin", "Niacinamide"]
        assert parsed.title == "Crème Douce"

    def test_page_reader_opens_the_tab(self, heading):
        html = (
            f"<h1>Crème Douce</h1><button aria-controls='list'>{heading}</button>"
            "<div id='list'>Aqua, Glycerin, Niacinamide</div>"
        )
        found = extract(html, checker=get_checker())
        assert found.ingredients_text == "Aqua, Glycerin, Niacinamide"
        assert found.where.startswith(f'the "{heading}" tab')

    def test_inventory_takes_the_column(self, heading):
        header = heading.rstrip(" :")
        inventory = read_inventory(f"Produkt;{header}\nCrème Douce;Aqua, Glycerin\n".encode(), "shelf.csv")
        assert inventory.columns.ingredients == header and inventory.sure


def test_a_word_added_to_the_data_is_recognised(with_croatian):
    label = "Krema\nSastojci: Aqua, Glycerin"
    assert not load_vocabulary().list_heading.search(label)  # the shipped words do not know it
    assert with_croatian.list_heading.search(label).group("h") == "Sastojci"
    assert "sastojci" in with_croatian.list_heading_hints  # the parser's pre-filter, from the same word
    assert with_croatian.page_label.match("Sastojci") and with_croatian.page_label_hint.search("Sastojci")
    assert "sastojci" in column_spellings(with_croatian)["ingredients"]


def test_a_phrase_added_to_a_table_is_found_in_its_role(tmp_path):
    """'sans' (French: without) opens a block of what the product does not contain."""
    text = SHIPPED.replace("[claims.block]\n", '[claims.block]\nfr = ["formulé sans"]\n', 1)
    words = load_vocabulary(write_vocabulary(tmp_path, text))
    block = words.claim_block.search("Formulé  sans : parabènes, silicones")
    assert block.group(0) == "Formulé  sans" and "formulé" in words.claim_block_hints


def test_the_vocabulary_is_read_once():
    assert load_vocabulary() is load_vocabulary(DEFAULT_PATH)


# --- the cheap pre-filters are derived from the words, so they never hide a match ----------------


def _phrases(*tables: str) -> list[str]:
    data = tomllib.loads(SHIPPED)
    out = []
    for name in tables:
        table = data
        for part in name.split("."):
            table = table[part]
        out += [phrase for key, values in table.items() if key.isalpha() and len(key) == 2 for phrase in values]
    return out


@pytest.mark.parametrize(
    "pattern, hints, tables",
    [
        ("list_heading", "list_heading_hints", ("headings.list",)),
        ("claim_block", "claim_block_hints", ("claims.block", "claims.block_words")),
        ("disclaimer", "disclaimer_hints", ("disclaimers",)),
        ("may_contain", "may_contain_hints", ("may_contain",)),
        ("attribute_hint", "attribute_hint_words", ("page.attribute_stems", "page.attribute_words")),
    ],
    ids=["heading", "claim", "disclaimer", "may-contain", "attribute"],
)
def test_every_phrase_passes_its_pre_filter(pattern, hints, tables):
    words = load_vocabulary()
    for phrase in _phrases(*tables):
        text = f"Intro. {phrase.upper()}\nAqua, Glycerin"
        if pattern == "attribute_hint":
            text = f"pdp-{phrase}-tab"
        assert getattr(words, pattern).search(text), phrase
        assert any(hint in text.lower() for hint in getattr(words, hints)), phrase


def test_every_page_label_passes_its_pre_filter():
    words = load_vocabulary()
    for label in _phrases("page.labels"):
        assert words.page_label.match(label.title()) and words.page_label_hint.search(label.title()), label


# --- a malformed file ------------------------------------------------------------------------------


def test_a_missing_table_is_named(tmp_path):
    start, end = SHIPPED.index("\n[bullets]\n"), SHIPPED.index("\n[qualifiers.words]\n")
    with pytest.raises(VocabularyError, match=r"no \[bullets\] table"):
        load_vocabulary(write_vocabulary(tmp_path, SHIPPED[:start] + SHIPPED[end:]))


def test_a_list_that_is_not_words_is_named(tmp_path):
    text = SHIPPED.replace('en = ["free"]', "en = [1]")  # [claims.suffix]
    with pytest.raises(VocabularyError, match=r"\[claims.suffix\] en must be a list of words"):
        load_vocabulary(write_vocabulary(tmp_path, text))
