"""Slots for slow work: requests that wait on the outside world (URL import) or on another program
(photo OCR) never take every thread that serves patients' checks.

In:  AFTERCHECK_SLOW_WORK_SLOTS (config.py): how many such requests one worker process runs at once.
Out: `init_slow_work(app)`: each endpoint in SLOW_ENDPOINTS runs holding one of the process's slots.
     A slot is taken without waiting; when all are busy the answer at once is 503 with Retry-After
     (JSON `{"error": {"code": "busy", ...}}` for API clients, a short page for people), so the
     request gives its thread back instead of queueing behind the slow ones.

This bounds threads, not CPU: gunicorn runs each worker with more threads than slots
(gunicorn.conf.py refuses to start otherwise), so a check always finds a free thread even while a
page drips one byte a second into every slot. Per process, like the memory:// rate limits: with
`-w 2` the service runs at most twice the setting at once.
"""

from __future__ import annotations

import functools
import logging
import threading

from flask import Flask, current_app, render_template

from .errors import error_response, wants_json

log = logging.getLogger("aftercheck.slow_work")

# Endpoints that are not registered are skipped (a test app without a blueprint still starts).
SLOW_ENDPOINTS = (
    "importer.import_url",  # fetches a page: up to the fetch's 15 s deadline on a slow site
    "importer.api_import",
    "photo.check_photo",  # Tesseract: seconds on a dense photo
    "photo.api_photo",
)
# A held slot is released within the fetch deadline (or the OCR limit) plus the page's reading.
RETRY_AFTER_S = 10
BUSY_MESSAGE = (
    "The server is busy fetching pages and reading photos for others just now. "
    "Try again in a few seconds, or paste the ingredient list instead: checks are always answered."
)


def init_slow_work(app: Flask) -> threading.BoundedSemaphore:
    """Wrap each slow endpoint so it runs holding a slot of this process; returns the slots."""
    count = app.config["AFTERCHECK_SLOW_WORK_SLOTS"]
    if count < 1:
        raise ValueError(f"AFTERCHECK_SLOW_WORK_SLOTS must be at least 1 (got {count})")
    slots = threading.BoundedSemaphore(count)
    app.extensions["aftercheck_slow_work"] = slots
    for endpoint in SLOW_ENDPOINTS:
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = _holding_a_slot(view, slots)
    return slots


def _holding_a_slot(view, slots: threading.BoundedSemaphore):
    @functools.wraps(view)
    def run(*args, **kwargs):
        if not slots.acquire(blocking=False):
            return busy_response()
        try:
            return view(*args, **kwargs)
        finally:
            slots.release()

    return run


def busy_response():
    """503 with Retry-After, in the client's format."""
    limit = current_app.config["AFTERCHECK_SLOW_WORK_SLOTS"]
    log.warning("slow work refused: all %d slots of this process are busy", limit)
    if wants_json():
        response = error_response(503, "busy", BUSY_MESSAGE)
    else:
        page = render_template("error.html", status=503, title="Busy for a moment", message=BUSY_MESSAGE)
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
