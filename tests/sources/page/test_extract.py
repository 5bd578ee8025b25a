"""sources.page: product page HTML -> product name, brand and ingredient list.

Fixture pages (tests/fixtures/pages/<name>.html) each have the expected extraction next to them
(<name>.json); one generated test per pair. The saved Sephora pages in ../shared are tested when
that folder is present (they are never copied into this repository).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker import Checker, check, get_checker
from checker.parse import parse
from sources.page import NoIngredientList, build_tree, element_text
from sources.page import extract as extract_with
from sources.page.lists import Scorer


def extract(html, **options):
    """The page reader scoring with the default checker, as the web app's default protocol does.
    Its clock stands still unless a test gives one, so a busy machine never cuts a page short."""
    options.setdefault("clock", lambda: 0.0)
    return extract_with(html, checker=get_checker(), **options)


ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
SEPHORA = Path(os.environ.get("AFTERCHECK_SHARED", ROOT.parent / "shared")) / "data" / "html_sephora_2020"
PAIRS = sorted(FIXTURES.glob("*.html"))


def _names(text: str) -> list[str]:
    return [t.name for t in parse(text).tokens]


def _flagged(report) -> set[str]:
    return {i.token.name for i in report.items if i.flag != "none"}


@pytest.mark.parametrize("page", PAIRS, ids=[p.stem for p in PAIRS])
def test_fixture_page(page: Path):
    """Each fixture page yields exactly the expected product and list (or no list)."""
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    if not expected["ingredients"]:
        with pytest.raises(NoIngredientList) as caught:
            extract(html, url=expected["url"])
        assert caught.value.product == {"name": expected["name"], "brand": expected["brand"]}
        return
    found = extract(html, url=expected["url"])
    assert (found.name, found.brand, found.source) == (expected["name"], expected["brand"], expected["source"])
    assert _names(found.ingredients_text) == expected["ingredients"]
    assert 0 < found.confidence <= 1 and found.where
    flagged = _flagged(check(found.ingredients_text, name=found.name))
    assert set(expected.get("flagged", [])) <= flagged
    assert not set(expected.get("not_flagged", [])) & flagged


def test_every_fixture_has_its_expectation():
    """A page without its JSON (or the reverse) is a test that silently does not run."""
    assert {p.stem for p in FIXTURES.glob("*.json")} == {p.stem for p in PAIRS}


class TestSelection:
    def test_selection_that_is_a_list_wins(self):
        """The user's selection comes first, before anything on the page."""
        html = (FIXTURES / "two_products.html").read_text(encoding="utf-8")
        found = extract(html, selection="Ingredients: Aqua, Retinol, Glycerin, Squalane")
        assert found.source == "selection" and _names(found.ingredients_text) == [
            "Aqua",
            "Retinol",
            "Glycerin",
            "Squalane",
        ]
        assert found.name == "Barrier Repair Moisturiser"

    def test_selection_alone_with_title(self):
        """The bookmarklet sends only the selection and the title when text is selected."""
        found = extract("", selection="Water, Glycerin, Niacinamide", title="Glow Toner | Shop")
        assert (found.source, found.name) == ("selection", "Glow Toner")

    def test_nothing_recognised_searches_the_page(self):
        """Only a selection in which nothing is recognised is passed over (noted); the page is searched."""
        html = (FIXTURES / "free_from_marketing.html").read_text(encoding="utf-8")
        found = extract(html, selection="Loved by thousands of customers")
        assert found.source == "page-section" and found.notes

    def test_a_selection_is_checked_as_it_is(self):
        """The user said "this is the list": one recognised name is enough, the rest are reported."""
        found = extract("", selection="Aqua, Zorbexil, Mirelline, Quintaflor")
        assert found.source == "selection" and found.ingredients_text == "Aqua, Zorbexil, Mirelline, Quintaflor"
        assert any("not recognised" in note for note in found.notes)

    def test_prose_selection_without_page_is_refused(self):
        """With nothing else to read, the answer says to select the list itself."""
        with pytest.raises(NoIngredientList, match="Select the list"):
            extract("", selection="Our best-selling cream, loved by thousands of customers")


