"""The treatment day, from what a person or a client sends: a day number or a treatment date.

In:  ISO dates ('2026-11-22'), form fields `day` (the picker) and `treated_on` (a date).
Out: `parse_date`, `days_since` (days from the treatment to today) and `form_day` (the form's
     day and treatment date); a bad value raises InputError naming the field.
"""

from __future__ import annotations

from datetime import date, timedelta

from checker import InputError


def parse_date(value, field: str) -> date:
    """An ISO date ('2026-11-22') or InputError naming the field."""
    if not isinstance(value, str):
        raise InputError(f"{field} must be an ISO date such as 2026-11-22")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{field} must be an ISO date such as 2026-11-22 (got {value[:40]!r})") from None


def days_since(treated_on, today=None) -> int:
    """Days from the treatment date to today (the server's date unless given); 0 = treatment day."""
    treated = parse_date(treated_on, "treated_on")
    now = date.today() if today is None else parse_date(today, "today")
    if treated > now:
        raise InputError(f"treated_on ({treated.isoformat()}) is after today ({now.isoformat()})")
    return (now - treated).days


def form_day(form) -> tuple[int | None, date | None]:
    """The day from a form: a treatment date wins over the day picker; '' = whole window."""
    if form.get("treated_on"):
        day = days_since(form["treated_on"])
        return day, date.today() - timedelta(days=day)
    raw = form.get("day", "0").strip()
    if not raw:
        return None, None
    if not raw.isdigit():
        raise InputError("pick the day of your treatment from the list")
    return int(raw), None
