"""Protocols side by side: every class and product rule with its flag and window under each protocol.

In:  protocols by id (an ordered mapping: the columns, left to right) and the id of the baseline
     column (the default protocol) that each other column is compared with.
Out: `compare(...)` -> a list of Row, classes first then product rules, each in the order the
     protocols list them; `differences(rows)` keeps the rows where the protocols disagree.

A rule differs when its flag or its window is not the same under every protocol, or when some
protocol has no such rule. Labels and reasons are words for people: changing them is not a difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .protocol import Protocol, Rule

KINDS = ("class", "product")


@dataclass(frozen=True)
class Cell:
    """One rule under one protocol; `rule` is None when the protocol has no such rule."""

    rule: Rule | None
    changed: bool  # differs from the baseline protocol's rule

    @property
    def flag(self) -> str | None:
        return self.rule.flag if self.rule else None

    @property
    def until_day(self) -> int | None:
        return self.rule.until_day if self.rule else None

    @property
    def window(self) -> str:
        """The window in words: 'until day 7' (days 0-6), 'no end date', or '' for a rule with no flag."""
        if self.rule is None or self.rule.flag == "none":
            return ""
        return "no end date" if self.rule.until_day is None else f"until day {self.rule.until_day}"


@dataclass(frozen=True)
class Row:
    kind: str  # "class" or "product"
    name: str  # the key in the protocol file: [classes.<name>] or [products.<name>]
    label: str
    cells: tuple[Cell, ...]  # one per protocol, in the columns' order

    @property
    def differs(self) -> bool:
        return len({_key(cell.rule) for cell in self.cells}) > 1


def _key(rule: Rule | None) -> tuple | None:
    return None if rule is None else (rule.flag, rule.until_day)


def _rules(protocol: Protocol, kind: str) -> Mapping[str, Rule]:
    return protocol.classes if kind == "class" else protocol.products


def compare(protocols: Mapping[str, Protocol], baseline: str) -> list[Row]:
    """One row per class and per product rule found in any of the protocols."""
    if baseline not in protocols:
        raise KeyError(f"the baseline {baseline!r} is not among the protocols compared")
    base = protocols[baseline]
    rows = []
    for kind in KINDS:
        names = dict.fromkeys(name for p in protocols.values() for name in _rules(p, kind))
        for name in names:
            rules = [_rules(p, kind).get(name) for p in protocols.values()]
            wanted = _key(_rules(base, kind).get(name))
            cells = tuple(Cell(rule, _key(rule) != wanted) for rule in rules)
            label = next(rule.label for rule in rules if rule is not None)
            rows.append(Row(kind, name, label, cells))
    return rows


def differences(rows: list[Row]) -> list[Row]:
    """Only the rows where the protocols disagree."""
    return [row for row in rows if row.differs]