class TestElementText:
    @pytest.mark.parametrize(
        "html, text",
        [
            ("<div>a<ul><li>x</li><li>y</li></ul></div>", "a\n\nx\ny"),
            ("<p>a<br><br>b<br>c</p>", "a\n\nb\nc"),
            ("<p>Water,\n  Glycerin</p>", "Water, Glycerin"),
            ("<p>a<button>Read more</button><script>x()</script>b</p>", "ab"),
            ("<table><tr><td>a</td><td>b</td></tr></table>", "a \t b"),
        ],
        ids=["list", "br", "newline", "controls", "table"],
    )
    def test_breaks(self, html, text):
        """Paragraphs become blank lines, <br>/<li> line breaks, source line breaks spaces."""
        root = build_tree(f"<html><body><div id='x'>{html}</div></body></html>")
        assert element_text(root.get_element_by_id("x")) == text


class TestRobustness:
    def test_empty_page(self):
        with pytest.raises(NoIngredientList):
            extract("   ")

    def test_broken_json_ld_is_ignored(self):
        """Broken structured data is common; the page is still read."""
        html = (
            '<script type="application/ld+json">{"@type": "Product", "name": </script>'
            "<h1>Toner</h1><h2>Ingredients</h2><p>Water, Glycerin, Niacinamide, Panthenol</p>"
        )
        assert extract(html).name == "Toner"

    def test_category_from_json_ld_or_breadcrumbs(self):
        """The page's category reaches the checker as evidence of the product type."""
        listing = "<h1>Daily Fluid</h1><h2>Ingredients</h2><p>Water, Glycerin, Niacinamide, Panthenol</p>"
        product = '{"@type": "Product", "name": "Daily Fluid", "category": "Sunscreen"}'
        crumbs = (
            '{"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "name": "Home"},'
            ' {"@type": "ListItem", "name": "Skincare"}, {"@type": "ListItem", "name": "Sun protection"}]}'
        )
        ld = '<script type="application/ld+json">{}</script>'
        assert extract(ld.format(product) + listing).category == "Sunscreen"
        assert extract(ld.format(crumbs) + listing).category == "Skincare / Sun protection"

    def test_deep_nesting(self):
        """Hostile nesting neither crashes nor hangs the reader. The parser keeps 255 levels: a
        list nested deeper is not seen, and the reader says that no list was found."""

        def nested(depth: int) -> str:
            return "<div>" * depth + "<h2>Ingredients</h2><p>Water, Glycerin, Niacinamide</p>" + "</div>" * depth

        assert extract(nested(200)).ingredients_text == "Water, Glycerin, Niacinamide"
        with pytest.raises(NoIngredientList):
            extract(nested(5000))

    def test_too_large(self):
        from checker import InputError

        with pytest.raises(InputError):
            extract("x" * 5_000_001)


class TestTimeBudget:
    """Scoring stops when the budget is spent. The clock is a stepping one (tests/conftest.py): one
    second passes at every reading, and the reader reads it once before scoring each candidate, so
    the budget is a number of candidates whatever the machine's speed."""

    # Forty blocks of adjectives with more commas than the list, which the reader therefore scores
    # first: the list comes 41st.
    PAGE = (
        "<h1>Cream</h1>"
        + "".join(f"<div><p>Feel {i}: soft, light, calm, fresh, kind, smooth, bright.</p></div>" for i in range(40))
        + "<div><p>Water, Glycerin, Niacinamide, Panthenol, Squalane</p></div>"
    )

    @pytest.fixture
    def scored(self, monkeypatch):
        """The texts the reader scores, in order."""
        texts, score = [], Scorer.score
        monkeypatch.setattr(Scorer, "score", lambda scorer, text: texts.append(text) or score(scorer, text))
        return texts

    def test_a_stopped_clock_lets_every_block_be_scored(self, stepping_clock, scored):
        found = extract(self.PAGE, budget_s=10, clock=stepping_clock(step=0))
        assert found.ingredients_text.startswith("Water, Glycerin") and found.source == "text-block"
        assert len(scored) == 41

    def test_scoring_stops_when_the_budget_is_spent(self, stepping_clock, scored):
        """Ten seconds: at most ten readings after the start, so the list in block 41 is never reached."""
        clock = stepping_clock(step=1)
        with pytest.raises(NoIngredientList):
            extract(self.PAGE, budget_s=10, clock=clock)
        assert 0 < len(scored) <= 10 and all(text.startswith("Feel") for text in scored)


