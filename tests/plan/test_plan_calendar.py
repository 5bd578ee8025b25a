"""The plan as an iCalendar file: one all-day event per return date, folded, escaped, reproducible."""

from datetime import UTC, datetime, timedelta

from plan_helpers import TREATED_ON

from plan import build_plan
from plan.calendar import escape, fold, plan_calendar

NOW = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


def unfold(ics: str) -> list[str]:
    """RFC 5545 3.1: every line ends in CRLF; a line starting with a space continues the one before."""
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    lines: list[str] = []
    for line in ics.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events(ics: str) -> list[dict[str, str]]:
    """The VEVENTs as {property (with parameters): value}."""
    found, current = [], None
    for line in unfold(ics):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            key, value = line.split(":", 1)
            current[key] = value
    return found


def test_one_all_day_event_per_return_date(checker, routine):
    ics = plan_calendar(build_plan(checker, routine, TREATED_ON, TREATED_ON), NOW, "clinic.example")
    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    found = events(ics)
    assert [e["DTSTART;VALUE=DATE"] for e in found] == ["20261203", "20261204", "20261208"]
    assert [e["DTEND;VALUE=DATE"] for e in found] == ["20261204", "20261205", "20261209"]
    assert found[0]["SUMMARY"] == "Aftercare day 2: OK again: sunscreen\\, tinted moisturiser"
    assert found[2]["SUMMARY"] == "Aftercare day 7: OK again: night serum"
    assert "cleanser: no longer needs extra care" in found[1]["DESCRIPTION"]
    assert all(e["DTSTAMP"] == "20261201T183000Z" and e["UID"].endswith("@clinic.example") for e in found)
    assert len({e["UID"] for e in found}) == 3


def test_the_same_plan_gives_the_same_file(checker, routine):
    plan = build_plan(checker, routine, TREATED_ON, TREATED_ON + timedelta(days=2))
    assert plan_calendar(plan, NOW) == plan_calendar(build_plan(checker, routine, TREATED_ON, TREATED_ON), NOW)


def test_text_is_escaped_and_long_lines_folded_between_characters():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "crème légère, " * 12
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert "".join(part[1:] if n else part for n, part in enumerate(folded.split("\r\n"))) == line
