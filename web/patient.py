"""The patient's pages: the label form and its result, and the aftercare timeline.

GET  /          the empty form
POST /          check the pasted label for the chosen day: 303 to the result's own link (GET /result,
                web/result_links.py); the form again on a bad day or text, and, for a label longer than
                the form takes, the form again with the text cut to the limit
GET  /timeline  the clinic's aftercare sheet as a day-by-day timeline (from the protocol file), with the
                patient's day marked (?day=N, else the treatment date remembered on the device) and
                when each product rule ends
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from checker import InputError

from .current import current_checker
from .days import day_number, form_treatment
from .result_links import answer_with_link, label
from .results import empty_form_context, form_context, max_text_chars
from .timeline import at_a_glance, timeline_stages

bp = Blueprint("patient", __name__)

# A browser sends the form URL-encoded: a comma or a non-ASCII letter takes three bytes or more per
# byte of text. So the label form's body may be this many times the text limit, and a label over the
# limit still reaches the view, which answers on the form with the text cut to the limit.
ENCODED_BODY_FACTOR = 4


@bp.before_request
def allow_long_pastes():
    """POST /: a body cap above the text limit, so a paste too long is answered on the form."""
    if request.endpoint != "patient.check_label":
        return None
    limit = ENCODED_BODY_FACTOR * current_app.config["MAX_FORM_MEMORY_SIZE"]
    request.max_content_length = request.max_form_memory_size = limit
    try:
        _ = request.form  # parse now: beyond even this cap the form answers, without the text
    except RequestEntityTooLarge:
        message = f"this text is far longer than a label (Aftercheck checks about {max_text_chars():,} characters)"
        return render_template("index.html", error=message, **form_context("", "0")), 413
    return None


@bp.get("/")
def index():
    """The empty form."""
    return render_template("index.html", **empty_form_context())


@bp.post("/")
def check_label():
    """Check the pasted label for the chosen day; the result has its own link (reload, share)."""
    text = request.form.get("text", "")
    name = request.form.get("name") or None
    too_long = _cut(text)
    if too_long is not None:
        message = (
            f"this text is longer than Aftercheck checks (about {max_text_chars():,} characters), so it was cut "
            "to that length below; keep only the ingredient list and check again"
        )
        context = form_context(too_long, request.form.get("day", "0"), name)
        return render_template("index.html", error=message, **context), 413
    try:
        treatment = form_treatment(request.form, request.cookies)
        report = current_checker().check(text, day=treatment.day, name=name)  # a text it refuses is said on the form
    except InputError as exc:
        context = form_context(text, request.form.get("day", "0"), name)
        return render_template("index.html", error=str(exc), **context), 400
    # Too long for a link, the page is shown from this report, so a large label is checked once.
    return answer_with_link(label(text, name), treatment, report=report)


def _cut(text: str) -> str | None:
    """The text cut to the form's limit (in UTF-8 bytes, as the limit is), or None when it fits."""
    data = text.encode("utf-8")
    if len(data) <= max_text_chars():
        return None
    return data[: max_text_chars()].decode("utf-8", errors="ignore")


@bp.get("/timeline")
def timeline():
    """The clinic's aftercare sheet as a day-by-day timeline, the patient's day marked: ?day=N (a
    result's link), else the day of the treatment date remembered on the device."""
    protocol = current_checker().protocol
    day, remembered = day_number(request.args.get("day", "")), None
    if day is None and "day" not in request.args:
        treatment = form_treatment({"today": request.args.get("today", "")}, request.cookies)
        if treatment.how == "remembered":
            day, remembered = treatment.day, treatment.treated_on
    return render_template(
        "timeline.html",
        stages=timeline_stages(protocol, day),
        glance=at_a_glance(protocol),
        day=day,
        remembered=remembered,
    )
