"""A plan -> an iCalendar file (RFC 5545) the patient's phone can import: one event per return date.

In:  a Plan, the moment the file is made (`now`, an aware datetime: injected, so the file is
     reproducible), and a host name for the events' UIDs.
Out: `plan_calendar(plan, now, host)` -> the .ics text: CRLF line ends, lines folded at 75 octets,
     text values escaped; one all-day VEVENT per date on which products come back (left out until
     then, or used with care until then), naming them. The same plan gives the same UIDs, so
     importing it again updates the events instead of doubling them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from .build import Plan

LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LINE_OCTETS:
            out.append(current)
            current, size = " ", 1  # a continuation line starts with one space, which counts
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _returns(plan: Plan) -> dict[int, list[tuple[str, str]]]:
    """Day number -> (product, what changes) for the products that come back that day."""
    back: dict[int, list[tuple[str, str]]] = {}
    for entry in plan.entries:
        if not entry.checked:
            continue
        if entry.back_on_day:
            back.setdefault(entry.back_on_day, []).append((entry.name, "back in your routine"))
        if entry.care_until_day and entry.care_until_day != entry.back_on_day:
            back.setdefault(entry.care_until_day, []).append((entry.name, "no longer needs extra care"))
    return dict(sorted(back.items()))


def _uid(plan: Plan, day: int, host: str) -> str:
    seed = f"{plan.treated_on.isoformat()}|{day}|{plan.protocol.get('version', '')}"
    return f"{hashlib.sha256(seed.encode()).hexdigest()[:20]}@{host}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def plan_calendar(plan: Plan, now: datetime, host: str = "aftercheck") -> str:
    """The .ics text for the plan's return dates."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Aftercheck//Aftercare plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for day, said in _returns(plan).items():
        when = plan.date_of(day)
        names = [name for name, _ in said]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid(plan, day, host)}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART;VALUE=DATE:{_date(when)}",
            f"DTEND;VALUE=DATE:{_date(when + timedelta(days=1))}",
            f"SUMMARY:{escape(f'Aftercare day {day}: OK again: ' + ', '.join(names))}",
            "DESCRIPTION:"
            + escape(
                f"Day {day} after your treatment on {plan.treated_on.isoformat()}.\n"
                + "\n".join(f"{name}: {what}" for name, what in said)
                + f"\nRules: {plan.protocol.get('name', '')}, version {plan.protocol.get('version', '')}."
            ),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
