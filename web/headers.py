"""Response headers that keep other sites from framing or re-scripting the pages.

Every response (pages, JSON, errors, static files) gets them; tests/reliability/test_headers.py
walks every route to check. HSTS is sent only on HTTPS requests (behind a TLS-terminating proxy,
set AFTERCHECK_PROXY_COUNT so the app sees the original scheme).
"""

from __future__ import annotations

from flask import request

# No inline scripts or styles anywhere, so the policy needs no 'unsafe-inline' and no nonces:
# scripts and styles come from files under /static (same origin) only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"  # one year; no includeSubDomains: the clinic's other hosts are not ours


def add_security_headers(response):
    """after_request hook: CSP, no framing, no MIME sniffing, no referrer, HSTS over HTTPS."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
