"""Staff compare the aftercare protocols in a real browser (Debian's Chromium via Playwright).

Logs in, follows the shelf page's link to the comparison, switches to "only the rules that differ"
and back with plain links (no script on the page), and checks a difference is said in words.
Skips without Chromium unless AFTERCHECK_REQUIRE_BROWSER=1 (see conftest.py).
"""

import pytest
from browser_helpers import STAFF_PASSWORD, screenshot, serve_shelf

from shelf.store import forget_shelves


@pytest.fixture(scope="module")
def staff_url(tmp_path_factory):
    url, stop = serve_shelf(tmp_path_factory.mktemp("protocols"))
    yield url
    stop()
    forget_shelves()


def test_staff_compare_protocols_and_keep_only_the_differences(page, staff_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{staff_url}/shelf/")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{staff_url}/shelf/")

    page.click("text=Compare the aftercare protocols")
    page.wait_for_url(f"{staff_url}/shelf/protocols")
    every_row = page.locator("tbody tr").count()
    retinoid = page.locator("#class-retinoid")
    assert "differs" in retinoid.inner_text().lower() and "changed" in retinoid.inner_text().lower()
    assert "same" in page.locator("#class-soothing").inner_text()

    page.click("text=Show only the")
    page.wait_for_url(f"{staff_url}/shelf/protocols?only=differences")
    differing = page.locator("tbody tr")
    assert 0 < differing.count() < every_row
    assert page.locator("#class-soothing").count() == 0
    assert page.locator("tr.row-same").count() == 0
    screenshot(page, "protocols-differences")

    page.click("text=Show all")
    assert page.locator("tbody tr").count() == every_row
