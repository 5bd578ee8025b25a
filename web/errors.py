"""One JSON error shape for API clients, small HTML error pages for people.

Every API error is `{"error": {"code": ..., "message": ...}}` made by `error_response`; views raise
`APIError`, a checker `InputError` (400 `bad_input`: an empty label, a bad day or date) or let an
HTTPException or a database error happen (400 for a value the database refuses, else 503), and
the handlers here, registered app-wide, build the response: JSON for /api/ paths and clients that
ask for JSON, the HTML error page for everyone else.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import DataError, SQLAlchemyError
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


def too_large_message(limit: int, what: str = "The request") -> str:
    """Why a 413 happened: a body over `limit` bytes, or a form of too many parts (or too big a field)."""
    size = request.content_length
    if size is None or size > limit:
        return f"{what} is larger than the limit of {limit:,} bytes."
    return (
        f"The form has too many fields or too large a field (at most {request.max_form_parts:,} parts "
        f"and {request.max_form_memory_size or 0:,} bytes per field); send only the form's own fields."
    )


def _message(exc: HTTPException) -> str:
    if exc.code == 413:
        return too_large_message(request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"])
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


def handle_database_error(exc: SQLAlchemyError):
    """The database refused a value (400: too long, a NUL byte) or cannot be used just now (503)."""
    if isinstance(exc, DataError):
        log.warning("database refused a value on %s %s: %s", request.method, request.path, str(exc.orig)[:200])
        status, code = 400, "bad_input"
        message = "The database cannot store a value sent: it is too long or holds a character such as a NUL byte."
    else:
        log.exception("database error on %s %s", request.method, request.path)
        status, code = 503, "database_unavailable"
        message = "The database cannot be used just now; please try again in a minute."
    if wants_json():
        return error_response(status, code, message)
    return render_template("error.html", status=status, title="Could not use the database", message=message), status


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
    app.register_error_handler(SQLAlchemyError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
