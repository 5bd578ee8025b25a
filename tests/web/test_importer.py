"""web.importer: the bookmarklet page and target, URL import, /api/extract and /api/import."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from app import create_app

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
HOSTILE = """<html><head><title>x</title>
<script type="application/ld+json">{"@type": "Product", "name": "<script>alert(1)</script>Evil Cream",
 "brand": "<img src=x onerror=alert(2)>"}</script></head>
<body><h1><script>alert(3)</script>Evil Cream</h1><h2>Ingredients</h2>
<p>Water, Glycerin, Retinol, <b onmouseover="alert(4)">Niacinamide</b>, &lt;script&gt;alert(5)&lt;/script&gt;</p></body></html>"""


def bookmarklet_code(html: str) -> str:
    """The JavaScript of the bookmarklet link on the /bookmarklet page."""
    start = html.index('id="bookmarklet-link" href="') + len('id="bookmarklet-link" href="')
    href = html[start : html.index('"', start)]
    assert href.startswith("javascript:")
    return unquote(href[len("javascript:") :].replace("&#39;", "'"))


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


class TestBookmarkletPage:
    def test_offers_the_link_with_the_public_origin(self):
        """The drag-to-bookmarks link is a javascript: URL that posts to AFTERCHECK_PUBLIC_ORIGIN,
        whatever Host header the request carried (issue 16, F15)."""
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_PUBLIC_ORIGIN": "https://aftercheck.example/"}
        )
        html = app.test_client().get("/bookmarklet", base_url="https://evil.example").get_data(as_text=True)
        code = bookmarklet_code(html)
        assert "https://aftercheck.example" in code and "/from-page" in code and "__AFTERCHECK" not in code
        assert "evil.example" not in html

    def test_unset_origin_foreign_host_no_bookmarklet(self, client):
        html = client.get("/bookmarklet", base_url="https://evil.example").get_data(as_text=True)
        assert 'id="bookmarklet-link"' not in html and "AFTERCHECK_PUBLIC_ORIGIN" in html
        assert "evil.example" not in html

    def test_without_the_setting_loopback_is_development(self, client):
        code = bookmarklet_code(client.get("/bookmarklet", base_url="http://127.0.0.1:5000").get_data(as_text=True))
        assert "http://127.0.0.1:5000" in code

    @pytest.mark.parametrize(
        "origin",
        ["aftercheck.example", "https://aftercheck.example/path", "ftp://x.example"],
        ids=["bare", "path", "ftp"],
    )
    def test_a_bad_public_origin_stops_start_up(self, origin):
        with pytest.raises(ValueError, match="AFTERCHECK_PUBLIC_ORIGIN"):
            create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_PUBLIC_ORIGIN": origin})

    def test_treatment_date_baked_into_link(self, client):
        """The site stores no treatment date: the bookmark carries the one chosen on this page."""
        html = client.get("/bookmarklet?treated_on=2026-11-30", base_url="http://127.0.0.1:5000").get_data(as_text=True)
        assert '"2026-11-30"' in bookmarklet_code(html) and 'value="2026-11-30"' in html
        plain = client.get("/bookmarklet", base_url="http://127.0.0.1:5000").get_data(as_text=True)
        assert "__AFTERCHECK" not in bookmarklet_code(plain) and 'var treatedOn = "";' in bookmarklet_code(plain)

    def test_a_bad_treatment_date_is_refused(self, client):
        assert client.get("/bookmarklet?treated_on=soon", base_url="http://127.0.0.1:5000").status_code == 400

    def test_explains_mobile_install(self, client):
        assert "Install it on a phone" in client.get("/bookmarklet").get_data(as_text=True)

    def test_home_page_has_the_url_field(self, client):
        assert 'name="url"' in client.get("/").get_data(as_text=True)


class TestFromPage:
    def test_result_page_says_where_the_list_came_from(self, client):
        response = client.post(
            "/from-page",
            data={"html": page("tabbed_accordion"), "url": "https://shop.example/p"},
            follow_redirects=True,
        )
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Taken from this page" in text and "Overnight Renewal Serum 30ml" in text
        assert "Avoid for now" in text

    def test_selection(self, client):
        """A selection is checked instead of the page (the bookmarklet sends no HTML then)."""
        response = client.post(
            "/from-page",
            data={"selection": "Aqua, Glycerin, Retinol", "title": "Night Oil | Shop"},
            follow_redirects=True,
        )
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "Night Oil" in text and "Avoid for now" in text

    def test_a_selection_mostly_unrecognised_is_still_checked(self, client):
        """The user said "this is the list": it is checked, and the names not recognised are listed."""
        selection = "Aqua, Zorbexil, Quintaflor, Mirelline"
        response = client.post(
            "/from-page", data={"selection": selection, "title": "Night Oil | Shop"}, follow_redirects=True
        )
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "Not checked (3)" in text
        assert "Zorbexil" in text and "Quintaflor" in text and "Mirelline" in text

    def test_a_selection_with_nothing_recognised_is_refused(self, client):
        response = client.post(
            "/from-page", data={"selection": "Zorbexil, Quintaflor, Mirelline"}, follow_redirects=True
        )
        assert response.status_code == 422
        assert "Nothing in the selected text was recognised" in response.get_data(as_text=True)

    def test_the_treatment_date_travels_with_the_page(self, client):
        """Day and "safe from" date count from the treatment date sent, not from today."""
        form = {"html": page("tabbed_accordion"), "treated_on": "2026-11-30", "today": "2026-12-03"}
        text = client.post("/from-page", data=form, follow_redirects=True).get_data(as_text=True)
        assert "Day 3 after your treatment on Monday 30 November" in text
        assert "7 December" in text and "(day 7)" in text  # safe from: the treatment date + 7 days

    def test_the_day_travels_with_the_page(self, client):
        text = client.post(
            "/from-page", data={"html": page("tabbed_accordion"), "day": "5"}, follow_redirects=True
        ).get_data(as_text=True)
        assert "Day 5 after your treatment" in text

    def test_no_list_is_said_honestly(self, client):
        response = client.post("/from-page", data={"html": page("no_list")}, follow_redirects=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "No ingredient list was found" in text and "select it on the page" in text

    def test_hostile_page_is_escaped(self, client):
        """Script in the product name, brand or list never reaches the result page as markup."""
        text = client.post("/from-page", data={"html": HOSTILE}, follow_redirects=True).get_data(as_text=True)
        assert "Evil Cream" in text
        assert "<script>alert" not in text and "<img src=x" not in text and "onmouseover" not in text

    def test_bad_day_html_for_people_json_for_clients(self, client):
        form = {"selection": "Aqua, Glycerin, Retinol", "day": "soon"}
        page = client.post("/from-page", data=form, follow_redirects=True)
        assert page.status_code == 400 and page.content_type.startswith("text/html")
        assert "pick the day of your treatment" in page.get_data(as_text=True)
        answer = client.post("/from-page", data=form, headers={"Accept": "application/json"}, follow_redirects=True)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_input"

    def test_no_list_is_logged_with_the_host_only(self, client, caplog):
        client.post(
            "/from-page",
            data={"html": page("no_list"), "url": "https://shop.example/p?customer=4711"},
            follow_redirects=True,
        )
        [record] = [r for r in caplog.records if r.name == "aftercheck.importer"]
        assert record.levelname == "INFO"
        assert record.getMessage().startswith("page import refused: no ingredient list in the page from shop.example")
        assert "4711" not in caplog.text and "<html" not in caplog.text

    def test_needs_no_csrf_token_and_accepts_multipart(self, client):
        """The bookmarklet posts multipart/form-data from another origin."""
        response = client.post(
            "/from-page",
            data={"html": page("jsonld_product")},
            content_type="multipart/form-data",
            headers={"Origin": "https://shop.example"},
            follow_redirects=True,
        )
        assert response.status_code == 200


class TestApiExtract:
    def test_shape(self, client):
        response = client.post(
            "/api/extract", json={"html": page("jsonld_product"), "url": "https://s.example/p", "day": 3}
        )
        body = response.get_json()
        assert response.status_code == 200
        assert body["product"] == {"name": "Hydra Barrier Cream 50ml", "brand": "Lumen Skin"}
        assert body["source"] == "structured-data" and 0 < body["confidence"] <= 1
        assert body["ingredients_text"].startswith("Aqua, Glycerin")
        assert body["report"]["day"] == 3 and body["report"]["verdict"]

    def test_a_selection_is_checked_with_its_unrecognised_names(self, client):
        body = client.post("/api/extract", json={"html": "", "selection": "Aqua, Zorbexil, Mirelline, Quintaflor"})
        answer = body.get_json()
        assert body.status_code == 200 and answer["source"] == "selection"
        assert answer["report"]["unrecognized"] == ["Zorbexil", "Mirelline", "Quintaflor"]
        assert any("not recognised" in note for note in answer["notes"])

    def test_a_selection_with_nothing_recognised_is_422(self, client):
        body = client.post("/api/extract", json={"html": "", "selection": "Zorbexil, Mirelline"})
        assert body.status_code == 422 and body.get_json()["error"]["code"] == "no_ingredient_list"

    def test_treatment_date_and_today(self, client):
        body = {"html": page("jsonld_product"), "treated_on": "2026-11-30", "today": "2026-12-02"}
        answer = client.post("/api/extract", json=body).get_json()
        assert answer["report"]["day"] == 2 and answer["treated_on"] == "2026-11-30"

    def test_day_and_treatment_date_together_are_refused(self, client):
        body = {"html": page("jsonld_product"), "treated_on": "2026-11-30", "day": 2}
        assert client.post("/api/extract", json=body).get_json()["error"]["code"] == "bad_input"

    def test_no_list_is_422_in_the_error_shape(self, client):
        response = client.post("/api/extract", json={"html": page("no_list")})
        body = response.get_json()
        assert response.status_code == 422
        assert body["error"]["code"] == "no_ingredient_list" and body["product"]["name"] == "Daily Glow Moisturiser"

    @pytest.mark.parametrize(
        "body, code",
        [
            ({}, "missing_html"),
            ({"html": 3}, "missing_html"),
            ({"html": "<p>x</p>", "selection": 5}, "bad_input"),
            ({"html": page("jsonld_product"), "day": "two"}, "bad_input"),
        ],
    )
    def test_bad_input(self, client, body, code):
        response = client.post("/api/extract", json=body)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == code

    def test_size_cap(self):
        """Posted pages over the cap get 413 in the JSON error shape."""
        client = create_app({"TESTING": True, "AFTERCHECK_MAX_PAGE_BYTES": 10_000}).test_client()
        response = client.post("/api/extract", json={"html": "x" * 20_000})
        assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"

    def test_pages_larger_than_labels_are_accepted(self):
        """The import endpoints have their own, larger cap than pasted labels. (A budget no busy
        machine runs out of: this is about the size cap, not the time one.)"""
        app = create_app({"TESTING": True, "AFTERCHECK_EXTRACT_BUDGET_S": 600.0})
        big = page("tabbed_accordion").replace("<body>", "<body>" + "<p>filler text</p>" * 80_000)
        assert len(big) > app.config["MAX_CONTENT_LENGTH"]
        assert app.test_client().post("/api/extract", json={"html": big}).status_code == 200

    def test_hostile_page_json(self, client):
        response = client.post("/api/extract", json={"html": HOSTILE})
        assert response.status_code == 200 and response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- URL import against a local server ------------------------------------------------------------


class Shop(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        name = {"/product": "tabbed_accordion", "/empty": "no_list"}.get(self.path)
        body = page(name).encode() if name else b"not found"
        self.send_response(200 if name else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def shop():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def intranet_client():
    """The private-address setting on, for these tests only (the shop is on 127.0.0.1)."""
    return create_app({"TESTING": True, "AFTERCHECK_IMPORT_ALLOW_PRIVATE": True}).test_client()


class TestImport:
    def test_private_addresses_refused_by_default(self, client, shop):
        response = client.post("/api/import", json={"url": shop + "/product"})
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "blocked_address"

    def test_a_refused_address_is_logged_as_a_warning(self, client, caplog):
        client.post("/import", data={"url": "http://127.0.0.1/admin?token=secret"}, follow_redirects=True)
        [record] = [r for r in caplog.records if r.name == "aftercheck.importer"]
        assert record.levelname == "WARNING"
        assert record.getMessage() == "URL import refused: blocked_address for 127.0.0.1"
        assert "secret" not in caplog.text

    @pytest.mark.parametrize("url", ["ftp://x.example/", "http://169.254.169.254/latest/meta-data/"])
    def test_refused_urls(self, intranet_client, url):
        assert intranet_client.post("/api/import", json={"url": url}).status_code == 400

    def test_import(self, intranet_client, shop):
        body = intranet_client.post("/api/import", json={"url": shop + "/product", "day": 1}).get_json()
        assert body["product"]["name"] == "Overnight Renewal Serum 30ml" and body["report"]["verdict"] == "avoid"
        assert body["url"] == shop + "/product"

    def test_import_with_a_treatment_date(self, intranet_client, shop):
        body = {"url": shop + "/product", "treated_on": "2026-11-30", "today": "2026-12-04"}
        assert intranet_client.post("/api/import", json=body).get_json()["report"]["day"] == 4
        form = {"url": shop + "/product", "treated_on": "2026-11-30", "today": "2026-12-04"}
        text = intranet_client.post("/import", data=form, follow_redirects=True).get_data(as_text=True)
        assert "Day 4 after your treatment on Monday 30 November" in text

    def test_no_list_points_to_the_bookmarklet(self, intranet_client, shop):
        response = intranet_client.post("/api/import", json={"url": shop + "/empty"})
        assert response.status_code == 422 and "bookmarklet" in response.get_json()["error"]["message"]

    def test_home_page_url_field(self, intranet_client, shop):
        response = intranet_client.post("/import", data={"url": shop + "/empty"}, follow_redirects=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 422 and "JavaScript" in text and "bookmarklet" in text
        ok = intranet_client.post("/import", data={"url": shop + "/product"}, follow_redirects=True)
        assert ok.status_code == 200 and "Taken from this page" in ok.get_data(as_text=True)

    def test_the_home_page_url_form_has_the_day_picker(self, client):
        html = client.get("/").get_data(as_text=True)
        form = html[html.index('class="import-form"') :]
        assert 'id="import-day" name="day"' in form[: form.index("</form>")]

    def test_missing_url(self, client):
        assert client.post("/api/import", json={}).get_json()["error"]["code"] == "missing_url"
