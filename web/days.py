"""The treatment day, from what a person or a client sends: a day number or a treatment date.

In:  ISO dates ('2026-11-22'), form fields `day` (the picker) and `treated_on` (a date).
Out: `parse_date`, `days_since` (days from the treatment to today), `form_day` (the form's
     day and treatment date), `body_day` (a JSON body's day) and `day_number` (a day typed as text,
     or None); a bad value raises InputError naming the field. `remembered_treated_on(cookies)` and
     `remember_treated_on(response, date)` keep the treatment date in a cookie on the patient's
     device (no account; the patient can clear it). `form_treatment(form, cookies)` and
     `link_treatment(args)` -> Treatment: the day, the treatment date, the date the day was counted
     to and whose calendar that date is (the patient's device's, sent as `today`, or the server's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from checker import InputError
from checker.engine import MAX_DAY

# The server's calendar (tests put a fixed day here, to set the server and the browser apart).
clock = date.today


def server_today() -> date:
    """The server's own date: used only when the patient's browser did not send its `today`."""
    return clock()


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
    now = server_today() if today is None else parse_date(today, "today")
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


# Whose calendar "today" came from: the date on the patient's device (the `today` field that
# static/days.js fills in, or the bookmarklet sends), else the server's.
DEVICE, SERVER = "device", "server"


@dataclass(frozen=True)
class Treatment:
    """The day a label is judged for, and where it came from.

    `how`: 'date' (a treatment date was given), 'picked' (a day from the picker), 'remembered'
    (the date kept on the patient's device), 'assumed' (nothing given: the treatment day itself),
    'whole' (the whole recovery window), 'link' (a day and date read back from a result link)."""

    day: int | None
    treated_on: date | None
    today: date
    calendar: str
    how: str

    @classmethod
    def on_server_day(cls, day: int | None) -> Treatment:
        """A day picked on the server's calendar (staff at the counter), or the whole window."""
        today = server_today()
        if day is None:
            return cls(None, None, today, SERVER, "whole")
        return cls(day, today - timedelta(days=day), today, SERVER, "picked")

    @property
    def remember(self) -> bool:
        """The patient gave this date on their own calendar: keep it on their device."""
        return self.treated_on is not None and (
            self.how == "date" or (self.how == "picked" and self.calendar == DEVICE)
        )


def form_today(values) -> tuple[date, str]:
    """The patient's date (`today`, from their browser) and DEVICE, or the server's and SERVER."""
    if values.get("today"):
        return parse_date(values["today"], "today"), DEVICE
    return server_today(), SERVER


def form_treatment(form, cookies, fallback: date | None = None) -> Treatment:
    """The day for a check from a form: its treatment date, else its day picker, else the date
    remembered on the device (else `fallback`), else the treatment day itself (day 0)."""
    today, calendar = form_today(form)
    if form.get("treated_on"):
        treated = parse_date(form["treated_on"], "treated_on")
        return Treatment(days_since(form["treated_on"], today.isoformat()), treated, today, calendar, "date")
    if "day" in form:
        day, _ = form_day(form)
        if day is None:
            return Treatment(None, None, today, calendar, "whole")
        return Treatment(day, today - timedelta(days=day), today, calendar, "picked")
    treated = remembered_treated_on(cookies) or fallback
    if treated is not None and treated <= today:
        return Treatment((today - treated).days, treated, today, calendar, "remembered")
    return Treatment(0, today, today, calendar, "assumed")


def link_treatment(args) -> Treatment:
    """The day a result link carries (`day`, '' = whole window), its treatment date and calendar."""
    day, _ = form_day({"day": args.get("day", "")})
    treated = parse_date(args["treated_on"], "treated_on") if args.get("treated_on") else None
    calendar = DEVICE if args.get("cal") == DEVICE else SERVER
    if day is None:
        return Treatment(None, treated, server_today(), calendar, "whole")
    if treated is None:  # the patient gave no date: the link keeps saying so
        return Treatment(day, None, server_today(), calendar, "assumed")
    return Treatment(day, treated, treated + timedelta(days=day), calendar, "link")


def link_args(treatment: Treatment) -> dict:
    """The query arguments that carry a Treatment in a result link (see link_treatment)."""
    args = {"day": "" if treatment.day is None else str(treatment.day)}
    if treatment.treated_on is not None and treatment.how != "assumed":
        args["treated_on"] = treatment.treated_on.isoformat()
        args["cal"] = treatment.calendar
    return args
