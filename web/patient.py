"""The patient's pages: the label form and its result, and the aftercare timeline.

GET  /          the empty form
POST /          check the pasted label for the chosen day: 303 to the result's own link (GET /result,
                web/result_links.py), or the form again on a bad day or text
GET  /timeline  the clinic's aftercare sheet as a day-by-day timeline (from the protocol file)
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from checker import InputError

from .current import current_checker
from .days import form_treatment
from .result_links import answer_with_link, label
from .results import empty_form_context, form_context

bp = Blueprint("patient", __name__)


@bp.get("/")
def index():
    """The empty form."""
    return render_template("index.html", **empty_form_context())


@bp.post("/")
def check_label():
    """Check the pasted label for the chosen day; the result has its own link (reload, share)."""
    text = request.form.get("text", "")
    name = request.form.get("name") or None
    try:
        treatment = form_treatment(request.form, request.cookies)
        current_checker().check(text, day=treatment.day, name=name)  # a text it refuses is said on the form
    except InputError as exc:
        context = form_context(text, request.form.get("day", "0"))
        return render_template("index.html", error=str(exc), **context), 400
    return answer_with_link(label(text, name), treatment)


@bp.get("/timeline")
def timeline():
    """The clinic's aftercare sheet as a day-by-day timeline (from the protocol file)."""
    return render_template("timeline.html", timeline=current_checker().protocol.timeline)
