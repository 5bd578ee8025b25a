"""The JSON API: the report unchanged in shape, and one JSON error shape for every failure."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check


def test_check_by_day_returns_the_checkers_report_unchanged(client):
    response = client.post("/api/check", json={"text": "Water, Retinol", "day": 2})
    assert response.status_code == 200
    assert response.get_json() == check("Water, Retinol", day=2).to_dict()


def test_check_by_treatment_date(client):
    body = {"text": "Water, Retinol", "treated_on": "2026-11-22", "today": "2026-11-24"}
    report = client.post("/api/check", json=body).get_json()
    assert report["day"] == 2 and report["verdict"] == "avoid" and report["safe_from_day"] == 7


def test_today_defaults_to_the_server_date(client):
    treated = (date.today() - timedelta(days=8)).isoformat()
    report = client.post("/api/check", json={"text": "Water, Retinol", "treated_on": treated}).get_json()
    assert report["day"] == 8 and report["verdict"] == "neutral"


def test_no_day_judges_the_whole_window(client):
    report = client.post("/api/check", json={"text": "Water, Retinol"}).get_json()
    assert report["day"] is None and report["verdict"] == "avoid"


def test_the_product_name_feeds_the_product_rules(client):
    report = client.post("/api/check", json={"text": "Aqua, Glycerin", "day": 1, "name": "Daily SPF 50"}).get_json()
    assert report["verdict"] == "avoid" and report["product_rules"][0]["rule"] == "sunscreen"


def test_the_category_says_what_the_product_is(client):
    """The retailer's category is evidence of the type, like the name; the report says so."""
    body = {"text": "Aqua, Glycerin", "day": 1, "name": "Daily Fluid", "category": "Sun protect"}
    report = client.post("/api/check", json=body).get_json()
    assert report["verdict"] == "avoid" and report["product"]["type"] == "sunscreen"
    assert report["product"]["evidence"] == ["sunscreen: category: Sun protect"]


def test_health_and_version(client, app):
    from web.current import current_checker

    assert client.get("/api/health").get_json() == {"status": "ok"}
    version = client.get("/api/version").get_json()
    with app.app_context():
        assert {k: version[k] for k in ("code", "ingredients", "protocol")} == current_checker().versions


def test_cors_is_open_on_the_api(client):
    response = client.post("/api/check", json={"text": "Water"}, headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://shop.example")
    preflight = client.options(
        "/api/check",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200 and "Access-Control-Allow-Origin" in preflight.headers


def test_pages_are_not_cors_enabled(client):
    assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": "https://x.example"}).headers


JSON = "application/json"
ERRORS = [  # (method, path, request keyword arguments, status, error code)
    ("post", "/api/check", {"data": "{not json", "content_type": JSON}, 400, "malformed_json"),
    ("post", "/api/check", {"data": b"\xff\xfe{}", "content_type": JSON}, 400, "malformed_json"),
    ("post", "/api/check", {"json": ["Water", "Retinol"]}, 400, "malformed_json"),
    ("post", "/api/check", {"data": "null", "content_type": JSON}, 400, "malformed_json"),
    ("post", "/api/check", {"json": {}}, 400, "missing_text"),
    ("post", "/api/check", {"json": {"text": ["Water"]}}, 400, "missing_text"),
    ("post", "/api/check", {"json": {"text": ""}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "day": -1}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "day": "2"}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "day": 2.5}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "day": True}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "day": 10**30}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "treated_on": "last Tuesday"}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "treated_on": 20261122}}, 400, "bad_input"),
    (
        "post",
        "/api/check",
        {"json": {"text": "Water", "treated_on": "2026-11-25", "today": "2026-11-24"}},
        400,
        "bad_input",
    ),
    ("post", "/api/check", {"json": {"text": "Water", "treated_on": "2026-11-22", "day": 2}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "name": 7}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "Water", "category": ["sun"]}}, 400, "bad_input"),
    ("post", "/api/check", {"json": {"text": "x" * 1_000_001}}, 413, "payload_too_large"),
    ("post", "/api/check", {"data": {"text": "Water"}}, 415, "unsupported_media_type"),
    ("post", "/api/check", {"data": "Water, Retinol", "content_type": "text/plain"}, 415, "unsupported_media_type"),
    ("post", "/api/check", {"json": {"text": "thank you for shopping with us"}}, 422, "no_ingredients"),
    # Every JSON endpoint reads its body alike (web/json_body.py).
    ("post", "/api/extract", {"data": "<html></html>", "content_type": "text/html"}, 415, "unsupported_media_type"),
    ("post", "/api/extract", {"json": ["<html></html>"]}, 400, "malformed_json"),
    ("post", "/api/extract", {"json": {"html": "", "selection": "Water, Retinol", "day": -1}}, 400, "bad_input"),
    ("post", "/api/import", {"data": {"url": "https://shop.example/p"}}, 415, "unsupported_media_type"),
    ("post", "/api/import", {"data": "null", "content_type": JSON}, 400, "malformed_json"),
    ("get", "/api/check", {}, 405, "method_not_allowed"),
    ("delete", "/api/health", {}, 405, "method_not_allowed"),
    ("get", "/api/nothing-here", {}, 404, "not_found"),
    ("get", "/api", {}, 404, "not_found"),
]


