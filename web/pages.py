"""Patient pages: the label form and its result, and the aftercare timeline."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, render_template, request

from checker import InputError, Report

from .common import current_checker, days_since

bp = Blueprint("pages", __name__)

VERDICT_WORDS = {
    "avoid": "Avoid for now",
    "caution": "Caution",
    "encouraged": "Encouraged",
    "neutral": "Nothing flagged",
    "unchecked": "Not checked",
}
FLAG_WORDS = {"avoid": "Avoid", "caution": "Caution", "encouraged": "Encouraged", "none": "No flag"}
# Flagged ingredients are listed first, most severe first; the rest keep the label's order.
FLAG_ORDER = {"avoid": 0, "caution": 1, "encouraged": 2}
# Real labels list under a hundred ingredients; past this many rows per list a pasted novel would
# only make a page of many megabytes.
MAX_ROWS = 300


@bp.get("/")
def index():
    """The empty form."""
    return render_template("index.html", **_form_context("", 0))


@bp.post("/")
def check_label():
    """Check the pasted label for the chosen day and show the result on the same page."""
    text = request.form.get("text", "")
    try:
        day, treated_on = _form_day(request.form)
        report = current_checker().check(text, day=day, name=request.form.get("name") or None)
    except InputError as exc:
        context = _form_context(text, request.form.get("day", "0"))
        return render_template("index.html", error=str(exc), **context), 400
    return render_result(report, text, day, treated_on)


@bp.get("/timeline")
def timeline():
    """The clinic's aftercare sheet as a day-by-day timeline (from the protocol file)."""
    return render_template("timeline.html", timeline=current_checker().protocol.timeline)


def render_result(
    report: Report, text: str, day: int | None, treated_on: date | None = None, source: str | None = None
):
    """The result page for a report (status 422 when nothing was recognised).

    `treated_on` defaults to `day` days before today; `source` is an optional line saying where
    the text came from (e.g. "taken from this page: <product name>"), shown above the verdict.
    """
    if treated_on is None and day is not None:
        treated_on = date.today() - timedelta(days=day)
    data = report.to_dict()
    flagged = sorted(
        (i for i in data["ingredients"] if i["flag"] in FLAG_ORDER),
        key=lambda i: (FLAG_ORDER[i["flag"]], i["position"]),
    )
    verdict = report.verdict if report.recognised else "unchecked"
    context = {
        "report": data,
        "verdict": verdict,
        "verdict_word": VERDICT_WORDS[verdict],
        "headline": report.summary,
        "flagged": flagged,
        "others": [i for i in data["ingredients"] if i["flag"] not in FLAG_ORDER and i["match"]],
        "treated_on": treated_on,
        "source": source,
        "max_rows": MAX_ROWS,
        "safe_from": _safe_from(report, treated_on),
        **_form_context(text, "" if day is None else day),
    }
    return render_template("result.html", **context), 200 if report.recognised else 422


def _safe_from(report: Report, treated_on: date | None) -> dict | None:
    if report.verdict != "avoid":
        return None
    if report.safe_from_day is None:
        return {"day": None, "date": None}
    return {
        "day": report.safe_from_day,
        "date": treated_on + timedelta(days=report.safe_from_day) if treated_on else None,
    }


def _form_day(form) -> tuple[int | None, date | None]:
    """The day from the form: a treatment date wins over the day picker; '' = whole window."""
    if form.get("treated_on"):
        day = days_since(form["treated_on"])
        return day, date.today() - timedelta(days=day)
    raw = form.get("day", "0").strip()
    if not raw:
        return None, None
    if not raw.isdigit():
        raise InputError("pick the day of your treatment from the list")
    return int(raw), None


def _form_context(text: str, day) -> dict:
    """The form's text and the day picker's choices, labelled with their dates."""
    today = date.today()
    days = range(current_app.config["AFTERCHECK_PICKER_DAYS"] + 1)
    if str(day).isdigit() and int(day) not in days:  # e.g. a date given by a link or the importer
        days = [*days, int(day)]
    choices = []
    for n in days:
        when = {0: "Today", 1: "Yesterday"}.get(n) or f"{n} days ago"
        choices.append((str(n), f"{when}, {short_date(today - timedelta(days=n))} (day {n})"))
    choices.append(("", "Not sure: check the whole recovery window"))
    return {"text": text, "day_choices": choices, "selected_day": str(day)}


@bp.app_template_filter()
def short_date(value: date) -> str:
    """'Sat 22 Nov'."""
    return f"{value:%a} {value.day} {value:%b}"


@bp.app_template_filter()
def long_date(value: date) -> str:
    """'Saturday 22 November', with the year when it is not this year."""
    text = f"{value:%A} {value.day} {value:%B}"
    return text if value.year == date.today().year else f"{text} {value.year}"


@bp.app_template_filter()
def how_matched(match: dict | None) -> str:
    """'exact', 'synonym', 'pattern', 'fuzzy 87%' (from an ingredient's match in the report)."""
    if not match:
        return "not recognised"
    if match["method"] == "fuzzy":
        return f"fuzzy {match['score']:.0f}%"
    return match["method"]


@bp.app_template_filter()
def class_labels(classes: list[str]) -> str:
    """The protocol's readable labels for ingredient classes."""
    known = current_checker().protocol.classes
    return ", ".join(known[c].label if c in known else c.replace("_", " ") for c in classes)


@bp.app_context_processor
def protocol_context() -> dict:
    """Every page shows the disclaimer and which protocol it follows."""
    protocol = current_checker().protocol
    return {"protocol": protocol, "flag_words": FLAG_WORDS}
