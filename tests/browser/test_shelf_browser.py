"""Clinic staff at the shelf and the counter, in a real browser (Debian's Chromium via Playwright).

Logs in from the footer's Staff link, uploads a CSV, searches and filters, downloads the CSV
report, scans barcodes one after another as a USB scanner does (digits + Enter into the focused
box), answers the upload preview (cancel, add and update only), uses the shelf at 390 px, and
prints shelf tags (the print button, one product, the last upload's changes; PDFs at A4 and
Letter under artifacts/). Screenshots go to artifacts/screenshots/. Skips without Chromium unless
AFTERCHECK_REQUIRE_BROWSER=1 (see conftest.py).
"""

import csv
import io
import re
from pathlib import Path

import pytest
from browser_helpers import SCREENSHOTS, STAFF_PASSWORD, screenshot, serve_shelf

from shelf.store import forget_shelves

INVENTORY = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "clinic.csv"
DESK = {"width": 1280, "height": 900}
PHONE_390 = {"width": 390, "height": 844}
# A later delivery: one product changed, one new, the other eight not in the file.
SMALLER = (
    "name,brand,barcode,ingredients,category\n"
    'Night Renewal Serum,Lumen,0012345678905,"Water, Glycerin, Retinol",serum\n'
    'Calm Mist,Calma,4006381999998,"Water, Glycerin",mist\n'
)


@pytest.fixture
def shelf_url(tmp_path):
    """Each test gets its own empty shelf, so no test depends on another's uploads."""
    url, stop = serve_shelf(tmp_path)
    yield url
    stop()
    forget_shelves()


@pytest.fixture
def desk(shelf_url, page):
    """conftest's page (it fails the test on console errors), at desktop size for the table. It
    asks for shelf_url first, so that the server stops only after the page has closed."""
    page.set_viewport_size(DESK)
    return page


@pytest.fixture
def phone(shelf_url, page):
    """conftest's page at 390 x 844, a phone held at the counter."""
    page.set_viewport_size(PHONE_390)
    return page


def log_in(page, url: str, then: str = "/shelf/"):
    page.goto(f"{url}/staff/login?next={then}")
    page.fill("#password", STAFF_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}{then}")


def upload(page, path_or_text, name: str = "inventory.csv"):
    if isinstance(path_or_text, Path):
        page.set_input_files("#inventory", str(path_or_text))
    else:
        page.set_input_files("#inventory", {"name": name, "mimeType": "text/csv", "buffer": path_or_text.encode()})
    page.click(".upload-form button")


def stocked(page, url: str):
    log_in(page, url)
    upload(page, INVENTORY)
    page.wait_for_selector("text=Imported: 9 added")


