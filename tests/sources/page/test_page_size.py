"""Reading a page costs work in proportion to its size, and stops when the time budget is spent
(issue 16, F2: 60,000 tiny "inci" labels, or 200 wrappers around a table, pinned a worker).

The work is counted, never timed: the characters of text the reader builds (`text_built`) and the
elements it makes candidates of (`candidates_built`), from tests/sources/page/conftest.py.
"""

from __future__ import annotations

import pytest

from checker import get_checker
from sources.page import NoIngredientList, extract


def read(html: str, **options) -> None:
    options.setdefault("clock", lambda: 0.0)  # a stopped clock: the whole page is read
    try:
        extract(html, checker=get_checker(), **options)
    except NoIngredientList:
        pass


def inci_labels(count: int) -> str:
    """A page of nothing but tiny labels: each reads as an Ingredients label ("INCI")."""
    return "<html><body>" + "<i>inci</i>" * count + "</body></html>"


def wrapped_table(depth: int, rows: int) -> str:
    """A table of `rows` rows inside `depth` nested wrappers, each classed as an ingredients section."""
    table = "<table>" + "".join(f"<tr><td>Water {i}</td><td>Glycerin</td><td>x</td></tr>" for i in range(rows))
    return "<html><body>" + '<div class="ingredients">' * depth + table + "</table>" + "</div>" * depth


class TestLinearInPageSize:
    """Doubling the page at most doubles (and a little) the text built."""

    def test_many_labels(self, text_built):
        read(inci_labels(3_000))
        single = sum(text_built)
        text_built.clear()
        read(inci_labels(6_000))
        assert sum(text_built) <= 2.2 * single

    def test_nested_wrappers(self, text_built):
        """Wrappers around one table, with no text of their own, are one candidate: the table's
        text is built once, not once per wrapper."""
        read(wrapped_table(depth=100, rows=300))
        single = sum(text_built)
        text_built.clear()
        read(wrapped_table(depth=200, rows=600))
        assert sum(text_built) <= 2.2 * single

    def test_the_wrapped_table_is_still_read(self):
        found = extract(wrapped_table(depth=200, rows=5), checker=get_checker(), clock=lambda: 0.0)
        assert found.source == "page-section" and found.ingredients_text.startswith("Glycerin\nGlycerin")


class TestBudget:
    """The budget is checked while candidates are built, not only while they are scored. The clock
    steps one second at every reading (tests/conftest.py)."""

    def test_building_stops_when_spent(self, stepping_clock, candidates_built):
        with pytest.raises(NoIngredientList, match="took too long"):
            extract(inci_labels(6_000), budget_s=5, checker=get_checker(), clock=stepping_clock(step=1))
        assert 0 < len(candidates_built) < 1_000

    def test_stopped_clock_builds_all(self, stepping_clock, candidates_built):
        read(inci_labels(6_000), clock=stepping_clock(step=0))
        assert len(candidates_built) >= 5_999  # the element after each label but the last

    def test_found_list_carries_the_note(self, stepping_clock):
        """Block 1 is the list; the deadline passes among the forty blocks after it."""
        page = (
            "<h1>Cream</h1><div><p>Water, Glycerin, Niacinamide, Panthenol, Squalane, Tocopherol, "
            "Allantoin, Sodium Hyaluronate, Citric Acid</p></div>"
            + "".join(f"<div><p>Feel {i}: soft, light, calm, fresh, kind, smooth, bright.</p></div>" for i in range(40))
        )
        found = extract(page, budget_s=10, checker=get_checker(), clock=stepping_clock(step=1))
        assert found.ingredients_text.startswith("Water, Glycerin")
        assert "the page took too long to read in full" in found.notes
