"""Page import: the bookmarklet, its form-POST target, URL import, and the JSON endpoints.

GET  /bookmarklet   explains the bookmarklet and offers it with this service's origin baked in
                    (AFTERCHECK_PUBLIC_ORIGIN; never the request's Host header, except on loopback)
POST /from-page     the bookmarklet's target (form fields html | selection, url, title, today,
                    bookmark_treated_on): 303 to the result's link (web/result_links.py)
POST /import        the home page's URL field: fetch the page, then 303 to the result's link
GET  /from-page, /import   (a reload of an old result, a bookmark) -> 303 to the home page
POST /api/extract   {"html", "url"?, "selection"?, "day" | "treated_on" + "today"?} -> product,
                    ingredient text, source, treatment date, report
POST /api/import    {"url", "day" | "treated_on" + "today"?} -> the same, for a page the server fetches

Every import carries the patient's day: a `day`, or a `treated_on` date from which the day and the
"safe from" dates are counted, or else the date remembered on the patient's device (web/days.py).
The bookmarklet's POST is cross-site, so it carries no cookie: its answer is a link without a day,
completed by GET /result, which does carry it; the date baked in on /bookmarklet
(`bookmark_treated_on`) is used only on a device that remembers none.

Nothing here writes anything on the server (a form's treatment date is kept in the patient's own
cookie only), so the bookmarklet's cross-site POST needs no CSRF token. Page
content only reaches templates through Jinja's escaping (importer/_taken_from.html).
A refused import (no ingredient list, an address not fetched) is logged with its reason and the
page's host, never the page or its full address.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from checker import InputError
from sources.fetch import FetchError, FetchPolicy, fetch
from sources.page import Extraction, NoIngredientList, extract

from .current import current_checker
from .days import body_day, form_treatment, parse_date, remembered_treated_on, server_today
from .errors import APIError, error_response
from .json_body import json_object
from .result_links import answer_with_link, label
from .results import form_context

bp = Blueprint("importer", __name__)
log = logging.getLogger("aftercheck.importer")

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
BOOKMARKLET_SOURCE = Path(__file__).resolve().parent.parent / "static" / "bookmarklet.js"
NO_LIST_HINT = (
    "Many shops load the ingredients with JavaScript or block automated visitors, so the "
    "server often cannot see them. Open the page in your browser and use the Aftercheck "
    "bookmarklet instead: it reads the page as you see it."
)

# The failed import page's heading, per FetchError code ('no_list': the page was read, no list in it).
FAILURE_HEADINGS = {
    "no_list": "No ingredient list found",
    "bad_url": "That address could not be reached",
    "blocked_address": "That address cannot be imported",
    "http_error": "The shop did not show us the page",
    "timeout": "The shop took too long to answer",
    "too_many_redirects": "The page could not be fetched",
    "not_html": "That address is not a web page",
    "network_error": "The page could not be fetched",
}


@bp.before_request
def allow_whole_pages():
    """Pages are bigger than pasted labels: this blueprint's own, larger body cap (413 beyond)."""
    limit = current_app.config["AFTERCHECK_MAX_PAGE_BYTES"]
    request.max_content_length = limit
    request.max_form_memory_size = limit


# --- the bookmarklet -----------------------------------------------------------------------------


@cache
def _bookmarklet_code() -> str:
    """static/bookmarklet.js without comment lines and layout, ready for a javascript: URL."""
    lines = BOOKMARKLET_SOURCE.read_text(encoding="utf-8").splitlines()
    code = " ".join(line.strip() for line in lines if line.strip() and not line.strip().startswith("//"))
    return re.sub(r"\s+", " ", code)


def bookmarklet_url(origin: str, treated_on: date | None = None) -> str:
    """The javascript: URL with this service's origin, and the patient's treatment date, baked in."""
    code = _bookmarklet_code().replace("__AFTERCHECK_ORIGIN__", json.dumps(origin)[1:-1])
    code = code.replace("__AFTERCHECK_TREATED_ON__", treated_on.isoformat() if treated_on else "")
    return "javascript:" + quote(code, safe="()[]{};,.=!&|:+-*/'<>?_$~")


@bp.record_once
def _check_public_origin(state) -> None:
    """A malformed AFTERCHECK_PUBLIC_ORIGIN stops start-up rather than baking a broken link."""
    origin = state.app.config.get("AFTERCHECK_PUBLIC_ORIGIN")
    if origin:
        state.app.config["AFTERCHECK_PUBLIC_ORIGIN"] = _origin_setting(origin)


