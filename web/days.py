"""The treatment day, from what a person or a client sends: a day number or a treatment date.

In:  ISO dates ('2026-11-22'), form fields `day` (the picker) and `treated_on` (a date).
Out: `parse_date`, `days_since` (days from the treatment to today), `form_day` (the form's
     day and treatment date), `body_day` (a JSON body's day) and `day_number` (a day typed as text,
     or None); a bad value raises InputError naming the field. `remembered_treated_on(cookies)` and
     `remember_treated_on(response, date)` keep the treatment date in a cookie on the patient's
     device (no account; the patient can clear it).
"""

from __future__ import annotations

from datetime import date, timedelta

from checker import InputError
from checker.engine import MAX_DAY


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
        # "Safe from" dates count from the treatment date itself, whatever `today` is.
        return days_since(form["treated_on"], form.get("today") or None), parse_date(form["treated_on"], "treated_on")
    raw = form.get("day", "0").strip()
    if not raw:
        return None, None
    day = day_number(raw)
    if day is None:
        raise InputError("pick the day of your treatment from the list")
    return day, None


def body_day(body: dict) -> tuple[int | None, date | None]:
    """A JSON body's `day` as given, or counted from `treated_on` (to `today`, the server's date
    unless given) with the treatment date; neither judges the whole window."""
    if "treated_on" in body and body.get("day") is not None:
        raise InputError("give either day or treated_on, not both")
    if "treated_on" in body:
        return days_since(body["treated_on"], body.get("today")), parse_date(body["treated_on"], "treated_on")
    if body.get("today") is not None:  # unused without treated_on, but a bad date is still an error
        parse_date(body["today"], "today")
    return body.get("day"), None  # the checker rejects anything but a whole number of days


def day_number(raw) -> int | None:
    """A day typed as text ('0' to '3650') as a number; None for anything else.

    ASCII digits only: str.isdigit also accepts '²' and other digits int() refuses."""
    raw = str(raw).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_DAY)):
        return None
    day = int(raw)
    return day if day <= MAX_DAY else None


# The treatment date the patient set, kept on their own device only: the server stores nothing.
TREATED_ON_COOKIE = "aftercheck_treated_on"
REMEMBER_FOR = timedelta(days=90)  # past any protocol's window; the patient may clear it sooner


def remembered_treated_on(cookies) -> date | None:
    """The treatment date remembered in the patient's cookie, or None (none, or not a date)."""
    try:
        return parse_date(cookies.get(TREATED_ON_COOKIE), TREATED_ON_COOKIE)
    except InputError:
        return None


def remember_treated_on(response, treated_on: date | None, secure: bool = False):
    """Remember the treatment date on the patient's device (None: forget it). Lax: the cookie goes
    with the patient's own navigations, including the bookmarklet's redirect, never with other
    sites' requests."""
    if treated_on is None:
        response.delete_cookie(TREATED_ON_COOKIE, samesite="Lax", secure=secure, httponly=True)
    else:
        response.set_cookie(
            TREATED_ON_COOKIE,
            treated_on.isoformat(),
            max_age=int(REMEMBER_FOR.total_seconds()),
            samesite="Lax",
            secure=secure,
            httponly=True,
        )
    return response
