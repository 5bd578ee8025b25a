"""The JSON object a client posts to the API, or the API's error saying what to send instead.

In:  the current request; an example body for the error message.
Out: `json_object(example)` -> the body as a dict. A body not sent as JSON (Content-Type) is 415
     `unsupported_media_type`; JSON that is not an object (malformed, a list, null) is 400
     `malformed_json`. Every JSON endpoint answers alike (web/openapi.json lists both).
"""

from __future__ import annotations

from flask import request

from .errors import APIError


def json_object(example: str) -> dict:
    """The request's JSON object; APIError (415 or 400) with `example` in the message otherwise."""
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", f"Send JSON with Content-Type: application/json, e.g. {example}")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise APIError(400, "malformed_json", f"The body must be a JSON object, e.g. {example}")
    return body