def scan(page, code: str):
    """What a USB barcode scanner does: types into whatever has focus, then Enter. The box must have
    taken the focus by itself first (autofocus lands a moment after the load event)."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"[data-looked-up]:text-is('{code}')")


def test_staff_find_the_shelf_upload_filter_download(desk, shelf_url):
    page = desk
    page.goto(f"{shelf_url}/")
    page.click("footer >> text=Staff")  # the staff area is reachable from every page
    assert "/staff/login" in page.url
    page.fill("#password", STAFF_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{shelf_url}/shelf/")

    upload(page, INVENTORY)  # an empty shelf: nothing to lose, imported at once
    page.wait_for_selector("text=Imported: 9 added")
    screenshot(page, "shelf-index-desk")

    page.select_option("select[name=verdict]", "avoid")
    page.click(".filters button")
    page.wait_for_selector("text=3 product(s) match")
    names = page.locator(".shelf-table tbody .product-cell").all_inner_texts()
    assert sorted(names) == ["Glow Peel Pads", "Mineral Shield SPF 30", "Night Renewal Serum"]

    with page.expect_download() as download_info:
        page.click("a[href$='/shelf/report.csv']")
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == 9
    toner = next(r for r in rows if r["name"] == "Scented Toner")
    assert (toner["safe_from_day"], toner["caution_until_day"]) == ("", "3")


def test_search_class_labels_and_reasons(desk, shelf_url):
    """The table's text search works without JavaScript; filters read as the protocol's words."""
    page = desk
    stocked(page, shelf_url)
    classes = page.locator("select[name=class] option").all_inner_texts()
    assert "retinoid (vitamin A)" in classes and "retinoid" not in classes
    page.fill(".filters input[name=q]", "serum")
    page.press(".filters input[name=q]", "Enter")
    page.wait_for_selector("text=2 product(s) match “serum”")
    assert "q=serum" in page.url
    unchecked = page.locator(".unchecked-rows").inner_text()
    assert "no ingredient in this row is known ('Xyzzyl Frobnate', 'Quuxoleate')" in unchecked
    assert "ingredient(s) was recognised" not in page.content()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_two_scans_in_a_row_both_find_their_products(shelf_url, browser, javascript):
    """After each lookup the box is empty and focused: the next scan is not glued to the last."""
    context = browser.new_context(viewport=PHONE_390, java_script_enabled=javascript)
    page = context.new_page()
    stocked(page, shelf_url)
    page.goto(f"{shelf_url}/shelf/lookup")
    scan(page, "0012345678905")
    assert "Night Renewal Serum" in page.locator(".lookup-name").inner_text()
    scan(page, "3600523614486")
    assert "Scented Toner" in page.locator(".lookup-name").inner_text()
    assert page.input_value("#q") == "" and page.evaluate("document.activeElement.id") == "q"
    if javascript:  # a page the browser restores on Back is emptied and focused again by static/shelf.js
        page.go_back()
        scan(page, "5012345678900")
        assert "Peptide Repair Serum" in page.locator(".lookup-name").inner_text()
    context.close()


def test_an_upload_that_would_remove_products_asks_first(desk, shelf_url):
    page = desk
    stocked(page, shelf_url)
    upload(page, SMALLER, "smaller.csv")
    page.wait_for_selector("text=Check the upload before it changes the shelf")
    assert "Not in this file (8)" in page.locator(".preview-diff").inner_text()
    screenshot(page, "shelf-upload-preview")
    page.click("button[value=cancel]")
    page.wait_for_selector("text=Upload cancelled: the stored shelf was not changed.")
    assert page.locator(".shelf-table tbody tr").count() == 9

    upload(page, SMALLER, "smaller.csv")
    page.click("button[value=merge]")
    page.wait_for_selector("text=Imported: 1 added, 1 changed, 0 removed")
    assert page.locator(".shelf-table tbody tr").count() == 10


def test_the_shelf_at_390_px(phone, shelf_url):
    """Nothing sideways: upload first, the verdict of every card on screen, a wide scan box."""
    page = phone
    stocked(page, shelf_url)
    page.goto(f"{shelf_url}/shelf/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    upload_top = page.locator("#upload-h").bounding_box()["y"]
    assert upload_top < page.locator("#summary-h").bounding_box()["y"] < page.locator("#table-h").bounding_box()["y"]
    for cell in page.locator(".shelf-table .verdict-cell").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"]
    assert page.locator("#q").bounding_box()["width"] >= 300
    screenshot(page, "shelf-index")

    page.click(".staff-nav >> text=Lookup")
    assert page.locator("#q").bounding_box()["width"] >= 300
    scan(page, "0012345678905")
    screenshot(page, "shelf-lookup")
    page.click(".staff-nav >> text=Shelf check")  # the way back from the lookup
    page.wait_for_url(f"{shelf_url}/shelf/")


def test_tags_print_button_one_product_and_changes(desk, shelf_url):
    page = desk
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    stocked(page, shelf_url)
    page.locator(".shelf-table tbody tr", has_text="Scented Toner").locator(".tag-cell a").click()
    page.wait_for_selector(".tag")
    assert page.locator(".tag").count() == 1
    assert "until day 3" in page.locator(".tag-line").inner_text()
    page.click("[data-print]")
    assert page.evaluate("window.printed") == 1

    page.goto(f"{shelf_url}/shelf/")
    upload(page, SMALLER, "smaller.csv")
    page.click("button[value=merge]")
    page.wait_for_selector("text=Imported: 1 added")
    page.click("text=new or changed in the last upload")
    page.wait_for_selector(".tag")
    assert page.locator(".tag-name").all_inner_texts() == ["Night Renewal Serum", "Calm Mist"]
    screenshot(page, "shelf-tags-changed")


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_tags_print_to_pdf(desk, shelf_url, paper):
    """The print view prints at the chosen paper size; the PDF is kept for a look."""
    page = desk
    stocked(page, shelf_url)
    page.goto(f"{shelf_url}/shelf/tags?paper={paper}")
    page.wait_for_selector(".tag")
    assert page.locator(".tag").count() == 9
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS.parent / f"shelf-tags-{paper}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    size = (round(float(box.group(1))), round(float(box.group(2))))
    assert size == {"a4": (595, 842), "letter": (612, 792)}[paper]  # in points
