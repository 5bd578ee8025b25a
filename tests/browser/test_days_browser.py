"""The patient's day and the result's link in a real browser (Debian's Chromium via Playwright).

A phone in Los Angeles in the evening is a day behind the server's UTC date: days are counted on
the phone's calendar. A treatment date given once is remembered on the device and used by a later
bookmarklet run (on a shop page of another origin) and URL import. A result's link reloads, and
opens with the same verdict in a fresh browser; "Forget my date" clears the cookie. Fixtures:
conftest.py (browser) and test_bookmarklet.py's way of running the bookmarklet.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import click_bookmarklet, screenshot, serve
from werkzeug.serving import make_server

from app import create_app
from web import days

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
PHONE_390 = {"width": 390, "height": 844}
POWDER = "Talc, Mica, Iron Oxides, Zinc Stearate, Dimethicone"  # face makeup: avoided until day 2
RETINOL_SERUM = "Aqua, Glycerin, Retinol, Squalane, Tocopherol, Phenoxyethanol"
# 19:21 on Tue 1 Dec 2026 in Los Angeles (UTC-8) is 03:21 on Wed 2 Dec in UTC.
LA_EVENING = datetime(2026, 12, 2, 3, 21, tzinfo=UTC)


@pytest.fixture(scope="module")
def site():
    """Aftercheck, allowed to import pages from 127.0.0.1 (the shop below)."""
    server = make_server(
        "127.0.0.1", 0, create_app({"TESTING": True, "AFTERCHECK_IMPORT_ALLOW_PRIVATE": True}), threaded=True
    )
    stop = serve(server)
    yield f"http://127.0.0.1:{server.server_port}"
    stop()


@pytest.fixture
def contexts(browser):
    """new(**options): a phone-sized browser context; any console error fails the test."""
    opened, errors = [], []

    def new(**options):
        context = browser.new_context(viewport=PHONE_390, device_scale_factor=1, **options)
        context.on("console", lambda message: message.type == "error" and errors.append(_error(message)))
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()
    assert not [e for e in errors if not e.endswith("/favicon.ico")], errors  # the shop has no icon


def _error(message) -> str:
    return f"{message.text} at {message.location.get('url', '')}"


@pytest.fixture
def server_on_2_dec(monkeypatch):
    """The server's calendar says Wed 2 Dec 2026, as a UTC server's does at that moment."""
    monkeypatch.setattr(days, "clock", lambda: date(2026, 12, 2))


def check_label(page, site, text, day_label):
    page.goto(site + "/")
    page.fill("#text", text)
    page.select_option("#day", label=day_label)
    with page.expect_navigation():
        page.click("text=Check this label")
    return page


def link_args(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def remembered(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == days.TREATED_ON_COOKIE), None)


def day_label(n: int, today: date) -> str:
    when = {0: "Today", 1: "Yesterday"}.get(n) or f"{n} days ago"
    shown = today - timedelta(days=n)
    return f"{when}, {shown:%a} {shown.day} {shown:%b} (day {n})"


def run_bookmarklet(context, site, shop, page_name):
    """The bookmarklet as /bookmarklet offers it to a browser with no date, run on a shop page."""
    offer = context.browser.new_context()
    source = offer.new_page()
    source.goto(site + "/bookmarklet")
    href = source.get_attribute("#bookmarklet-link", "href")
    offer.close()
    page = context.new_page()
    page.goto(f"{shop}/{page_name}")
    return click_bookmarklet(context, page, href)


def test_an_evening_in_los_angeles_counts_the_phones_day(contexts, site, server_on_2_dec):
    context = contexts(timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.clock.install(time=LA_EVENING)
    page.goto(site + "/")
    assert page.inner_text("#day option >> nth=0") == "Today, Tue 1 Dec (day 0)"  # the server says Wed 2 Dec
    # Treated on Monday evening: the option that says Mon 30 Nov is day 1, so makeup is still avoided.
    check_label(page, site, POWDER, "Yesterday, Mon 30 Nov (day 1)")
    assert page.inner_text(".verdict-word") == "Avoid for now"
    assert "Day 1 after your treatment on Monday 30 November" in page.inner_text(".verdict-day")
    assert page.inner_text("#treatment-now") == (
        "Treatment on Mon 30 Nov: day 1, counted from your device's date, Tue 1 Dec."
    )
    assert link_args(page.url)["treated_on"] == "2026-11-30" and remembered(context) == "2026-11-30"
    screenshot(page, "result-los-angeles-390")


def test_a_date_set_once_serves_the_bookmarklet_and_url_import(contexts, site, shop):
    context = contexts()
    today = date.today()
    check_label(context.new_page(), site, RETINOL_SERUM, day_label(3, today))
    assert remembered(context) == (today - timedelta(days=3)).isoformat()
    treated = today - timedelta(days=3)
    said = f"Day 3 after your treatment on {treated:%A} {treated.day} {treated:%B}"

    result = run_bookmarklet(context, site, shop, "tabbed_accordion.html")
    assert result.inner_text(".verdict-word") == "Avoid for now"
    assert said in result.inner_text(".verdict-day")
    assert link_args(result.url)["day"] == "3"
    assert "Overnight Renewal Serum 30ml" in result.inner_text(".source")
    assert not result.is_visible(".source-list")  # the list read is there, collapsed
    screenshot(result, "bookmarklet-result-390")

    imported = context.new_page()
    imported.goto(site + "/")
    imported.fill("#import-url", shop + "/tabbed_accordion.html")
    with imported.expect_navigation():
        imported.click("text=Check this page")
    assert said in imported.inner_text(".verdict-day") and link_args(imported.url)["day"] == "3"


def test_a_result_link_reloads_and_opens_anywhere(contexts, site):
    mine = contexts()
    page = check_label(mine.new_page(), site, RETINOL_SERUM, day_label(2, date.today()))
    day_text = page.inner_text(".verdict-day")
    assert page.get_attribute("#result-link", "href") == page.url[len(site) :]
    page.reload()  # no 405: the result is a GET
    assert page.inner_text(".verdict-word") == "Avoid for now" and page.inner_text(".verdict-day") == day_text

    clinic = contexts(timezone_id="Asia/Tokyo").new_page()  # no cookie, another calendar
    response = clinic.goto(page.url)
    assert response.status == 200
    assert clinic.inner_text(".verdict-word") == "Avoid for now" and clinic.inner_text(".verdict-day") == day_text


def test_copy_and_print_buttons_work(contexts, site):
    context = contexts()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.add_init_script("window.print = () => { window.printed = true; };")
    check_label(page, site, RETINOL_SERUM, day_label(2, date.today()))
    page.click("text=Copy link")
    page.wait_for_selector("text=Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.click("text=Print this result")
    assert page.evaluate("window.printed") is True


def test_change_the_date_at_the_top_then_forget_it(contexts, site):
    context = contexts()
    page = check_label(context.new_page(), site, RETINOL_SERUM, day_label(2, date.today()))
    treated = date.today() - timedelta(days=8)
    page.click("text=Change or forget the date")  # collapsed: the verdict keeps the first screen
    page.fill("#treatment-date", treated.isoformat())
    with page.expect_navigation():
        page.click("text=Use this date")
    assert link_args(page.url)["day"] == "8" and remembered(context) == treated.isoformat()
    assert page.inner_text(".verdict-word") != "Avoid for now"  # retinol is fine from day 7
    shown = page.url
    page.click("text=Change or forget the date")
    with page.expect_navigation():
        page.click("text=Forget my date")
    assert remembered(context) is None and page.url == shown
    assert page.locator("text=Forget my date").count() == 0
