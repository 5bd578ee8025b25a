"""The app's log: the standard `logging` module, under the logger "aftercheck".

In:  AFTERCHECK_LOG_LEVEL (the level of "aftercheck" and its children) and AFTERCHECK_SLOW_REQUEST_MS
     (requests that take at least this long are logged; 0 logs every request).
Out: `init_logging(app)`: the level, a handler on standard error when no handler would show the
     records (as Flask does for its own logger; a deployment's logging configuration wins), and
     the slow-request hooks; `log_start(checker)` logs the data versions and the protocol.

What is logged: start-up (versions, protocol), refused imports (web/importer.py, web/shelf.py:
the reason and the page's host, never the text or the page), slow requests (method, path without
the query string, status, milliseconds), and unexpected errors (web/errors.py).
"""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, request
from flask.logging import has_level_handler

from checker import Checker

log = logging.getLogger("aftercheck")
# The clock slow requests are timed with (tests put a fake one here).
clock = time.perf_counter


def init_logging(app: Flask) -> None:
    level = app.config["AFTERCHECK_LOG_LEVEL"]
    if not isinstance(logging.getLevelName(str(level).upper()), int):
        raise ValueError(f"AFTERCHECK_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got {level!r})")
    log.setLevel(str(level).upper())
    if not has_level_handler(log):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s in %(name)s: %(message)s"))
        log.addHandler(handler)
    app.before_request(_start_timer)
    app.after_request(_log_if_slow)


def log_start(checker: Checker) -> None:
    """Which data and rules this process answers with."""
    versions = checker.versions
    log.info(
        "Aftercheck %s started: protocol %r version %s, ingredient data %s",
        versions["code"],
        checker.protocol.name,
        versions["protocol"],
        versions["ingredients"],
    )


def _start_timer() -> None:
    g.aftercheck_started = clock()


def _log_if_slow(response):
    started = g.pop("aftercheck_started", None)
    if started is None:
        return response
    elapsed_ms = (clock() - started) * 1000
    if elapsed_ms >= current_app.config["AFTERCHECK_SLOW_REQUEST_MS"]:
        log.warning(
            "slow request: %s %s answered %d in %.0f ms", request.method, request.path, response.status_code, elapsed_ms
        )
    return response