def _origin_setting(origin: str) -> str:
    """'https://aftercheck.clinic.example' (scheme, host, optional port) or ValueError."""
    origin = origin.strip().rstrip("/")
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 (a bad port raises here)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ValueError(
            f"AFTERCHECK_PUBLIC_ORIGIN must be a scheme and host such as https://aftercheck.clinic.example (got {origin!r})"
        )
    return origin


def public_origin() -> str | None:
    """The origin the bookmarklet posts to: AFTERCHECK_PUBLIC_ORIGIN; without it, this request's
    origin only on a loopback host (development), since a Host header is whatever the client sent."""
    configured = current_app.config.get("AFTERCHECK_PUBLIC_ORIGIN")
    if configured:
        return configured
    if (urlsplit(request.host_url).hostname or "") in LOOPBACK_HOSTS:
        return request.host_url.rstrip("/")
    return None


@bp.get("/bookmarklet")
def bookmarklet():
    """How to install and use the bookmarklet, with the link to drag to the bookmarks bar.

    ?treated_on=YYYY-MM-DD (the page's date field; else the date remembered on this device) bakes
    the patient's treatment date into the link, for devices that remember no date (a bookmark
    synced to another browser): the date remembered on the device wins over it."""
    origin = public_origin()
    given = request.args.get("treated_on")
    treated_on = parse_date(given, "treated_on") if given else remembered_treated_on(request.cookies)
    return render_template(
        "bookmarklet.html",
        bookmarklet_url=bookmarklet_url(origin, treated_on) if origin else None,
        treated_on=treated_on,
        today=server_today(),
        origin=origin,
        max_page_bytes=current_app.config["AFTERCHECK_MAX_PAGE_BYTES"],
    )


@bp.post("/from-page")
def from_page():
    """The bookmarklet's target: the page (or the selection) in, the normal result page out."""
    form = request.form
    try:
        found = _extract(form.get("html", ""), form.get("url"), form.get("selection"), form.get("title"))
    except NoIngredientList as exc:
        return _no_list_page(str(exc), exc.product, form.get("url"))
    treatment = form_treatment(form, request.cookies)
    given = form.get("bookmark_treated_on")
    return answer_with_link(_label(found), treatment, parse_date(given, "bookmark_treated_on") if given else None)


@bp.get("/from-page")
@bp.get("/import")
def no_page_given():
    """A reload or a bookmark of an old result address: nothing to check, so the home page's form."""
    return redirect(url_for("patient.index"), 303)


@bp.post("/import")
def import_url():
    """The home page's URL field: fetch the page on the server, then the result page."""
    url = request.form.get("url", "")
    try:
        page = _fetch(url)
        found = _extract(page.html, page.url)
    except FetchError as exc:
        return _no_list_page(exc.message, None, url, hint=exc.code in ("http_error", "timeout"), failure=exc.code)
    except NoIngredientList as exc:
        return _no_list_page(str(exc), exc.product, url, hint=True)
    return answer_with_link(_label(found), form_treatment(request.form, request.cookies))


def _label(found: Extraction) -> dict:
    """What the result's link carries of a page: the list, the product's name, brand and category,
    and how the list was found (importer/_taken_from.html words it); never the page's address."""
    who = found.name or None
    if who and found.brand and found.brand.lower() not in who.lower():
        who = f"{who} ({found.brand})"
    source = {"kind": "page", "product": who, "how": found.source}
    return label(found.ingredients_text, found.name, found.category, source)


def _no_list_page(message: str, product: dict | None, url: str | None, hint: bool = False, failure: str = "no_list"):
    """The page a failed import answers with: a heading for what happened (`failure`: a FetchError
    code, or 'no_list' when the page was read), the address again to correct, and the label form."""
    name = (product or {}).get("name")
    context = form_context("", request.form.get("day", "0"))
    return render_template(
        "importer/no_list.html",
        heading=FAILURE_HEADINGS.get(failure, FAILURE_HEADINGS["network_error"]),
        failure=failure,
        message=message,
        product_name=name,
        page_url=url,
        hint=NO_LIST_HINT if hint else None,
        **context,
    ), 422


# --- JSON --------------------------------------------------------------------------------------


