"""Security headers on every response, no inline script or style in any page, secure cookie flags."""

from __future__ import annotations

import re

import pytest
from reliability_helpers import PASSWORD

REQUIRED = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def every_route(app) -> list[tuple[str, str]]:
    """(method, path) for every rule: GET where it is allowed, else POST with an empty body;
    path arguments filled with something plausible."""
    fill = {"int": "1", "string": "x", "path": "app.css", "any": "csv"}
    routes = []
    for rule in app.url_map.iter_rules():
        path = re.sub(
            r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
            lambda m: "app.css" if m.group(2) == "filename" else fill.get(m.group(1) or "string", "x"),
            rule.rule,
        )
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        routes.append((method, path))
    return routes + [("GET", "/no-such-page"), ("GET", "/api/no-such-endpoint"), ("DELETE", "/api/check")]


def assert_secure_headers(response, where: str) -> None:
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, f"{where}: {name} is {response.headers.get(name)!r}"
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert directives.get("frame-ancestors") == "'none'", f"{where}: {policy}"
    assert directives.get("script-src") == "'self'" and directives.get("object-src") == "'none'", where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where


def test_every_route_sends_the_security_headers(make_app):
    app = make_app()
    client = app.test_client()
    seen = 0
    for method, path in every_route(app):
        response = client.open(path, method=method)
        assert_secure_headers(response, f"{method} {path} -> {response.status_code}")
        seen += 1
    assert seen >= 20


def test_pages_have_no_inline_script_style_or_handlers(make_app):
    """The CSP forbids inline code, so a page that had any would silently break: none may."""
    app = make_app(SHELF_LOOKUP_PUBLIC=True)
    client = app.test_client()
    pages = [
        client.get("/"),
        client.get("/timeline"),
        client.get("/bookmarklet"),
        client.get("/staff/login"),
        client.post("/", data={"text": "Aqua, Retinol, Palmitoyl Tripeptide-1", "day": "2"}, follow_redirects=True),
        client.post(
            "/from-page", data={"html": "<h2>Ingredients</h2><p>Aqua, Glycerin, Retinol</p>"}, follow_redirects=True
        ),
        client.get("/no-such-page"),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.mimetype == "text/html"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I), "inline <script>"
        assert not re.search(r"<style\b", html, re.I), "inline <style>"
        assert not re.search(r"\sstyle\s*=", html, re.I), "style= attribute"
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), "event handler attribute"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://aftercheck.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_the_forwarded_scheme_counts(make_app):
    """AFTERCHECK_PROXY_COUNT=1: the TLS proxy's X-Forwarded-Proto makes the request secure."""
    client = make_app(AFTERCHECK_PROXY_COUNT=1).test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers
    plain = make_app().test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers  # not trusted without the setting


def login(client, base_url: str):
    page = client.get("/staff/login", base_url=base_url).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/staff/login", data={"csrf_token": csrf, "password": PASSWORD}, base_url=base_url)


@pytest.mark.parametrize(
    "base_url, secure", [("https://clinic.example", True), ("http://localhost", False)], ids=["https", "http"]
)
def test_session_cookie_is_httponly_lax_secure_on_https(make_app, base_url, secure):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = login(client, base_url)
    assert response.status_code == 302
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert "httponly" in flags and "samesite=lax" in cookie.lower().replace(" ", "")
    assert ("secure" in flags) is secure
