"""One JSON error shape for API clients, small HTML error pages for people.

Every API error is `{"error": {"code": ..., "message": ...}}` made by `error_response`; views raise
`APIError`, a checker `InputError` (400 `bad_input`: an empty label, a bad day or date) or let an
HTTPException happen, and the handlers here, registered app-wide, build the response: JSON for
/api/ paths and clients that ask for JSON, the HTML error page for everyone else.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from checker import InputError

log = logging.getLogger("aftercheck.errors")

# Stable machine-readable codes for the statuses Werkzeug raises (also listed in openapi.json).
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
}


class APIError(Exception):
    """A client error found by an API view."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str):
    """The JSON error response; the only place its shape is written."""
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    return response


def wants_json() -> bool:
    """API paths always get JSON; elsewhere a client that asks for JSON first gets it too."""
    return (
        request.path == "/api"
        or request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
    )


def _message(exc: HTTPException) -> str:
    if exc.code == 413:
        return f"The request is larger than the limit of {current_app.config['MAX_CONTENT_LENGTH']:,} bytes."
    if exc.code == 429:
        return f"Too many requests from your address (limit: {exc.description}). Wait a little and try again."
    return exc.description or exc.name


def handle_http_exception(exc: HTTPException):
    """404, 405, 413, 415 ... from Werkzeug, in the client's format."""
    if not wants_json():
        return render_template("error.html", status=exc.code, title=exc.name, message=_message(exc)), exc.code
    response = error_response(exc.code, HTTP_CODES.get(exc.code, exc.name.lower().replace(" ", "_")), _message(exc))
    if getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_api_error(exc: APIError):
    return error_response(exc.status, exc.code, exc.message)


def handle_bad_input(exc: InputError):
    """What the checker refused to check (the pages that show a form catch it themselves)."""
    if wants_json():
        return error_response(400, "bad_input", str(exc))
    return render_template("error.html", status=400, title="Could not check", message=str(exc)), 400


def handle_unexpected(exc: Exception):
    """Last resort: log the bug, and never show a traceback or an HTML page to an API client."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    message = "Something went wrong on our side; the error was logged."
    if wants_json():
        return error_response(500, "internal_error", message)
    return render_template("error.html", status=500, title="Internal error", message=message), 500


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(APIError, handle_api_error)
    app.register_error_handler(InputError, handle_bad_input)
    app.register_error_handler(Exception, handle_unexpected)
