"""A patient's routine and aftercare plan in a real browser (Debian's Chromium via Playwright).

Four products go into "My routine": one through the bookmarklet on a saved shop page ("Add to my
routine" under its result), three pasted. The plan is read, printed to PDF (its first page is kept
as a PNG under artifacts/screenshots/ to look at), its .ics downloaded and parsed, and its shared
link opened in a fresh browser context, which must show the same plan.
"""

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_helpers import PHONE, SCREENSHOTS, click_bookmarklet, screenshot

from app import create_app
from checker import get_checker
from plan.override import read_override
from web.links import pack, unpack
from web.plan_links import sign_override

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
PASTED = [
    ("sunscreen", "Zinc Oxide, Caprylic/Capric Triglyceride, Glycerin, Tocopherol, Phenoxyethanol"),
    ("cleanser", "Water, Sodium Laureth Sulfate, Cocamidopropyl Betaine, Glycerin, Parfum, Phenoxyethanol"),
    ("peptide cream", "Water, Glycerin, Palmitoyl Tripeptide-1, Cetearyl Alcohol, Phenoxyethanol"),
]


def new_context(browser, base_url):
    """A phone-sized context whose Aftercheck pages record console errors (a CSP violation is one);
    the saved shop page's own missing images are not ours."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, accept_downloads=True)
    context.errors = []

    def watch(page):
        page.on(
            "console", lambda m: m.type == "error" and page.url.startswith(base_url) and context.errors.append(m.text)
        )

    context.on("page", watch)
    return context


def add_through_the_bookmarklet(context, base_url, shop):
    """Run the real bookmarklet on a saved product page, then "Add to my routine" under its result."""
    setup = context.new_page()
    setup.goto(base_url + "/bookmarklet")
    href = setup.get_attribute("#bookmarklet-link", "href")
    setup.close()
    shop_page = context.new_page()
    shop_page.goto(shop + "/tabbed_accordion.html")
    result = click_bookmarklet(context, shop_page, href)
    assert result.inner_text(".verdict-word") == "Avoid for now"
    result.get_by_role("button", name="Add to my routine").click()
    result.wait_for_load_state()
    assert result.get_by_role("heading", name="Add this product to your routine").is_visible()
    assert "Retinol" in result.input_value("#product-text")
    result.fill("#product-name", "night serum")
    result.get_by_role("button", name="Add to my routine").click()
    result.wait_for_load_state()
    return result


def paste(page, name, text):
    page.fill("#product-name", name)
    page.fill("#product-text", text)
    page.get_by_role("button", name="Add to my routine").click()
    page.wait_for_load_state()


def unfold(ics: str) -> list[str]:
    lines = []
    for line in ics.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def test_a_routine_of_four_products_and_its_plan(browser, base_url, shop, tmp_path):
    context = new_context(browser, base_url)
    page = add_through_the_bookmarklet(context, base_url, shop)
    for name, text in PASTED:
        paste(page, name, text)
    assert page.locator(".routine-name").all_inner_texts() == ["night serum", "sunscreen", "cleanser", "peptide cream"]

    # The list is kept on the device: the plain "My routine" page opens it again.
    again = context.new_page()
    again.goto(base_url + "/routine")
    again.wait_for_selector(".routine-name")
    assert again.locator(".routine-name").count() == 4
    again.close()

    treated_on = date.today() - timedelta(days=2)
    page.fill("#treated_on", treated_on.isoformat())
    page.get_by_role("button", name="Show my plan").click()
    page.wait_for_load_state()
    tonight = page.inner_text(".plan-today")
    assert tonight.startswith("Tonight (day 2")
    assert "Use: sunscreen, peptide cream." in tonight
    assert "With care: cleanser (Fragrance;" in tonight
    assert "Leave out: night serum" in tonight and "back on" in tonight
    assert page.locator(".plan-here").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "plan-phone")

    # Printed: one page, looked at as a PNG.
    pdf = tmp_path / "plan.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.emulate_media(media="screen")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(SCREENSHOTS / "plan-print"),
            ],
            check=True,
        )

    # Saved to the calendar: one all-day event per return date.
    with page.expect_download() as download:
        page.click("#plan-calendar")
    ics = Path(download.value.path()).read_bytes().decode("utf-8")  # CRLF kept
    lines = unfold(ics)
    starts = [line.split(":", 1)[1] for line in lines if line.startswith("DTSTART;VALUE=DATE:")]
    returns = [treated_on + timedelta(days=d) for d in (2, 3, 7)]  # sunscreen; cleanser's care; the serum
    assert starts == [d.strftime("%Y%m%d") for d in returns]
    assert lines.count("BEGIN:VEVENT") == 3 and lines[0] == "BEGIN:VCALENDAR"

    # Shared with the clinic: the same plan in a fresh browser.
    shared = page.get_attribute("#plan-share", "href")
    plan_text = page.inner_text(".plan-all")
    clinic = new_context(browser, base_url)
    elsewhere = clinic.new_page()
    elsewhere.goto(shared)
    assert elsewhere.inner_text(".plan-all") == plan_text
    assert elsewhere.inner_text(".plan-today") == tonight
    assert context.errors == [] and clinic.errors == []
    clinic.close()
    context.close()


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Kiritimati"], ids=["los-angeles", "kiritimati"])
def test_tonight_is_the_patients_own_day(browser, base_url, zone):
    """The plan counts days in the browser's calendar, whatever the server's date (one of these two
    zones is on another date than UTC at any hour but 08:00-10:00)."""
    treated_on = date.today() - timedelta(days=3)
    link = (
        base_url
        + "/plan?r="
        + pack(
            {
                "products": [{"name": "night serum", "text": "Water, Glycerin, Retinol"}],
                "treated_on": treated_on.isoformat(),
            }
        )
    )
    context = browser.new_context(viewport=PHONE, timezone_id=zone)
    page = context.new_page()
    page.goto(link)
    page.wait_for_selector(".plan-today")
    local = date.fromisoformat(page.evaluate("new Date().toLocaleDateString('en-CA')"))
    assert page.inner_text(".plan-today h2").startswith(f"Tonight (day {(local - treated_on).days},")
    assert page.locator("#plan-server-today").count() == 0
    context.close()


def test_the_clinics_link_keeps_the_list_already_on_the_phone(browser, base_url):
    """A patient with a routine on the phone opens the clinic's stricter link (no products in it):
    the list stays, now under the clinic's instructions."""
    # Signed as the served app signs: both apps read the same instance secret key.
    with create_app({"TESTING": True}).test_request_context():
        checker = get_checker()
        stricter = read_override({"changes": {"classes": {"retinoid": {"until_day": 10}}}}, checker)
        clinic = pack({"override": sign_override(stricter, checker), "treated_on": "2026-12-01"})
    kept = pack({"products": [{"name": "night serum", "text": "Water, Glycerin, Retinol"}]})
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base_url}/routine?r={kept}")  # static/routine.js keeps the list on the phone
    page.goto(f"{base_url}/routine?r={clinic}")
    page.wait_for_url(lambda url: "r=" in url and clinic not in url)
    routine = unpack(page.url.split("r=", 1)[1])
    assert [p["name"] for p in routine["products"]] == ["night serum"] and "override" in routine
    assert "night serum" in page.inner_text("main")
    context.close()