@pytest.mark.parametrize("method, path, kwargs, status, code", ERRORS, ids=[code for *_, code in ERRORS])
def test_errors_are_json_with_a_code_and_message(client, method, path, kwargs, status, code):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert response.content_type == JSON
    assert response.get_json()["error"]["code"] == code and response.get_json()["error"]["message"]


def test_405_says_which_methods_are_allowed(client):
    assert "POST" in client.get("/api/check").headers["Allow"]


def test_a_client_asking_for_json_gets_a_json_404_outside_the_api(client):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 Retinol",  # lone surrogate (valid JSON escape, not valid UTF-8)
        "Water\x00Retinol",  # NUL
        "CrÃ¨me hydratante: Aqua, Retinol",  # mojibake
        "\u202eRetinol",  # bidi override
        "<script>alert(1)</script>, Aqua",
        "Aqua, " * 40_000,  # many tokens, under the byte limit (AFTERCHECK_MAX_BYTES)
        "Retinol" + ", " * 100_000,  # separators only after one name
        "(" * 100_000 + "Aqua",  # unbalanced brackets
    ],
    ids=["surrogate", "nul", "mojibake", "bidi", "script", "many-tokens", "separators", "brackets"],
)
def test_nasty_inputs_get_a_json_answer(client, text):
    response = client.post("/api/check", data=json.dumps({"text": text, "day": 1}), content_type=JSON)
    assert response.status_code in (200, 422) and response.content_type == JSON


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), day=st.one_of(st.none(), st.integers(-5, 5000)))
def test_any_text_and_day_get_a_json_answer(client, text, day):
    response = client.post("/api/check", data=json.dumps({"text": text, "day": day}), content_type=JSON)
    assert response.status_code in (200, 400, 422) and response.content_type == JSON


@pytest.fixture
def broken_checker(app, monkeypatch):
    """The app's checker with a bug in check()."""
    from web.current import current_checker

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    with app.app_context():
        monkeypatch.setattr(current_checker(), "check", boom)


def test_a_bug_becomes_a_logged_json_500(client, broken_checker, caplog):
    response = client.post("/api/check", json={"text": "Water"})
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"
    assert "boom" not in response.get_data(as_text=True)
    assert "unhandled error on POST /api/check" in caplog.text


def test_a_bug_on_a_page_is_an_html_500(client, broken_checker):
    response = client.post("/", data={"text": "Water", "day": "1"})
    assert response.status_code == 500 and "text/html" in response.content_type
