"""Clinic staff at the shelf, in a real browser (Debian's Chromium via Playwright).

Logs in, uploads a CSV, filters to "avoid", downloads the CSV report, looks a barcode up as a
USB scanner would (digits + Enter), and prints the shelf tags to PDF (artifacts/shelf-tags.pdf).
Skips without Chromium unless AFTERCHECK_REQUIRE_BROWSER=1 (see conftest.py).
"""

import csv
import io
import re
from pathlib import Path

import pytest
from browser_helpers import SCREENSHOTS, screenshot, serve
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app
from shelf.store import forget_shelves

PASSWORD = "shelf-test-password"
INVENTORY = Path(__file__).resolve().parents[1] / "fixtures" / "inventory" / "clinic.csv"
DESK = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def shelf_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shelf")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'shelf.sqlite'}",
            "STAFF_PASSWORD_HASH": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    stop = serve(server)
    yield f"http://127.0.0.1:{server.server_port}"
    stop()
    forget_shelves()


@pytest.fixture
def desk(page):
    """conftest's page (it fails the test on console errors), at desktop size for the table."""
    page.set_viewport_size(DESK)
    return page


def test_staff_upload_filter_download_lookup(desk, shelf_url):
    page = desk
    page.goto(f"{shelf_url}/shelf/")
    assert "/staff/login" in page.url
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{shelf_url}/shelf/")

    page.set_input_files("#inventory", str(INVENTORY))
    page.click(".upload-form button")
    page.wait_for_selector("text=Imported: 9 added")
    screenshot(page, "shelf-index")

    page.select_option("select[name=verdict]", "avoid")
    page.click(".filters button")
    page.wait_for_selector("text=3 product(s) match the filter")
    names = page.locator(".shelf-table tbody td:first-child").all_inner_texts()
    assert sorted(names) == ["Glow Peel Pads", "Mineral Shield SPF 30", "Night Renewal Serum"]

    with page.expect_download() as download_info:
        page.click("a[href$='/shelf/report.csv']")
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text("utf-8-sig"))))
    assert rows[0][5] == "verdict" and len(rows) == 10

    page.fill("#q", "0012345678905")
    page.select_option("#lookup-day", "3")
    page.press("#q", "Enter")  # what a USB barcode scanner sends
    page.wait_for_selector(".lookup-hit")
    assert "Avoid on day 3" in page.locator(".lookup-verdict").inner_text()
    assert "Night Renewal Serum" in page.locator(".lookup-name").inner_text()
    screenshot(page, "shelf-lookup")


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_tags_print_to_pdf(desk, shelf_url, paper):
    """The print view prints at the chosen paper size; the PDF is kept for a look."""
    page = desk
    page.goto(f"{shelf_url}/staff/login?next=/shelf/tags?paper={paper}")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
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
