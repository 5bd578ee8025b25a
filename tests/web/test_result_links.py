"""A result's own link (GET /result), the day counted on the patient's calendar, and the treatment
date remembered on the patient's device (web/result_links.py, web/days.py)."""

import logging
import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from app import create_app
from checker import Checker
from web import days
from web.links import pack

RETINOL_SERUM = "Aqua, Glycerin, Retinol, Tocopherol"
PLAIN_CREAM = "Aqua, Glycerin, Squalane"
TABBED_PAGE = "tests/fixtures/pages/tabbed_accordion.html"


@pytest.fixture
def server_day(monkeypatch):
    """The server's calendar stands on Wed 2 Dec 2026 (UTC), whatever the machine's clock says."""
    monkeypatch.setattr(days, "clock", lambda: date(2026, 12, 2))


def link_args(response) -> dict:
    """The query arguments of the result link a POST answered with."""
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    location = urlsplit(response.headers["Location"])
    assert location.path == "/result"
    return {key: values[0] for key, values in parse_qs(location.query, keep_blank_values=True).items()}


def remembered(client) -> str | None:
    cookie = client.get_cookie(days.TREATED_ON_COOKIE)
    return cookie.value if cookie else None


def verdict(html: str) -> str:
    return re.search(r'<h1 class="verdict-word">([^<]*)</h1>', html).group(1)