# --- the saved Sephora pages (Feb 2020) --------------------------------------------------------

# file -> (product name, brand, first ingredient, last ingredient, number of ingredients (as the parser
# splits them in Nov 2026), must flag)
SEPHORA_PAGES = {
    "soup0.html": (
        "Protini™ Polypeptide Moisturizer",
        "Drunk Elephant",
        "Water/Aqua/Eau",
        "Symphytum Officinale Callus Culture Extract",
        58,
        [],
    ),
    "soup1.html": ("The Water Cream", "Tatcha", "Water", "Phenoxyethanol", 29, []),
    "soup2.html": ("Ultra Facial Cream", "Kiehl's Since 1851", "Aqua/Water", "Citric Acid", 35, ["Salicylic Acid"]),
    "soup3.html": (
        "CC+ Cream with SPF 50+",
        "IT Cosmetics",
        "Titanium Dioxide",
        "Iron Oxides (Ci 77492, Ci 77491, Ci 77499)",
        83,
        ["Retinyl Palmitate"],
    ),
    "soup6.html": ("Crème de la Mer Moisturizer", "La Mer", "Algae (Seaweed) Extract", "Fragrance", 42, []),
    "soup39.html": (
        "Goodnight Glow Retin-ALT Sleeping Crème",
        "OLEHENRIKSEN",
        "Water",
        "Citral",
        50,
        ["Glycolic Acid"],
    ),
    "soup1099.html": (
        "PlantGenius® Creamy Bubbling Cleanser with Fruit Enzymes & AHAs",
        "alpyn beauty",
        "Water",
        "Alcohol",
        31,
        ["Glycolic Acid"],
    ),
    "soup1322.html": (
        "AHA 30% + BHA 2% Peeling Solution",
        "The Ordinary",
        "Glycolic Acid",
        "Caprylyl Glycol",
        25,
        ["Glycolic Acid", "Salicylic Acid", "Lactic Acid"],
    ),
    "soup1332.html": (
        "A-Passioni™ Retinol Cream",
        "Drunk Elephant",
        "Water/Aqua/Eau",
        "Ethylhexylglycerin",
        63,
        ["Retinol"],
    ),
    "soup1347.html": ("Lactic Acid 10% + HA", "The Ordinary", "Water", "Caprylyl Glycol", 18, ["Lactic Acid"]),
    "soup1353.html": ('"Buffet" + Copper Peptides 1%', "The Ordinary", "Water", "Chlorphenesin", 49, []),
    "soup1381.html": ("Bakuchiol Retinol Alternative Smoothing Serum", "Herbivore", "Water", "Aqua (Water)", 30, []),
    "soup1387.html": (
        "Vinopure Natural Salicylic Acid Pore Minimizing Serum",
        "Caudalie",
        "Aqua/Water/Eau",
        "Linalool",
        23,
        ["Salicylic Acid"],
    ),
    "soup1392.html": ("GENIUS Liquid Collagen", "Algenist", "Collagen (Vegan)", "Beta-Carotene (CI 40800)", 38, []),
    "soup1428.html": (
        "PRO Strength Retinoid Peptide Serum",
        "Peter Thomas Roth",
        "C9-12 Alkane",
        "Phenoxyethanol",
        36,
        ["Hydroxypinacolone Retinoate"],
    ),
    "soup1436.html": (
        "Mandelic Acid 10% + HA",
        "The Ordinary",
        "Propanediol",
        "Caprylyl Glycol",
        13,
        ["Mandelic Acid"],
    ),
    "soup1445.html": (
        "C+ Collagen Brighten & Firm Vitamin C Serum",
        "Dr. Dennis Gross Skincare",
        "Water",
        "Natural Colorant",
        39,
        ["3-O-Ethyl Ascorbic Acid"],
    ),
}
# Named only in the "Clean at Sephora ... formulated without" block: never flagged from it.
FORMULATED_WITHOUT = {
    "Retinyl Palmitate",
    "Oxybenzone",
    "Hydroquinone",
    "Triclosan",
    "Triclocarban",
    "Coal Tar",
    "Mineral Oil",
    "Parabens",
    "Formaldehydes",
    "Phthalates",
}

