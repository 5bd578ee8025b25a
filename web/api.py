"""The JSON API: POST /api/check, GET /api/health, /api/version, /api/openapi.json.

A checker InputError (an empty label, a bad day) becomes 400 `bad_input` (web/errors.py).
"""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, jsonify

from checker import __version__ as checker_version

from .current import current_checker
from .days import body_day
from .errors import APIError
from .json_body import json_object

bp = Blueprint("api", __name__, url_prefix="/api")

EXAMPLE = '{"text": "Water, Retinol", "day": 2}'


@bp.post("/check")
def check_label():
    """Check a label: {"text", "day"} or {"text", "treated_on", "today"?} -> the checker's report."""
    body = json_object(EXAMPLE)
    text = body.get("text")
    if not isinstance(text, str):
        raise APIError(400, "missing_text", f"'text' must be a string holding the label, e.g. {EXAMPLE}")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise APIError(400, "bad_input", "'name' must be a string (the product name) when given")
    category = body.get("category")
    if category is not None and not isinstance(category, str):
        raise APIError(400, "bad_input", "'category' must be a string (the retailer's category) when given")
    report = current_checker().check(text, day=body_day(body)[0], name=name, category=category)
    if not report.recognised:
        raise APIError(422, "no_ingredients", report.summary)
    return jsonify(report.to_dict())


@bp.get("/health")
def health():
    """Liveness: the data is loaded and the app answers."""
    return jsonify(status="ok")


@bp.get("/version")
def version():
    """The versions of the code, ingredient data and protocol that produce every report."""
    checker = current_checker()
    return jsonify(**checker.versions, protocol_name=checker.protocol.name)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@cache
def openapi_document() -> dict:
    """web/openapi.json, stamped with the code version."""
    with bp.open_resource("openapi.json") as handle:
        document = json.load(handle)
    document["info"]["version"] = checker_version
    return document
