"""Rate limits: login, URL import, HTML import (and the bookmarklet POST), photos. Over the limit an
API client gets 429 with the shared JSON error and Retry-After; a person gets a page."""

from __future__ import annotations

import re

import pytest

from config import settings
from web.limits import LIMITED_ENDPOINTS

PAGE = "<h1>Night Serum</h1><h2>Ingredients</h2><p>Aqua, Glycerin, Retinol</p>"


def test_defaults_and_environment():
    config = settings({})
    assert config["RATELIMIT_ENABLED"] and config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["RATELIMIT_LOGIN"] == "10 per minute"
    # a check of the largest body allowed costs CPU in proportion: few of them per address
    assert config["RATELIMIT_LARGE_CHECK"] == "6 per minute"
    config = settings(
        {"RATELIMIT_ENABLED": "0", "RATELIMIT_STORAGE_URI": "redis://cache:6379/0", "RATELIMIT_HTML_IMPORT": "5/minute"}
    )
    assert not config["RATELIMIT_ENABLED"] and config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert config["RATELIMIT_HTML_IMPORT"] == "5/minute"


def test_every_limited_endpoint_exists(make_app):
    """A renamed view must not silently lose its limit."""
    app = make_app()
    missing = [endpoint for endpoint in LIMITED_ENDPOINTS if endpoint not in app.view_functions]
    assert not missing


def assert_json_429(response):
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert "limit" in response.get_json()["error"]["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_html_import_is_limited_for_api_clients(make_app):
    client = make_app(RATELIMIT_HTML_IMPORT="3 per minute").test_client()
    statuses = [client.post("/api/extract", json={"html": PAGE}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert_json_429(client.post("/api/extract", json={"html": PAGE}))
    # the bookmarklet's form POST draws on the same allowance, and a person gets a page
    page = client.post("/from-page", data={"html": PAGE})
    assert page.status_code == 429 and page.mimetype == "text/html" and b"Too many requests" in page.data


def test_url_import_is_limited(make_app):
    client = make_app(RATELIMIT_URL_IMPORT="2 per minute").test_client()
    for _ in range(2):  # refused by the URL guard before any fetch: still counted
        assert client.post("/api/import", json={"url": "http://127.0.0.1/"}).status_code == 400
    assert_json_429(client.post("/api/import", json={"url": "http://127.0.0.1/"}))
    assert client.post("/import", data={"url": "http://127.0.0.1/"}).status_code == 429


def csrf(client) -> str:
    page = client.get("/staff/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_is_limited_and_the_form_stays_free(make_app):
    client = make_app(RATELIMIT_LOGIN="4 per minute", STAFF_MAX_FAILURES=100).test_client()
    for _ in range(4):
        assert client.post("/staff/login", data={"csrf_token": csrf(client), "password": "guess"}).status_code == 401
    response = client.post(
        "/staff/login", data={"csrf_token": csrf(client), "password": "guess"}, headers={"Accept": "application/json"}
    )
    assert_json_429(response)
    assert client.get("/staff/login").status_code == 200  # only POSTs count


def test_limits_are_per_client_address(make_app):
    client = make_app(RATELIMIT_HTML_IMPORT="1 per minute").test_client()
    assert (
        client.post("/api/extract", json={"html": PAGE}, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code
        == 200
    )
    assert (
        client.post("/api/extract", json={"html": PAGE}, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code
        == 429
    )
    assert (
        client.post("/api/extract", json={"html": PAGE}, environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code
        == 200
    )


def test_behind_a_proxy_the_client_address_counts(make_app):
    """With AFTERCHECK_PROXY_COUNT=1 two patients behind one load balancer have their own limits."""
    client = make_app(RATELIMIT_HTML_IMPORT="1 per minute", AFTERCHECK_PROXY_COUNT=1).test_client()
    for patient in ("203.0.113.1", "203.0.113.2"):
        response = client.post(
            "/api/extract",
            json={"html": PAGE},
            headers={"X-Forwarded-For": patient},
            environ_base={"REMOTE_ADDR": "10.0.0.5"},
        )
        assert response.status_code == 200
    again = client.post(
        "/api/extract",
        json={"html": PAGE},
        headers={"X-Forwarded-For": "203.0.113.1"},
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
    )
    assert again.status_code == 429


def test_checks_are_not_limited(make_app):
    client = make_app(RATELIMIT_HTML_IMPORT="1 per minute").test_client()
    assert all(client.post("/api/check", json={"text": "Aqua, Retinol"}).status_code == 200 for _ in range(30))


def test_switched_off(make_app):
    client = make_app(RATELIMIT_ENABLED=False, RATELIMIT_HTML_IMPORT="1 per minute").test_client()
    assert all(client.post("/api/extract", json={"html": PAGE}).status_code == 200 for _ in range(3))


def test_the_store_comes_from_the_setting(make_app):
    limiter = make_app().extensions["aftercheck_limiter"]
    assert type(limiter._storage).__name__ == "MemoryStorage"


def test_a_shared_store_without_its_client_library_stops_start_up(make_app):
    """redis:// needs the redis package: a clear error at start-up, not a failing request later."""
    pytest.importorskip("limits")
    try:
        import redis  # noqa: F401

        pytest.skip("the redis package is installed here")
    except ImportError:
        pass
    with pytest.raises(Exception, match="redis"):
        make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")


def test_large_checks_are_limited_and_small_ones_never(make_app):
    """A patient's paste is never counted; a body of 64 kB or more is (it costs seconds of CPU)."""
    client = make_app(RATELIMIT_LARGE_CHECK="2 per minute").test_client()
    for _ in range(5):
        assert client.post("/api/check", json={"text": "Water, Glycerin", "day": 1}).status_code == 200
    large = {"text": "Water, Glycerin, " + "Squalane, " * 7_000, "day": 1}
    assert [client.post("/api/check", json=large).status_code for _ in range(2)] == [200, 200]
    assert_json_429(client.post("/api/check", json=large))
    assert client.post("/", data={"text": large["text"], "day": "1"}).status_code == 429
    assert client.post("/api/check", json={"text": "Water, Glycerin", "day": 1}).status_code == 200
