"""Rate limits (Flask-Limiter) on the endpoints that cost the server or invite guessing.

In:  the RATELIMIT_* settings (config.py): whether limits are on, the store shared by all workers
     and servers (`memory://` by default: each worker process counts alone), and one limit string
     per kind of request ("10 per minute", "100/hour; 10/minute").
Out: `init_limits(app)`: one Limiter per app, keyed by the client address (behind a proxy set
     AFTERCHECK_PROXY_COUNT so that address is the client's, not the load balancer's). A request
     over a limit gets 429 with Retry-After: JSON `{"error": {"code": "rate_limited", ...}}` for API
     clients, a small HTML page for people (web/errors.py).

Only POSTs count (loading the login form or the bookmarklet page is free), and GETs of a plan page
whose link is long enough to hold as much label text as a large check.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# endpoint -> the setting that holds its limit. Endpoints that are not registered are skipped, so
# a deployment without a blueprint (or a test app) still starts.
LIMITED_ENDPOINTS = {
    "auth.login": "RATELIMIT_LOGIN",  # staff password guessing
    "importer.import_url": "RATELIMIT_URL_IMPORT",  # the server fetches a page for the client
    "importer.api_import": "RATELIMIT_URL_IMPORT",
    "importer.api_extract": "RATELIMIT_HTML_IMPORT",  # up to 3 MB of HTML parsed per request
    "importer.from_page": "RATELIMIT_HTML_IMPORT",  # the bookmarklet's form POST
    "photo.check_photo": "RATELIMIT_PHOTO",  # OCR: seconds of CPU per photo
    "photo.api_photo": "RATELIMIT_PHOTO",
    # label checks count only when large (see LARGE_CHECK_BYTES): a patient's paste never does
    "api.check_label": "RATELIMIT_LARGE_CHECK",
    "patient.check_label": "RATELIMIT_LARGE_CHECK",
    # a plan checks every product of a routine: limited like a check of all its labels together
    "plan.api_plan": "RATELIMIT_LARGE_CHECK",
    "plan.change_routine": "RATELIMIT_LARGE_CHECK",
    # the plan page and its calendar check the labels their link holds: counted when the link is long
    "plan.show_plan": "RATELIMIT_LARGE_CHECK",
    "plan.plan_ics": "RATELIMIT_LARGE_CHECK",
}
CHECKS = {"api.check_label", "patient.check_label", "plan.api_plan", "plan.change_routine"}
LINK_PAGES = {"plan.show_plan", "plan.plan_ics"}  # GET pages whose link carries labels to check
# A real label is a few kilobytes; a check this large is a pasted page or junk, and its CPU grows
# with its size.
LARGE_CHECK_BYTES = 64_000
# A link holds its labels compressed, several times shorter than their text: a link this long holds
# about as much label text as a large check.
LARGE_LINK_BYTES = LARGE_CHECK_BYTES // 4


def _limit_from(setting: str):
    return lambda: current_app.config[setting]


def _small_check() -> bool:
    if request.endpoint in LINK_PAGES:
        return len(request.query_string) < LARGE_LINK_BYTES
    return request.endpoint in CHECKS and (request.content_length or 0) < LARGE_CHECK_BYTES


def init_limits(app: Flask) -> Limiter:
    """Attach a Limiter to `app` and put the configured limit on each endpoint above."""
    limiter = Limiter(get_remote_address, app=app, strategy="moving-window")
    # Flask-Limiter keeps only a weak reference: the app must hold the limiter alive itself.
    app.extensions["aftercheck_limiter"] = limiter
    # Skip the limiter's per-request work on every other endpoint: it is a noticeable share of a check.
    limiter.request_filter(lambda: request.endpoint not in LIMITED_ENDPOINTS or _small_check())
    for endpoint, setting in LIMITED_ENDPOINTS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        # one shared bucket per setting: /import and /api/import draw on the same allowance
        app.view_functions[endpoint] = limiter.shared_limit(
            _limit_from(setting), scope=setting.lower(), methods=["GET"] if endpoint in LINK_PAGES else ["POST"]
        )(view)
    return limiter