needs_shared = pytest.mark.skipif(not SEPHORA.is_dir(), reason=f"saved Sephora pages not present at {SEPHORA}")


@needs_shared
@pytest.mark.parametrize("page", sorted(SEPHORA_PAGES))
def test_sephora_page(page: str):
    """Each saved Sephora page yields its product, its whole list, and nothing from the
    'formulated without' block."""
    name, brand, first, last, count, must_flag = SEPHORA_PAGES[page]
    found = extract((SEPHORA / page).read_text(encoding="utf-8"), url="https://www.sephora.com/product/p")
    names = _names(found.ingredients_text)
    assert (found.name, found.brand, found.source) == (name, brand, "page-section")
    # The last name is matched as a suffix: how '(and)' blends are split is the parser's business.
    assert names[0] == first and names[-1].endswith(last)
    assert abs(len(names) - count) <= count // 10  # no marketing bullets or disclaimers came along
    assert found.confidence >= 0.9
    report = check(found.ingredients_text, name=found.name)
    flagged = _flagged(report)
    assert set(must_flag) <= flagged
    listed = {n for n in names}
    assert not (FORMULATED_WITHOUT - listed) & {i.token.name for i in report.items}
    assert "formulated without" not in found.ingredients_text.lower()


@needs_shared
def test_sephora_pages_are_all_listed():
    assert {p.name for p in SEPHORA.glob("*.html")} == set(SEPHORA_PAGES)


def test_the_page_is_scored_with_the_checker_it_is_given(tmp_path):
    """An app built with its own ingredient data reads pages with that data, not the default's."""
    ingredients = tmp_path / "ingredients.csv"
    ingredients.write_text(
        "inci,synonyms,classes,trace_classes,trace_after_position,note,source\n"
        "Moonwater,,humectant,,,a made-up name,test\n"
        "Starsalt,,humectant,,,a made-up name,test\n",
        encoding="utf-8",
    )
    families = tmp_path / "families.csv"
    families.write_text("name,pattern,classes,note\n", encoding="utf-8")
    own = Checker(ingredients_path=ingredients, families_path=families)
    html = "<h1>Night Tonic</h1><h2>Ingredients</h2><p>Moonwater, Starsalt, Moonwater Extract</p>"

    assert extract_with(html, checker=own).ingredients_text == "Moonwater, Starsalt, Moonwater Extract"
    with pytest.raises(NoIngredientList):
        extract(html)  # the default data knows none of these names


@pytest.mark.parametrize(
    "byline, brand",
    [("Visit the CeraVe Store", "CeraVe"), ("Besuchen Sie den WELEDA-Store", "WELEDA")],
    ids=["en", "de"],
)
def test_a_marketplace_byline_names_the_brand(byline, brand):
    """A marketplace links the brand's own shop beside the name: the brand is read from that link."""
    html = (
        f"<h1>Skin Food Body Lotion</h1><a id='byline' href='/stores/x'>{byline}</a>"
        "<h2>Ingredients</h2><p>Water, Glycerin, Squalane, Phenoxyethanol</p>"
    )
    assert extract(html).brand == brand
