"""A routine + the clinic's Checker + the treatment date -> the aftercare plan, day by day.

In:  a Checker (the clinic's protocol, or one made stricter for the patient), the routine's
     Products, the treatment date and today's date (the patient's calendar).
Out: `build_plan(...)` -> Plan: for each day from the treatment day (day 0) until every product is
     back (at most MAX_PLAN_DAYS), which products to use, use with care (and until which day) or
     leave out (one short reason each, and the day each comes back); products the protocol never
     allows say so; a product with nothing recognised is "not checked", never fine; a kit
     contributes each of its products. Each day also holds what the sheet asks that no product
     covers (plan/advice.py). `Plan.to_dict()` is the JSON answer of POST /api/plan.

A product's standing on day d is the checker's own answer for that day: each label is checked
once and its Judgement narrowed with `on(d)`, which is what `Checker.check(text, day=d)` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from checker import Checker, Report
from checker.judge import Judgement
from checker.protocol import ProductRule
from checker.report import build_report
from checker.stricter import restriction

from .advice import advice_for
from .routine import Product

# Past two months a window is for the clinic to explain in person: the plan lists the days up to
# here and says for each product still left out on which day it comes back.
MAX_PLAN_DAYS = 60

USE, CARE, LEAVE_OUT, UNCHECKED = "use", "with_care", "leave_out", "not_checked"
STATUSES = (USE, CARE, LEAVE_OUT, UNCHECKED)


@dataclass(frozen=True)
class Standing:
    """One product on one day: what to do with it and why (empty for plain use)."""

    name: str
    status: str
    verdict: str
    reason: str = ""  # short: "Retinol: retinoid (vitamin A)", "sunscreen"
    why: str = ""  # the checker's deciding reason in full
    until_day: int | None = None  # leave out: the day it is back; with care: the day care ends (None: never)


@dataclass
class Entry:
    """A product of the routine, or one product of a kit, over the whole plan."""

    name: str
    product: int  # its product's place in the routine
    judgement: Judgement
    back_on_day: int | None  # first day it is not 'avoid' (0: never left out; None: never back)
    care_until_day: int | None  # first day with neither avoid nor caution (None: never)

    @property
    def checked(self) -> bool:
        return self.judgement.recognised

    def on(self, day: int) -> Standing:
        if not self.checked:
            return Standing(self.name, UNCHECKED, "unchecked", "nothing on the label was recognised")
        view = self.judgement.on(day)
        status = {"avoid": LEAVE_OUT, "caution": CARE}.get(view.verdict, USE)
        if status == USE:
            return Standing(self.name, USE, view.verdict)
        until = self.back_on_day if status == LEAVE_OUT else self.care_until_day
        return Standing(self.name, status, view.verdict, deciding_reason(self.judgement, day), view.reasons[0], until)


@dataclass
class Day:
    day: int
    date: date
    standings: list[Standing]
    advice: dict[str, list[str]]

    def having(self, status: str) -> list[Standing]:
        return [s for s in self.standings if s.status == status]

    def same_as(self, other: Day) -> bool:
        return self.standings == other.standings and self.advice == other.advice


@dataclass
class Plan:
    treated_on: date
    today: date
    protocol: dict  # the report's protocol block: name, version, versions (and `override` when stricter)
    products: list[Product]
    reports: list[Report]  # one per product, for today (the whole window before the treatment)
    entries: list[Entry]  # the products, kits opened into their products
    days: list[Day] = field(default_factory=list)

    @property
    def today_day(self) -> int:
        """Days since the treatment (negative before it)."""
        return (self.today - self.treated_on).days

    @property
    def last_day(self) -> int:
        return self.days[-1].day

    def date_of(self, day: int | None) -> date | None:
        return None if day is None else self.treated_on + timedelta(days=day)

    def day_for_today(self) -> Day:
        """Today's day of the plan: day 0 before the treatment, the last day once everything is back."""
        return self.days[min(max(self.today_day, 0), self.last_day)]

    def stretches(self) -> list[tuple[Day, int]]:
        """Runs of days with the same plan: (the first day, the run's last day number)."""
        runs: list[tuple[Day, int]] = []
        for day in self.days:
            if runs and runs[-1][0].same_as(day):
                runs[-1] = (runs[-1][0], day.day)
            else:
                runs.append((day, day.day))
        return runs

    def to_dict(self) -> dict:
        def standing(s: Standing) -> dict:
            out = {"name": s.name, "verdict": s.verdict}
            if s.status in (CARE, LEAVE_OUT):
                key = "back_on" if s.status == LEAVE_OUT else "care_until"
                out |= {"reason": s.reason, "why": s.why, f"{key}_day": s.until_day}
                out[key] = _iso(self.date_of(s.until_day))
            return out

        return {
            "treated_on": self.treated_on.isoformat(),
            "today": self.today.isoformat(),
            "day": self.today_day,
            "last_day": self.last_day,
            "protocol": self.protocol,
            "products": [
                self._product_dict(n, p, r) for n, (p, r) in enumerate(zip(self.products, self.reports, strict=True))
            ],
            "days": [
                {
                    "day": d.day,
                    "date": d.date.isoformat(),
                    **{status: [standing(s) for s in d.having(status)] for status in STATUSES},
                    "advice": d.advice,
                }
                for d in self.days
            ],
        }

    def _product_dict(self, number: int, product: Product, report: Report) -> dict:
        mine = [e for e in self.entries if e.product == number]
        out = {
            "name": product.name,
            "category": product.category or None,
            "checked": report.recognised,
            "safe_from_day": report.safe_from_day if report.recognised else None,
            "safe_from": _iso(self.date_of(report.safe_from_day)) if report.recognised else None,
            "care_until_day": max((e.care_until_day for e in mine if e.checked), default=None, key=_no_end_last),
            "report": report.to_dict(),
        }
        if len(mine) > 1 or mine[0].name != product.name:
            out["parts"] = [e.name for e in mine]
        return out


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _no_end_last(day: int | None) -> float:
    return float("inf") if day is None else day


