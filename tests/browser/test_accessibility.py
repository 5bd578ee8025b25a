"""Every page passes axe-core (WCAG 2.1 A and AA, plus axe's best practices) at phone and desktop size.

axe-core comes from npm at the version pinned in tests/browser/package-lock.json (`npm ci --prefix
tests/browser`, which .ci/run does); the repository holds none of it. Without it this skips, unless
AFTERCHECK_REQUIRE_BROWSER=1 (CI), where that is a failure, as a missing browser is (conftest.py).

axe is put into each page with page.evaluate (a DevTools call, which the page's Content-Security-
Policy does not govern) rather than add_script_tag: the CSP allows only same-origin script files, so
a <script> tag would be refused, and bypass_csp=True would test a page the app never serves.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_helpers import STAFF_PASSWORD, post_form, serve_shelf
from photo_helpers import PHOTOS

from shelf.store import forget_shelves
from web.links import pack

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# What axe checks: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

RETINOL = "Night Renewal Serum\nIngredients: Aqua, Glycerin, Propanediol, Retinol, Squalane, Phenoxyethanol"
FRAGRANCE = "Aqua, Glycerin, Parfum, Linalool, Phenoxyethanol"
PLAIN = "Aqua, Glycerin, Squalane, Dimethicone"
UNKNOWN = "Xyzzy extract, Plugh water"


@pytest.fixture(scope="module")
def axe_source():
    """axe.min.js from npm; skip without it, but fail on CI (AFTERCHECK_REQUIRE_BROWSER=1)."""
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    reason = f"axe-core is not installed ({AXE} is missing): run `npm ci --prefix tests/browser`"
    if os.environ.get("AFTERCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (AFTERCHECK_REQUIRE_BROWSER=1, so the accessibility test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app with a staff password and its own shelf database, on a free port."""
    url, stop = serve_shelf(tmp_path_factory.mktemp("axe-shelf"))
    yield url
    stop()
    forget_shelves()


@pytest.fixture(scope="module")
def staff(browser, site):
    """A logged-in staff session (cookies) on a shelf holding the clinic inventory fixture."""
    context = browser.new_context()
    page = context.new_page()
    log_in(page, site)
    upload(page, site, FIXTURES / "inventory" / "clinic.csv")
    page.wait_for_selector(".shelf-table")
    state = context.storage_state()
    context.close()
    return state