def treatment_line(html: str) -> str:
    line = re.search(r'<p class="treatment-now"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", line)).split())


class TestLink:
    def test_a_post_answers_with_a_link_that_reloads(self, client, server_day):
        answer = client.post("/", data={"text": RETINOL_SERUM, "day": "2"})
        args = link_args(answer)
        assert args["day"] == "2" and args["treated_on"] == "2026-11-30" and args["cal"] == "server"
        first = client.get(answer.headers["Location"])
        again = client.get(answer.headers["Location"])  # a reload
        assert first.status_code == again.status_code == 200
        assert first.headers["Cache-Control"] == "private" and "Cookie" in first.headers["Vary"]
        assert verdict(first.get_data(as_text=True)) == verdict(again.get_data(as_text=True)) == "Avoid for now"

    def test_another_browser_gets_the_same_result(self, app, client, server_day):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2", "today": "2026-12-01"}).headers["Location"]
        mine = client.get(location).get_data(as_text=True)
        theirs = app.test_client().get(location).get_data(as_text=True)  # no cookie, another day on the server
        assert verdict(theirs) == verdict(mine) == "Avoid for now"
        assert "Day 2 after your treatment on Sunday 29 November" in theirs
        assert treatment_line(theirs) == "Treatment on Sun 29 Nov: day 2, counted from your device's date, Tue 1 Dec."

    def test_the_page_shows_its_own_link(self, client):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2"}).headers["Location"]
        html = client.get(location).get_data(as_text=True)
        assert f'<a href="{location.replace("&", "&amp;")}" id="result-link"' in html
        assert "Link to this result" in html and "print-result" in html

    def test_the_link_holds_the_label(self, client):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2"}).headers["Location"]
        token = parse_qs(urlsplit(location).query)["l"][0]
        assert token == pack({"text": RETINOL_SERUM})

    def test_too_long_for_a_link(self, client):
        # Words that do not compress: their link would pass the servers' limit on a request line.
        words = [f"Extract{n * 7919 % 100003:05d}xq{n * 104729 % 99991:05d}" for n in range(900)]
        response = client.post("/", data={"text": "Aqua, Retinol, " + ", ".join(words), "day": "1"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Avoid for now" in html
        assert "This result is too long to share by link" in html and 'id="result-link"' not in html

    def test_a_label_too_long_for_a_link_is_checked_once(self, client, monkeypatch):
        checks = []
        original = Checker.check
        monkeypatch.setattr(Checker, "check", lambda self, *a, **k: checks.append(1) or original(self, *a, **k))
        long_list = ", ".join(["Aqua", "Retinol"] * 7_000)
        assert "too long to share by link" in client.post("/", data={"text": long_list, "day": "2"}).get_data(True)
        assert len(checks) == 1

    def test_a_link_never_carries_a_large_check(self, client):
        """GET /result counts against no rate limit: a text that compresses well stays off links."""
        long_list = ", ".join(["Aqua", "Retinol"] * 7_000)  # 100 kB that packs into a short token
        answer = client.post("/", data={"text": long_list, "day": "2"})
        assert answer.status_code == 200 and "too long to share by link" in answer.get_data(as_text=True)
        crafted = client.get("/result?day=2&l=" + pack({"text": long_list}))
        assert crafted.status_code == 400 and "more than a label" in crafted.get_data(as_text=True)

    def test_a_damaged_link_is_said_plainly(self, client):
        response = client.get("/result?day=1&l=1eNqrVipJrShRslIqSS0u")
        assert response.status_code == 400 and "cut short" in response.get_data(as_text=True)

    def test_a_link_that_is_not_a_label_is_refused(self, client):
        response = client.get("/result?day=1&l=" + pack(["not", "a", "label"]))
        assert response.status_code == 400 and "not an Aftercheck result link" in response.get_data(as_text=True)

    @pytest.mark.parametrize("path", ["/from-page", "/import"])
    def test_get_without_a_page(self, client, path):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/"

    def test_the_app_log_never_writes_the_link(self, caplog):
        client = create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_SLOW_REQUEST_MS": 0}).test_client()
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2"}).headers["Location"]
        with caplog.at_level(logging.WARNING, logger="aftercheck"):
            client.get(location)
        assert "GET /result answered 200" in caplog.text
        assert "l=" not in caplog.text and "Retinol" not in caplog.text


class TestCalendar:
    def test_the_browsers_date_counts_the_day(self, client, server_day):
        """19:21 on Tue 1 Dec in Los Angeles is Wed 2 Dec on the server: day 0 is the browser's Tue 1 Dec."""
        args = link_args(client.post("/", data={"text": RETINOL_SERUM, "day": "0", "today": "2026-12-01"}))
        assert args["treated_on"] == "2026-12-01" and args["cal"] == "device"

    def test_else_the_servers_date_and_said(self, client, server_day):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "0"}).headers["Location"]
        line = treatment_line(client.get(location).get_data(as_text=True))
        assert line.startswith("Treatment on Wed 2 Dec: day 0, counted from the server's date")
        assert line.endswith("Wed 2 Dec.")

    def test_the_picker_starts_at_the_remembered(self, client, server_day):
        client.set_cookie(days.TREATED_ON_COOKIE, "2026-11-29")
        html = client.get("/").get_data(as_text=True)
        assert '<option value="3" selected>3 days ago, Sun 29 Nov (day 3)</option>' in html
        assert '<meta name="aftercheck-treated-on" content="2026-11-29">' in html

    def test_a_date_after_today_is_refused(self, client):
        form = {"text": RETINOL_SERUM, "treated_on": "2026-12-02", "today": "2026-12-01"}
        response = client.post("/", data=form)
        assert response.status_code == 400 and "is after today" in response.get_data(as_text=True)


class TestRemembered:
    def test_a_date_given(self, client):
        client.post("/", data={"text": PLAIN_CREAM, "treated_on": "2026-11-30", "today": "2026-12-01"})
        assert remembered(client) == "2026-11-30"

    def test_a_day_picked_by_the_browser(self, client):
        client.post("/", data={"text": PLAIN_CREAM, "day": "3", "today": "2026-12-01"})
        assert remembered(client) == "2026-11-28"

    def test_not_a_day_on_the_servers_date(self, client):
        """Without the browser's date the server's may be a day off the patient's: not kept."""
        client.post("/", data={"text": PLAIN_CREAM, "day": "3"})
        assert remembered(client) is None

    def test_the_whole_window_keeps_it(self, client):
        client.set_cookie(days.TREATED_ON_COOKIE, "2026-11-28")
        client.post("/", data={"text": PLAIN_CREAM, "day": "", "today": "2026-12-01"})
        assert remembered(client) == "2026-11-28"

    def test_a_page_import_uses_it(self, client):
        client.set_cookie(days.TREATED_ON_COOKIE, "2026-11-28")
        html = open(TABBED_PAGE, encoding="utf-8").read()
        args = link_args(client.post("/from-page", data={"html": html, "today": "2026-12-01"}))
        assert args["day"] == "3" and args["treated_on"] == "2026-11-28" and args["cal"] == "device"

    def test_the_bookmarklets_link_gets_it(self, app, server_day):
        """The bookmarklet's cross-site POST carries no cookie: its link has no day until the GET that does."""
        shop = app.test_client()  # the POST from the shop's page: no cookie goes with it
        html = open(TABBED_PAGE, encoding="utf-8").read()
        pending = link_args(shop.post("/from-page", data={"html": html, "today": "2026-12-01"}))
        assert "day" not in pending and pending["today"] == "2026-12-01"
        patient = app.test_client()
        patient.set_cookie(days.TREATED_ON_COOKIE, "2026-11-28")
        full = link_args(patient.get("/result?" + urlsplit(shop_location(shop, html)).query))
        assert full["day"] == "3" and full["treated_on"] == "2026-11-28" and full["cal"] == "device"

    def test_the_bookmarks_date_if_none(self, app, server_day):
        client = app.test_client()
        html = open(TABBED_PAGE, encoding="utf-8").read()
        form = {"html": html, "today": "2026-12-01", "bookmark_treated_on": "2026-11-30"}
        pending = client.post("/from-page", data=form).headers["Location"]
        assert link_args(client.get(pending))["day"] == "1"
        client.set_cookie(days.TREATED_ON_COOKIE, "2026-11-28")  # the date the patient set last wins
        assert link_args(client.get(pending))["day"] == "3"

    def test_no_date_day_0(self, client, server_day):
        html = open(TABBED_PAGE, encoding="utf-8").read()
        pending = client.post("/from-page", data={"html": html}).headers["Location"]
        full = client.get(pending)
        assert link_args(full) == {"day": "0", "l": link_args(full)["l"]}  # and no date the patient never gave
        page = client.get(full.headers["Location"]).get_data(as_text=True)
        assert (
            treatment_line(page) == "No treatment date given: checked for the treatment day itself (day 0), Wed 2 Dec."
        )
        assert '<details class="treatment-change" open>' in page

    def test_the_bookmarklet_page_offers_it(self, client):
        client.set_cookie(days.TREATED_ON_COOKIE, "2026-11-28", domain="127.0.0.1")
        html = client.get("/bookmarklet", base_url="http://127.0.0.1:5000").get_data(as_text=True)
        assert 'value="2026-11-28"' in html


class TestBar:
    def test_a_new_date(self, client):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "0", "today": "2026-12-01"}).headers["Location"]
        token = parse_qs(urlsplit(location).query)["l"][0]
        form = {"l": token, "back": location, "treated_on": "2026-11-24", "today": "2026-12-01"}
        args = link_args(client.post("/treatment-date", data=form))
        assert args["day"] == "7" and args["treated_on"] == "2026-11-24" and args["l"] == token
        assert remembered(client) == "2026-11-24"

    def test_forget_clears_the_cookie(self, client):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2", "today": "2026-12-01"}).headers["Location"]
        assert remembered(client) == "2026-11-29"
        answer = client.post("/treatment-date", data={"forget": "1", "back": location})
        assert answer.status_code == 303 and answer.headers["Location"] == location
        assert remembered(client) is None
        assert 'name="forget"' not in client.get(location).get_data(as_text=True)

    def test_back_goes_only_to_a_result_of_this_site(self, client):
        answer = client.post("/treatment-date", data={"forget": "1", "back": "https://elsewhere.example/result?"})
        assert answer.headers["Location"] == "/"

    def test_the_bar_is_at_the_top_of_the_result(self, client):
        location = client.post("/", data={"text": RETINOL_SERUM, "day": "2", "today": "2026-12-01"}).headers["Location"]
        main = client.get(location).get_data(as_text=True).split("<main", 1)[1]
        assert main.index('class="treatment-bar"') < main.index('class="verdict')
        assert 'action="/treatment-date"' in main and 'name="forget"' in main