def _window_key(flag: str, until: int | None) -> tuple:
    """The checker's order for reasons: more restricting first, then the longer window."""
    return (-restriction(flag), -_no_end_last(until))


def deciding_reason(judgement: Judgement, day: int) -> str:
    """The short form of the rule that decides the day's verdict (the checker's reasons[0]): the
    product rule's label ('sunscreen') or the ingredients and their class ('Retinol: retinoid (vitamin A)')."""
    candidates: list[tuple[tuple, str]] = []
    for fired in judgement.products:
        if fired.rule.applies_on(day) and restriction(fired.rule.flag):
            candidates.append((_window_key(fired.rule.flag, fired.rule.until_day), fired.rule.label))
    by_rule: dict[str, list] = {}
    for item in judgement.items:
        if restriction(item.flag_on(day)) and item.rule is not None and not isinstance(item.rule, ProductRule):
            by_rule.setdefault(item.rule.name, []).append(item)
    for items in by_rule.values():
        rule = items[0].rule
        names = ", ".join(dict.fromkeys(i.display_name for i in items))
        short = names if rule.label.casefold() in names.casefold() else f"{names}: {rule.label}"
        candidates.append((_window_key(items[0].flag, rule.until_day), short))
    for item in judgement.items:
        if item.match.runner_up is not None and restriction(item.flag_on(day)):
            candidates.append((_window_key("caution", item.until_day), f"'{item.token.text}' may be misread"))
    return min(candidates, key=lambda c: c[0])[1] if candidates else ""


def _windows(judgement: Judgement, flags: tuple[str, ...]) -> list[int | None]:
    windows = [i.until_day for i in judgement.items if i.flag in flags]
    return windows + [p.rule.until_day for p in judgement.products if p.rule.flag in flags]


def _last_change(windows: list[int | None]) -> int | None:
    """The first day none of these windows applies (None: one never ends)."""
    return None if any(w is None for w in windows) else max(windows, default=0)


def _entries(number: int, product: Product, report: Report) -> list[Entry]:
    judged = [(f"{product.name}: {p.name}", p.judgement) for p in report.judgement.parts] or [
        (product.name, report.judgement)
    ]
    return [
        Entry(
            name,
            number,
            judgement,
            judgement.on(None).safe_from_day if judgement.recognised else None,
            _last_change(_windows(judgement, ("avoid", "caution"))),
        )
        for name, judgement in judged
    ]


def build_plan(
    checker: Checker,
    products: list[Product],
    treated_on: date,
    today: date,
    protocol_note: dict | None = None,
) -> Plan:
    """The plan for this routine. `protocol_note` is added to the plan's protocol block (e.g. the
    clinic's stricter instructions for this patient)."""
    today_day = (today - treated_on).days
    day_asked = today_day if today_day >= 0 else None
    whole = [checker.check(p.text, name=p.name, category=p.category or None) for p in products]
    reports = [build_report(r.judgement, day_asked, r.protocol, r.notes) for r in whole]
    entries = [
        e for n, (product, report) in enumerate(zip(products, whole, strict=True)) for e in _entries(n, product, report)
    ]
    changes = [d for e in entries if e.checked for d in _windows(e.judgement, ("avoid", "caution", "encouraged"))]
    last = min(max((d for d in changes if d is not None), default=0), MAX_PLAN_DAYS)
    plan = Plan(treated_on, today, {**whole[0].protocol, **(protocol_note or {})}, products, reports, entries)
    timeline = checker.protocol.timeline
    plan.days = [
        Day(d, treated_on + timedelta(days=d), [e.on(d) for e in entries], advice_for(timeline, d))
        for d in range(last + 1)
    ]
    return plan