def log_in(page, site):
    page.goto(site + "/staff/login")
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def upload(page, site, path: Path):
    """Upload an inventory file with the shelf page's form; returns the answer page's response."""
    page.goto(site + "/shelf/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation() as answer:
        page.locator("form:has(input[type=file]) button[type=submit]").click()
    return answer.value


def submit(page, site, action: str, fields: dict):
    """POST a form as a browser does, from one of the app's pages."""
    if not page.url.startswith(site):
        page.goto(site + "/")
    return post_form(page, action, fields)


def photo(page, site, path: Path = PHOTOS / "label_002.jpg"):
    page.goto(site + "/")
    page.set_input_files("input[type=file][name=image]", str(path))
    with page.expect_navigation() as answer:
        page.locator("form:has(input[name=image]) button[type=submit]").click()
    return answer.value


def product(page, site):
    """The staff's full result for one stored product, reached from the counter lookup."""
    page.goto(site + "/shelf/lookup?q=0012345678905&day=3")
    with page.expect_navigation() as answer:
        page.click("a[href*='/shelf/product/']")
    return answer.value


def wrong_password(page, site):
    page.goto(site + "/staff/login")
    page.fill("#password", "not the password")
    with page.expect_navigation() as answer:
        page.click("form button[type=submit]")
    return answer.value


def check(text: str):
    return lambda page, site: submit(page, site, "/", {"text": text, "day": "2"})


def go(path: str):
    return lambda page, site: page.goto(site + path)


SHOP_PAGE = (FIXTURES / "pages" / "tabbed_accordion.html").read_text(encoding="utf-8")
# A routine as its link carries it: a serum to leave out, a cleanser with care, a cream to use.
ROUTINE = pack(
    {
        "treated_on": (date.today() - timedelta(days=1)).isoformat(),
        "products": [
            {"name": "night serum", "text": RETINOL},
            {"name": "cleanser", "text": FRAGRANCE},
            {"name": "day cream", "text": PLAIN},
        ],
    }
)
# Each page: how to reach it, and the HTTP status that shows the visit reached it.
PATIENT_PAGES = {
    "home": (200, go("/")),
    "result-avoid": (200, check(RETINOL)),
    "result-caution": (200, check(FRAGRANCE)),
    "result-neutral": (200, check(PLAIN)),
    "result-unchecked": (200, check(UNKNOWN)),
    "result-photo": (200, photo),
    "import-failed": (
        422,
        lambda page, site: submit(page, site, "/import", {"url": "http://127.0.0.1:9/", "day": "1"}),
    ),
    "bookmarklet": (200, go("/bookmarklet")),
    "bookmarklet-result": (
        200,
        lambda page, site: submit(
            page, site, "/from-page", {"html": SHOP_PAGE, "url": "https://shop.example/serum", "day": "1"}
        ),
    ),
    "timeline": (200, go("/timeline")),
    "routine": (200, go(f"/routine?r={ROUTINE}")),
    "plan": (200, go(f"/plan?r={ROUTINE}")),
    "error-404": (404, go("/no-such-page")),
    "error-400-form": (400, lambda page, site: submit(page, site, "/", {"text": PLAIN, "day": "not a day"})),
    "photo-not-an-image": (415, lambda page, site: photo(page, site, FIXTURES / "inventory" / "clinic.csv")),
    "staff-login": (200, go("/staff/login")),
    "staff-login-wrong": (401, wrong_password),
}
STAFF_PAGES = {
    "shelf": (200, go("/shelf/")),
    "shelf-lookup": (200, go("/shelf/lookup?q=0012345678905&day=3")),
    "shelf-lookup-none": (404, go("/shelf/lookup?q=0000000000000&day=3")),
    "shelf-product": (200, product),
    "shelf-tags": (200, go("/shelf/tags")),
    "shelf-protocols": (200, go("/shelf/protocols")),
    "plan-override": (200, go("/plan/override")),
    "shelf-protocols-differences": (200, go("/shelf/protocols?only=differences")),
    "shelf-mapping": (200, lambda page, site: upload(page, site, FIXTURES / "inventory" / "titled_unsure.csv")),
    # Into the stocked shelf, an upload first shows what it would change (nothing is stored yet).
    "shelf-upload-preview": (200, lambda page, site: upload(page, site, FIXTURES / "inventory" / "accents_utf8.tsv")),
    "shelf-tags-one": (200, go("/shelf/tags?id=4")),
    "shelf-tags-changed": (200, go("/shelf/tags?only=changed")),
}


def violations(page, axe_source: str) -> list[dict]:
    """axe's violations on the page as shown, with every <details> opened so their content is checked too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" "))
            }));
        }""",
        AXE_TAGS,
    )


def described(found: list[dict]) -> str:
    return "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}; at {' | '.join(v['targets'])}" for v in found)


def assert_no_violations(browser, site, axe_source, page_to_check, viewport, storage_state=None):
    status, visit = page_to_check
    context = browser.new_context(viewport=VIEWPORTS[viewport], device_scale_factor=1, storage_state=storage_state)
    try:
        page = context.new_page()
        response = visit(page, site)
        page.wait_for_load_state()
        assert response.status == status, f"{page.url} answered {response.status}, not {status}: {page.title()}"
        found = violations(page, axe_source)
        assert not found, (
            f"axe-core found {len(found)} problem(s) on {page.url} at {viewport} size:\n{described(found)}"
        )
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_patient_page(browser, site, axe_source, request, name, viewport):
    if name == "result-photo":
        request.getfixturevalue("tesseract")
    assert_no_violations(browser, site, axe_source, PATIENT_PAGES[name], viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_page(browser, site, axe_source, staff, name, viewport):
    assert_no_violations(browser, site, axe_source, STAFF_PAGES[name], viewport, storage_state=staff)
