"""The result page for a report, and the label form every page with a form shows.

In:  a Report, the text checked, its Treatment (web/days.py: the day, the treatment date and where
     they came from), optionally where the text came from.
Out: `render_result(...)` -> (the result page, 200 or 422 when nothing was recognised) and
     `form_context(text, day)`: the form's text and the day picker's choices (labelled with the
     server's dates; static/days.js relabels them with the browser's). The label form, the page
     import, the photo and the shelf's product page all answer with these. `empty_form_context()`:
     an empty form whose picker starts at the treatment date remembered on the patient's device.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from flask import current_app, render_template, request

from checker import Report
from checker.verdicts import PAGE_LINES, PAGE_WORDS, SEVERITY, UNCHECKED, VERDICT_OF_FLAG

from .days import Treatment, day_number, remembered_treated_on, server_today
from .templating import short_date

# Verdicts that tell a patient a label is fine: never shown from a text that may be missing part of
# the list (a poor photo reading); a warning found in it is still a warning.
REASSURING = frozenset({VERDICT_OF_FLAG["none"], VERDICT_OF_FLAG["encouraged"]})
DOUBTFUL_HEADLINE = (
    "Not checked: the photo was not read well enough to say this label is fine. Part of the list may be "
    "missing or misread; correct the text below, or take a better photo, and check again."
)

# How many unrecognised names the first screen names when much of a label was not recognised.
UNRECOGNISED_EXAMPLES = 3

# Real labels list under a hundred ingredients; past this many rows per list a pasted novel would
# only make a page of many megabytes.
MAX_ROWS = 300


def render_result(
    report: Report,
    text: str,
    treatment: Treatment,
    *,
    source: str | None = None,
    warning: str | None = None,
    name: str | None = None,
    link: dict | None = None,
    category: str | None = None,
):
    """The result page for a report (status 422 when nothing was recognised).

    `treatment` is the day the report was made for, its treatment date and where they came from
    (the bar at the top of the result). `source` is an optional line saying where the text came
    from (e.g. "taken from this page: <product name>"), shown above the verdict. `warning` says the
    text may not be the label's (a poor photo reading): it comes first on the page, and a
    reassuring verdict is shown as "not checked" instead. `name` is the product name the patient
    typed, kept in the form under the result; `link` is the result's own address: {"url", "token"},
    or {"too_long": True} when the label is too long to carry in one. `category` is the product
    category a page gave, carried on to "Add to my routine".
    """
    day, treated_on = treatment.day, treatment.treated_on
    data = report.to_dict()
    rows = [{**row, "why": _why(item)} for row, item in zip(data["ingredients"], report.items, strict=True)]
    # Flagged ingredients are listed first, most severe first; the rest keep the label's order.
    flagged = sorted(
        (i for i in rows if SEVERITY[i["flag"]] > SEVERITY["none"]),
        key=lambda i: (-SEVERITY[i["flag"]], i["position"]),
    )
    verdict = report.verdict if report.recognised else UNCHECKED
    headline = report.summary
    if warning and verdict in REASSURING:
        verdict, headline = UNCHECKED, DOUBTFUL_HEADLINE
    context = {
        "report": data,
        "verdict": verdict,
        "verdict_word": PAGE_WORDS[verdict],
        "verdict_line": PAGE_LINES[verdict].format(when=_when(day)),
        "headline": headline,
        "unrecognised_note": _unrecognised_note(report),
        "warning": warning,
        "flagged": flagged,
        "others": [i for i in rows if SEVERITY[i["flag"]] == SEVERITY["none"] and i["match"]],
        "treated_on": treated_on,
        "source": source,
        "max_rows": MAX_ROWS,
        "safe_from": _safe_from(report, treated_on),
        "treatment": treatment,
        "remembered_treated_on": remembered_treated_on(request.cookies),
        "link": link or {},
        "label_category": category or "",
        "server_zone": time.strftime("%Z"),
        **form_context(text, "" if day is None else day, name),
    }
    return render_template("result.html", **context), 200 if report.recognised else 422


def _when(day: int | None) -> str:
    """The day a result speaks of, for the plain answer: a day picked from the list is today."""
    return "during your recovery" if day is None else "today"


def _why(item) -> dict | None:
    """Why an ingredient is flagged, for the row a patient taps: the clinic's rule and the data's source."""
    entry, rule = item.entry, item.rule
    if rule is None or item.flag == "none":
        return None
    return {
        "rule": rule.label,
        "reason": rule.reason,
        "until_day": rule.until_day,
        "source": entry.source if entry is not None else "",
    }


def _unrecognised_note(report: Report) -> dict | None:
    """When much of a recognised label was not (AFTERCHECK_UNRECOGNISED_SHARE): how much, and a few names."""
    unknown, total = report.unrecognized, len(report.items)
    if (
        not report.recognised
        or not unknown
        or len(unknown) < total * current_app.config["AFTERCHECK_UNRECOGNISED_SHARE"]
    ):
        return None
    return {"count": len(unknown), "total": total, "examples": unknown[:UNRECOGNISED_EXAMPLES]}


def _safe_from(report: Report, treated_on: date | None) -> dict | None:
    """The first day an avoid (or, for a caution, the caution) no longer applies, with its date."""
    if report.verdict == "avoid":
        end = report.safe_from_day
    elif report.verdict == "caution":
        end = _caution_end(report)
    else:
        return None
    if end is None:
        return {"day": None, "date": None, "verdict": report.verdict}
    return {
        "day": end,
        "date": treated_on + timedelta(days=end) if treated_on else None,
        "verdict": report.verdict,
    }


def _caution_end(report: Report) -> int | None:
    """The last caution window that applies on the report's day (None: one has no end)."""
    windows = [i.until_day for i in report.items if i.flag_on(report.day) == "caution"]
    windows += [p.rule.until_day for p in report.judgement.products if p.rule.flag == "caution"]
    if not windows or any(w is None for w in windows):
        return None
    return max(windows)


def max_text_chars() -> int:
    """The longest label the form takes: the per-field form limit (AFTERCHECK_MAX_BYTES), in characters."""
    return current_app.config["MAX_FORM_MEMORY_SIZE"]


def form_context(text: str, day, name: str | None = None) -> dict:
    """The form's text, product name and length limit, and the day picker's choices labelled with their dates."""
    today = server_today()
    days = range(current_app.config["AFTERCHECK_PICKER_DAYS"] + 1)
    extra = day_number(day)
    if extra is not None and extra not in days:  # e.g. a date given by a link or the importer
        days = [*days, extra]
    choices = []
    for n in days:
        when = {0: "Today", 1: "Yesterday"}.get(n) or f"{n} days ago"
        choices.append((str(n), f"{when}, {short_date(today - timedelta(days=n))} (day {n})"))
    choices.append(("", "Not sure: check the whole recovery window"))
    return {
        "text": text,
        "form_name": name or "",
        "max_text_chars": max_text_chars(),
        "day_choices": choices,
        "selected_day": str(day),
    }


def remembered_day() -> int:
    """The day, on the server's calendar, of the treatment date remembered on the patient's
    device; 0 without one."""
    treated = remembered_treated_on(request.cookies)
    today = server_today()
    return (today - treated).days if treated and treated <= today else 0


def empty_form_context() -> dict:
    """An empty form whose picker starts at the remembered treatment date: the server selects its
    day on the server's calendar, and base.html hands the date to static/days.js, which selects
    it again on the browser's."""
    treated = remembered_treated_on(request.cookies)
    return {**form_context("", remembered_day()), "picker_treated_on": treated.isoformat() if treated else None}
