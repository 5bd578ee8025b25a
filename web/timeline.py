"""The aftercare timeline for /timeline: the protocol's [[timeline]] stages with what its rules say.

In:  a Protocol and the patient's day (or None).
Out: `timeline_stages(protocol, day)` -> one dict per stage: its heading in day numbers ("Day 0",
     "Days 2 to 6", "Day 7 onwards"; the protocol's `days` text for a stage without day numbers), the
     sheet's own title, whether the patient is there, its expect / avoid / use lines, and, read from
     the protocol's rules (never written twice): what the product rules keep off, what comes back
     in that stage and which caution rules apply.
"""

from __future__ import annotations

from checker.protocol import Protocol, Rule


def timeline_stages(protocol: Protocol, day: int | None) -> list[dict]:
    """The stages in the protocol's order, each with its rules read from the protocol."""
    return [_stage(protocol, raw, day) for raw in protocol.timeline]


def _stage(protocol: Protocol, raw: dict, day: int | None) -> dict:
    first, last = raw.get("from_day"), raw.get("to_day")
    numbered = isinstance(first, int)
    stage = {
        "title": raw.get("title", ""),
        "heading": _heading(first, last) if numbered else raw.get("title", ""),
        "days": "" if numbered else raw.get("days", ""),
        "here": numbered and day is not None and first <= day and (last is None or day <= last),
        "expect": raw.get("expect", []),
        "avoid": raw.get("avoid", []),
        "use": raw.get("use", []),
        "kept_off": [],
        "back": [],
        "caution": [],
    }
    if numbered:
        products = list(protocol.products.values())
        stage["kept_off"] = _grouped(r for r in products if r.flag == "avoid" and _applies_from(r, first))
        stage["back"] = _grouped(r for r in products if r.until_day is not None and _within(r.until_day, first, last))
        cautions = (r for r in protocol.classes.values() if r.flag == "caution")
        stage["caution"] = _grouped(r for r in cautions if _applies_from(r, first))
    return stage


def _heading(first: int, last: int | None) -> str:
    if last is None:
        return f"Day {first} onwards"
    return f"Day {first}" if first == last else f"Days {first} to {last}"


def _applies_from(rule: Rule, first: int) -> bool:
    """The rule still applies on the stage's first day."""
    return rule.until_day is None or first < rule.until_day


def _within(day: int, first: int, last: int | None) -> bool:
    return first <= day and (last is None or day <= last)


def _grouped(rules) -> list[dict]:
    """Rules with the same last day together: [{"until_day": 2, "labels": ["sunscreen", "face makeup"]}]."""
    groups: dict[int | None, list[str]] = {}
    for rule in rules:
        labels = groups.setdefault(rule.until_day, [])
        if rule.label not in labels:
            labels.append(rule.label)
    return [{"until_day": until, "labels": labels} for until, labels in groups.items()]