class TestSource:
    def test_product_and_collapsed_list(self, client):
        html = open(TABBED_PAGE, encoding="utf-8").read()
        page = client.post("/from-page", data={"html": html}, follow_redirects=True).get_data(as_text=True)
        source = page.split('<div class="source">', 1)[1].split('<section class="verdict', 1)[0]
        assert "Overnight Renewal Serum 30ml" in source
        assert "<details" in source and source.index("<details") < source.index("Retinol")
        assert "tabpanel" not in source and "&lt;div" not in source
        routine = page[page.index('class="add-to-routine"') :]
        assert 'name="name" value="Overnight Renewal Serum 30ml"' in routine  # the page's name goes on


def shop_location(client, html: str) -> str:
    return client.post("/from-page", data={"html": html, "today": "2026-12-01"}).headers["Location"]


def test_gunicorn_takes_the_longest_link_and_logs_no_query():
    """gunicorn.conf.py: a link up to MAX_LINK fits its request line; its access log drops queries."""
    import runpy
    from pathlib import Path

    from web.result_links import MAX_LINK

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert conf["limit_request_line"] >= len("GET  HTTP/1.1") + MAX_LINK
    assert "%(U)s" in conf["access_log_format"]
    assert not {"%(r)s", "%(q)s", "%(f)s"} & set(re.findall(r"%\(\w+\)s", conf["access_log_format"]))
