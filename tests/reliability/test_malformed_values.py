"""Malformed values that once gave a 500 with a traceback (issue 16, F12 and F13): each now gets a
clear 4xx, or is read as it should be. The shelf cases run on SQLite and on PostgreSQL, which
refuses what SQLite stores (NUL characters, text longer than its column)."""

from __future__ import annotations

import io
import json

import pytest
from reliability_helpers import PASSWORD

from shelf.store import forget_shelves

DEEP = 100_000
LABEL = "Water, Glycerin, Retinol"


@pytest.fixture
def client(make_app):
    return make_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False).test_client()


@pytest.fixture
def staff(client):
    assert client.post("/staff/login", data={"password": PASSWORD}).status_code == 302
    return client


def assert_clear(response, status: int, words: str):
    text = response.get_data(as_text=True)
    assert response.status_code == status, (response.status_code, text[:300])
    assert words in text and "Traceback" not in text


# --- F12: the patient's form, the JSON API, page import ----------------------------------------------


@pytest.mark.parametrize("day", ["²", "٣", "99999999", "3651", "-1"])
def test_a_day_that_is_no_day_is_a_400_on_the_form(client, day):
    """str.isdigit accepts '²' and '٣', which int() refuses; 99999999 days overflowed the date picker."""
    assert_clear(client.post("/", data={"text": LABEL, "day": day}), 400, "pick the day of your treatment")


def test_json_nested_100000_deep_is_a_400(client):
    response = client.post("/api/check", data="[" * DEEP + "]" * DEEP, content_type="application/json")
    assert_clear(response, 400, "nested too deeply")
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_json_ld_nested_too_deep_is_skipped(client):
    html = (
        f'<script type="application/ld+json">{"[" * DEEP}{"]" * DEEP}</script>'
        "<h1>Night Serum</h1><h2>Ingredients</h2><p>Aqua, Glycerin, Niacinamide, Retinol, Phenoxyethanol</p>"
    )
    response = client.post("/api/extract", json={"html": html})
    assert response.status_code == 200 and "Retinol" in response.get_json()["ingredients_text"]


@pytest.mark.parametrize("path", ["/api/extract", "/from-page"])
def test_an_unreadable_page_address_is_a_400(client, path):
    page = {"html": "<h2>Ingredients</h2><p>Aqua, Glycerin</p>", "url": "http://[::1"}
    response = client.post(path, json=page) if path.startswith("/api/") else client.post(path, data=page)
    assert_clear(response, 400, "not a valid web address")


def test_an_unreadable_address_to_import_is_a_400(client):
    assert_clear(client.post("/api/import", json={"url": "http://[::1"}), 400, "bad_url")


# --- F12: the shelf pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page, status, words",
    [
        ("²", 400, "whole number"),
        ("1" * 30, 400, "whole number"),
        ("x", 400, "whole number"),
        ("999", 404, "no page 999"),
    ],
    ids=["superscript", "huge", "letter", "past-the-end"],
)
def test_a_table_page_that_is_no_page(staff, page, status, words):
    assert_clear(staff.get(f"/shelf/?page={page}"), status, words)


def test_a_lookup_day_that_is_no_day_is_ignored(staff):
    assert staff.get("/shelf/lookup?q=calma&day=²").status_code == 404  # nothing stored: not found, no 500


def test_a_product_number_beyond_any_column_is_not_found(staff):
    assert staff.get("/shelf/product/" + "9" * 30).status_code == 404


# --- F13: values PostgreSQL refuses, through the web pages ----------------------------------------------


@pytest.fixture
def shelf_staff(make_app, database_url):
    client = make_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False, DATABASE_URL=database_url).test_client()
    assert client.post("/staff/login", data={"password": PASSWORD}).status_code == 302
    yield client
    forget_shelves()


def upload(client, lines: list[str]):
    raw = ("\n".join(lines) + "\n").encode()
    return client.post(
        "/shelf/upload", data={"inventory": (io.BytesIO(raw), "stock.csv")}, content_type="multipart/form-data"
    )


def test_a_nul_after_64_kb_is_dropped(shelf_staff):
    filler = [f'Filler {i},Brand,{4000000000000 + i},"Water, Glycerin"' for i in range(1500)]
    response = upload(
        shelf_staff, ["name,brand,barcode,ingredients", *filler, 'Late\x00 Cream,Calma,,"Water, Glycerin"']
    )
    assert response.status_code == 302
    assert "Late Cream" in shelf_staff.get("/shelf/lookup?q=late").get_data(as_text=True)


def test_a_700_character_name_is_stored(shelf_staff):
    name = "Very Long Name " * 47
    assert upload(shelf_staff, ["name,brand,ingredients", f'{name},Calma,"Water, Glycerin"']).status_code == 302


def test_a_long_barcode_is_refused(shelf_staff):
    response = upload(shelf_staff, ["name,barcode,ingredients", f'Cream,{"4" * 80},"Water, Glycerin"'])
    assert_clear(response, 400, "longer than 64 characters")


@pytest.mark.parametrize("query", ["%00", "calma%00", "%00%00"])
def test_a_nul_in_the_lookup_is_no_error(shelf_staff, query):
    assert shelf_staff.get(f"/shelf/lookup?q={query}").status_code in (200, 404)
    assert shelf_staff.get(f"/shelf/?brand={query}&class={query}").status_code == 200


# --- also: what the CSV download says it is -------------------------------------------------------------


def test_the_csv_download_names_its_charset_once(staff):
    upload(staff, ["name,ingredients", '"Cream","Water, Glycerin"'])
    assert staff.get("/shelf/report.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_json_ld_of_ordinary_depth_still_names_the_product(client):
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Night Serum"}
    html = f'<script type="application/ld+json">{json.dumps(product)}</script><h2>Ingredients</h2><p>{LABEL}</p>'
    assert client.post("/api/extract", json={"html": html}).get_json()["product"]["name"] == "Night Serum"
