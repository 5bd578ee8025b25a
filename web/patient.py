"""The patient's pages: the label form and its result, and the aftercare timeline.

GET  /          the empty form
POST /          check the pasted label for the chosen day: the result page (the form again on a bad day)
GET  /timeline  the clinic's aftercare sheet as a day-by-day timeline (from the protocol file)
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from checker import InputError

from .current import current_checker
from .days import form_day
from .results import form_context, render_result

bp = Blueprint("patient", __name__)


@bp.get("/")
def index():
    """The empty form."""
    return render_template("index.html", **form_context("", 0))


@bp.post("/")
def check_label():
    """Check the pasted label for the chosen day and show the result on the same page."""
    text = request.form.get("text", "")
    try:
        day, treated_on = form_day(request.form)
        report = current_checker().check(text, day=day, name=request.form.get("name") or None)
    except InputError as exc:
        context = form_context(text, request.form.get("day", "0"))
        return render_template("index.html", error=str(exc), **context), 400
    return render_result(report, text, day, treated_on)


@bp.get("/timeline")
def timeline():
    """The clinic's aftercare sheet as a day-by-day timeline (from the protocol file)."""
    return render_template("timeline.html", timeline=current_checker().protocol.timeline)
