"""What the page and API blueprints share: the app's checker and the treatment day."""

from __future__ import annotations

from datetime import date

from flask import current_app

from checker import Checker, InputError, get_checker


def current_checker() -> Checker:
    """The cached Checker for this app's protocol file."""
    return get_checker(current_app.config["AFTERCHECK_PROTOCOL"])


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
