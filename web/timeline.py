"""The aftercare timeline for /timeline: the protocol's [[timeline]] stages with what its rules say.

In:  a Protocol and the patient's day (or None).
Out: `timeline_stages(protocol, day)` -> one dict per stage: its heading in day numbers ("Day 0",
     "Days 2 to 6", "Day 7 onwards"; the protocol's `days` text for a stage without day numbers), the
     sheet's own title, whether the patient is there, its expect / avoid / use lines, and, read from
     the protocol's rules (never written twice), what changes in it: the products that come back and
     the cautions that end. `at_a_glance(protocol)` -> the same rules once: which products and
     ingredients are kept off until when, and which ingredients are a caution until when.
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
        "back": [],
        "caution_ends": [],
    }
    if numbered:
        ends_here = [r for r in _avoids(protocol) + _cautions(protocol) if _ends_within(r, first, last)]
        stage["back"] = _grouped(r for r in ends_here if r.flag == "avoid")
        stage["caution_ends"] = _grouped(r for r in ends_here if r.flag == "caution")
    return stage


def at_a_glance(protocol: Protocol) -> dict:
    """What the protocol keeps off and which ingredient classes are a caution, grouped by last day."""
    return {"kept_off": _grouped(_avoids(protocol)), "caution": _grouped(_cautions(protocol))}


def _avoids(protocol: Protocol) -> list[Rule]:
    """What the protocol keeps off: whole products (sunscreen, makeup) first, then the ingredient
    classes (retinoids, acids), so that a patient finds their serum's ingredient there too."""
    return [r for r in [*protocol.products.values(), *protocol.classes.values()] if r.flag == "avoid"]


def _cautions(protocol: Protocol) -> list[Rule]:
    return [r for r in protocol.classes.values() if r.flag == "caution"]


def _heading(first: int, last: int | None) -> str:
    if last is None:
        return f"Day {first} onwards"
    return f"Day {first}" if first == last else f"Days {first} to {last}"


def _ends_within(rule: Rule, first: int, last: int | None) -> bool:
    """The rule's first free day falls in the stage."""
    day = rule.until_day
    return day is not None and first <= day and (last is None or day <= last)


def _grouped(rules) -> list[dict]:
    """Rules with the same last day together: [{"until_day": 2, "labels": ["sunscreen", "face makeup"]}]."""
    groups: dict[int | None, list[str]] = {}
    for rule in rules:
        labels = groups.setdefault(rule.until_day, [])
        if rule.label not in labels:
            labels.append(rule.label)
    return [{"until_day": until, "labels": labels} for until, labels in sorted(groups.items(), key=_last_day)]


def _last_day(group) -> float:
    return float("inf") if group[0] is None else group[0]
