"""The bookmarklet end to end in a real browser (Debian's Chromium via Playwright).

A fixture product page is served on one localhost port and Aftercheck on another; the test opens
the product page, runs the exact javascript: URL offered on /bookmarklet, follows the new tab and
reads the verdict; then again with a selection made on the page, and with a treatment date chosen
on /bookmarklet (used by a browser that remembers no date: test_days_browser.py runs it with one).
Without Chromium this skips,
unless AFTERCHECK_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure (the `browser` and
`base_url` fixtures are in conftest.py).
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_helpers import click_bookmarklet

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def _bookmarklet(context, base_url, treated_on: date | None = None) -> str:
    """The exact javascript: URL the /bookmarklet page offers (after choosing a treatment date)."""
    page = context.new_page()
    page.goto(base_url + "/bookmarklet")
    if treated_on:
        page.fill("#bookmarklet-treated-on", treated_on.isoformat())
        with page.expect_navigation():
            page.click(".treatment-date-form button")
    href = page.get_attribute("#bookmarklet-link", "href")
    page.close()
    assert href.startswith("javascript:")
    return href


def test_bookmarklet_on_a_product_page(context, base_url, shop):
    href = _bookmarklet(context, base_url)
    page = context.new_page()
    page.goto(shop + "/tabbed_accordion.html")
    result = click_bookmarklet(context, page, href)
    assert result.url.startswith(base_url + "/result?day=0&")  # the result's own link, with its day
    assert result.inner_text(".verdict-word") == "Avoid for now"
    assert "Overnight Renewal Serum 30ml" in result.inner_text(".source")
    listed = result.text_content(".source-list")  # collapsed under the product's name
    assert "Retinol" in listed and "Retinyl Palmitate" not in listed  # the 'formulated without' block stayed behind


def test_bookmarklet_with_a_selection(context, base_url, shop):
    """With text selected, the selection is checked, not the page's own list."""
    href = _bookmarklet(context, base_url)
    page = context.new_page()
    page.goto(shop + "/two_products.html")
    # The recommended retinol serum's list, not the page's main (neutral) product.
    page.evaluate("""() => {
        const lists = document.querySelectorAll('.product-accordion__content');
        lists[1].parentElement.open = true;  // a person opens the accordion before selecting
        const range = document.createRange();
        range.selectNodeContents(lists[1]);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""")
    result = click_bookmarklet(context, page, href)
    assert result.inner_text(".verdict-word") == "Avoid for now"
    assert "the text you selected" in result.inner_text(".source")
    assert "Retinol" in result.text_content(".source-list")


def test_bookmarklet_with_the_chosen_treatment_day(context, base_url, shop):
    """The treatment date chosen on /bookmarklet travels with the page: the result is for that day."""
    treated_on = date.today() - timedelta(days=3)
    href = _bookmarklet(context, base_url, treated_on)
    page = context.new_page()
    page.goto(shop + "/tabbed_accordion.html")
    result = click_bookmarklet(context, page, href)
    assert result.inner_text(".verdict-word") == "Avoid for now"
    assert f"Day 3 after your treatment on {treated_on:%A} {treated_on.day} {treated_on:%B}" in result.inner_text(
        "body"
    )
