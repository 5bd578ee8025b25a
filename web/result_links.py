"""Results with their own address, to reload, share with the clinic and print; the server keeps nothing.

GET  /result          ?day=N&treated_on=YYYY-MM-DD&cal=device|server&l=<token>: the label in the
                      token (web/links.py) is checked again and the result shown. Without `day` (the
                      bookmarklet's answer: its cross-site POST carried no cookie, this GET does),
                      the day comes from the treatment date remembered on the device, then 303 to
                      the full link, so that a link always holds its day.
POST /treatment-date  the bar at the top of a result: remember a new treatment date (or forget
                      it: `forget`), then 303 back to the result (`l`, `back`).

In:  the label as the POSTs found it (text, product name, category, where it came from) and its
     Treatment (web/days.py).
Out: `answer_with_link(label, treatment)`: the POST's 303 to the link (remembering the date the
     patient gave), or the result page itself when the link would be too long for servers;
     `render_label(label, treatment, token)`: the result page; `link_for(label, treatment)`.
"""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from markupsafe import Markup

from checker import InputError

from .current import current_checker
from .days import Treatment, form_treatment, link_args, link_treatment, parse_date, remember_treated_on
from .limits import LARGE_CHECK_BYTES
from .links import pack, unpack
from .results import render_result

bp = Blueprint("result_links", __name__)

# gunicorn.conf.py's limit_request_line (8190, the most gunicorn allows) less "GET ", " HTTP/1.1"
# and room for a proxy's own prefix: a longer link would be refused with 400 by the server.
MAX_LINK = 8000
# A link is checked on every GET, which no rate limit counts: a crafted link must not carry a text
# that compresses well but costs what the large checks do that web/limits.py rate-limits.
MAX_LINK_TEXT_BYTES = LARGE_CHECK_BYTES
SOURCE_KINDS = {"page", "photo"}


def label(text: str, name=None, category=None, source: dict | None = None) -> dict:
    """What a result link carries: the text checked and what the check needs besides the day."""
    value = {"text": text}
    if name:
        value["name"] = name
    if category:
        value["category"] = category
    if source:
        value["source"] = source
    return value


def result_url(token: str, treatment: Treatment, fallback=None, pending: bool = False) -> str:
    """The result's link; `pending` (a POST that gave no day): the link still to be completed on
    the device, with the date the patient's browser sent (and the bookmark's own date)."""
    if pending:
        args = {"today": treatment.today.isoformat()} if treatment.calendar == "device" else {}
        if fallback:
            args["fallback"] = fallback.isoformat()
        return url_for("result_links.show", **args, l=token)
    return url_for("result_links.show", **link_args(treatment), l=token)


def link_for(value: dict, treatment: Treatment) -> dict:
    """{"url", "token"} for the result page's share link, or {"too_long": True}."""
    token = pack(value)
    url = url_for("result_links.show", **link_args(treatment), l=token)
    return {"url": url, "token": token} if _fits(value, url) else {"too_long": True}


def _fits(value: dict, url: str) -> bool:
    return len(url) <= MAX_LINK and len(value["text"].encode("utf-8")) <= MAX_LINK_TEXT_BYTES


def answer_with_link(value: dict, treatment: Treatment, fallback=None, report=None):
    """A form POST's answer: 303 to the result's link, or the page itself when too long for a link
    (with the `report` the POST already made, if it made one)."""
    token = pack(value)
    url = result_url(token, treatment, fallback, pending=treatment.how == "assumed")
    if _fits(value, url):
        response = redirect(url, 303)
    else:
        response = make_response(render_label(value, treatment, None, report))
    if treatment.remember:
        remember_treated_on(response, treatment.treated_on, secure=request.is_secure)
    return response


@bp.get("/result")
def show():
    """The result a link holds, checked again now."""
    token = request.args.get("l", "")
    value = _label_in(token)
    if "day" not in request.args:
        fallback = parse_date(request.args["fallback"], "fallback") if request.args.get("fallback") else None
        treatment = form_treatment({"today": request.args.get("today", "")}, request.cookies, fallback)
        return redirect(url_for("result_links.show", **link_args(treatment), l=token), 303)
    response = make_response(render_label(value, link_treatment(request.args), token))
    # The page shows the date remembered in the cookie: no shared cache may keep one person's copy.
    response.headers["Cache-Control"] = "private"
    response.vary.add("Cookie")
    return response


@bp.post("/treatment-date")
def treatment_date():
    """The result's treatment bar: a new date (counted on the browser's calendar), or forget it."""
    token, back = request.form.get("l", ""), request.form.get("back", "")
    if request.form.get("forget"):
        response = redirect(back if _is_result_url(back) else url_for("patient.index"), 303)
        return remember_treated_on(response, None, secure=request.is_secure)
    if not request.form.get("treated_on"):
        raise InputError("give your treatment date")
    treatment = form_treatment({"treated_on": request.form["treated_on"], "today": request.form.get("today")}, {})
    target = url_for("patient.index")
    if token:
        _label_in(token)
        target = url_for("result_links.show", **link_args(treatment), l=token)
    return remember_treated_on(redirect(target, 303), treatment.treated_on, secure=request.is_secure)


def render_label(value: dict, treatment: Treatment, token: str | None, report=None):
    """The result page for a label and its day; `token` None: too long to share by link. `report`:
    the label's report for that day when the caller already has it (else it is checked here)."""
    text = value["text"]
    if report is None:
        report = current_checker().check(
            text, day=treatment.day, name=value.get("name"), category=value.get("category")
        )
    source, warning = _source_notes(value.get("source"), text)
    link = {"url": result_url(token, treatment), "token": token} if token else {"too_long": True}
    return render_result(
        report,
        text,
        treatment,
        source=source,
        warning=warning,
        name=value.get("name"),
        link=link,
        category=value.get("category"),
    )


def _source_notes(source: dict | None, text: str) -> tuple[Markup | None, Markup | None]:
    """The line above the verdict saying where the text came from, and a photo's doubt."""
    if not source:
        return None, None
    if source["kind"] == "page":
        note = render_template(
            "importer/_taken_from.html", product=source.get("product"), how=source.get("how"), text=text
        )
        return Markup(note), None
    note = render_template("photo/_linked.html", source=source)
    warning = render_template("photo/_poor_linked.html") if source.get("poor") else None
    return Markup(note), Markup(warning) if warning else None


def _label_in(token: str) -> dict:
    """The label a link's token holds, or InputError (a damaged or hand-made link)."""
    value = unpack(token)
    ok = isinstance(value, dict) and isinstance(value.get("text"), str)
    ok = ok and all(isinstance(value.get(key), (str, type(None))) for key in ("name", "category"))
    source = value.get("source") if ok else None
    if source is not None and not (isinstance(source, dict) and source.get("kind") in SOURCE_KINDS):
        ok = False
    if not ok:
        raise InputError("this link is not an Aftercheck result link")
    if len(value["text"].encode("utf-8")) > MAX_LINK_TEXT_BYTES:
        raise InputError("this link holds more than a label's worth of text")
    return value


def _is_result_url(url: str) -> bool:
    """Only this site's own result pages are a place to go back to (no open redirect)."""
    return url.startswith(url_for("result_links.show") + "?") and "\\" not in url