@bp.post("/api/extract")
def api_extract():
    """{"html", "url"?, "selection"?, "day" | "treated_on"?} -> the product, the list chosen, its report."""
    body = json_object('{"html": "<html>...</html>"}')
    html = body.get("html")
    if not isinstance(html, str):
        raise APIError(400, "missing_html", "'html' must be a string holding the page's HTML")
    if not html and not (isinstance(body.get("selection"), str) and body["selection"]):
        raise APIError(400, "missing_html", "'html' is empty: send the page's HTML, or the text selected on it")
    for key in ("url", "selection", "title"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise APIError(400, "bad_input", f"'{key}' must be a string when given")
    try:
        found = _extract(html, body.get("url"), body.get("selection"), body.get("title"))
    except NoIngredientList as exc:
        return _no_list_json(exc, hint=False)
    return jsonify(_answer(found, body))


@bp.post("/api/import")
def api_import():
    """{"url", "day" | "treated_on"?} -> fetch the page on the server, then as /api/extract."""
    body = json_object('{"url": "https://shop.example/product"}')
    url = body.get("url")
    if not isinstance(url, str) or not url:
        raise APIError(400, "missing_url", "'url' must be a string holding the product page's address")
    try:
        page = _fetch(url)
        found = _extract(page.html, page.url)
    except FetchError as exc:
        status = 400 if exc.code in ("bad_url", "blocked_address") else 502
        return error_response(status, exc.code, exc.message)
    except NoIngredientList as exc:
        return _no_list_json(exc, hint=True)
    answer = _answer(found, body)
    answer["url"] = page.url
    return jsonify(answer)


def _answer(found: Extraction, body: dict) -> dict:
    """The extraction and its report for the body's `day`, or its `treated_on` (and `today`)."""
    day, treated_on = body_day(body)
    if day is not None and (isinstance(day, bool) or not isinstance(day, int)):
        raise APIError(400, "bad_input", "'day' must be a whole number of days since treatment")
    report = current_checker().check(found.ingredients_text, day=day, name=found.name, category=found.category)
    return {**found.to_dict(), "treated_on": treated_on.isoformat() if treated_on else None, "report": report.to_dict()}


def _no_list_json(exc: NoIngredientList, hint: bool):
    """The shared 422 error shape, with the product (when one was found) alongside it."""
    message = f"{exc} {NO_LIST_HINT}" if hint else str(exc)
    response = error_response(422, "no_ingredient_list", message)
    response.set_data(json.dumps({**response.get_json(), "product": exc.product}))
    return response


# --- shared ------------------------------------------------------------------------------------


def _extract(html, url, selection=None, title=None) -> Extraction:
    _readable_address(url)
    try:
        return extract(
            html or "",
            url=url,
            selection=selection,
            title=title,
            budget_s=current_app.config["AFTERCHECK_EXTRACT_BUDGET_S"],
            checker=current_checker(),
        )
    except NoIngredientList as exc:
        how = "selection" if selection else "page"
        log.info("page import refused: no ingredient list in the %s from %s: %s", how, _host(url), exc)
        raise


def _readable_address(url) -> None:
    """The page's address picks the site's hooks; one that cannot be read is the client's error."""
    try:
        urlsplit(url or "")
    except ValueError:
        raise InputError(f"url is not a valid web address (got {str(url)[:80]!r})") from None


def _fetch(url: str):
    config = current_app.config
    policy = FetchPolicy(
        allow_private=config["AFTERCHECK_IMPORT_ALLOW_PRIVATE"], max_bytes=config["AFTERCHECK_MAX_PAGE_BYTES"]
    )
    try:
        return fetch(url, policy)
    except FetchError as exc:
        # An address the guard refused may be someone probing the network behind the server.
        level = logging.WARNING if exc.code == "blocked_address" else logging.INFO
        log.log(level, "URL import refused: %s for %s", exc.code, _host(url))
        raise


def _host(url) -> str:
    """Only the host goes into the log: a page's full address may carry a customer's details."""
    try:
        return urlsplit(url or "").hostname or "no address"
    except ValueError:
        return "an unreadable address"


@bp.app_context_processor
def importer_links() -> dict:
    """Templates link to the bookmarklet page and the URL form without knowing this blueprint."""
    return {"bookmarklet_page": url_for("importer.bookmarklet"), "import_action": url_for("importer.import_url")}
