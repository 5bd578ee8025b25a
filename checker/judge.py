"""Matched tokens + protocol -> flags, product rules, verdict.

In:  the parsed tokens with their Matches, the Protocol, and the label's context text.
Out: a Judgement over the whole post-treatment window (worst case): every token's flag with its
     window, the rule that set it and why; the product rules that fired (sunscreen, makeup, ...).
     `Judgement.on(day)` narrows it to one day: effective flags, the verdict, safe_from_day and one
     sentence per rule that fired.

Position rule: INCI lists run in descending order down to 1%. The estimated 1% line is the first
ingredient of a marker class (preservative, fragrance, colourant) or the protocol's
max_active_position, whichever comes first. An ingredient below the line that has trace_classes
in the data (citric acid, lactic acid, salicylic acid, alcohol ...) is judged by those instead:
citric acid after the preservatives is a pH adjuster, not a 10% exfoliant. The data may set an
earlier cut for one ingredient (trace_after_position: citric acid is an exfoliant only in the first
three). Acids without trace_classes (glycolic acid, retinol) keep their flag wherever they stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import Entry
from .match import Match
from .parse import Token
from .protocol import ProductRule, Protocol, Rule
from .verdicts import FLAGS, SEVERITY, VERDICT_OF_FLAG


@dataclass
class Item:
    token: Token
    match: Match
    classes: tuple[str, ...] = ()
    trace: bool = False
    flag: str = "none"  # worst case over the whole window
    until_day: int | None = None
    rule: Rule | None = None
    note: str = ""

    @property
    def entry(self) -> Entry | None:
        return self.match.entry

    @property
    def display_name(self) -> str:
        return self.entry.inci if self.entry and self.entry.inci else self.token.name

    def flag_on(self, day: int | None) -> str:
        return self.flag if self.rule is None or self.rule.applies_on(day) else "none"


@dataclass
class FiredProduct:
    rule: ProductRule
    evidence: str
    items: list[Item] = field(default_factory=list)


@dataclass
class DayView:
    day: int | None
    verdict: str
    safe_from_day: int | None
    reasons: list[str]


@dataclass
class Judgement:
    items: list[Item]
    products: list[FiredProduct]

    @property
    def recognised(self) -> bool:
        return any(item.match.recognised for item in self.items)

    def on(self, day: int | None) -> DayView:
        flags = [item.flag_on(day) for item in self.items]
        flags += [p.rule.flag for p in self.products if p.rule.applies_on(day)]
        worst = max(flags, key=SEVERITY.__getitem__, default="none")
        return DayView(day, VERDICT_OF_FLAG[worst], self._safe_from_day(), self._reasons(day))

    def _safe_from_day(self) -> int | None:
        if not self.recognised:
            return None
        windows = [i.until_day for i in self.items if i.flag == "avoid"]
        windows += [p.rule.until_day for p in self.products if p.rule.flag == "avoid"]
        if any(w is None for w in windows):
            return None  # an avoid with no end: never safe under this protocol
        return max(windows, default=0)

    def _reasons(self, day: int | None) -> list[str]:
        """One sentence per rule, the most severe first (the first one explains the verdict)."""
        reasons = self._unsorted_reasons(day)
        order = {flag.capitalize(): -SEVERITY[flag] for flag in FLAGS}  # a sentence starts with its flag
        return sorted(reasons, key=lambda r: order.get(r.split(" ", 1)[0].rstrip(":"), 0))

    def _unsorted_reasons(self, day: int | None) -> list[str]:
        reasons = []
        for product in self.products:
            when = _window(product.rule)
            if product.rule.applies_on(day):
                reasons.append(f"{product.rule.flag.capitalize()}{when}: {product.rule.reason} ({product.evidence})")
            else:
                reasons.append(
                    f"No longer applies from day {product.rule.until_day}: {product.rule.label} ({product.evidence})."
                )
        by_rule: dict[str, list[Item]] = {}
        for item in self.items:
            if item.rule is not None and item.flag != "none" and not isinstance(item.rule, ProductRule):
                by_rule.setdefault(item.rule.name, []).append(item)
        for items in by_rule.values():
            rule = items[0].rule
            names = ", ".join(dict.fromkeys(i.display_name for i in items))
            if rule.applies_on(day):
                reasons.append(f"{items[0].flag.capitalize()}{_window(rule)}: {names} — {rule.label}. {rule.reason}")
            else:
                reasons.append(f"No longer applies from day {rule.until_day}: {names} — {rule.label}.")
        for item in self.items:
            if item.match.runner_up is not None:
                reasons.append(
                    f"Caution: '{item.token.text}' was read as {item.entry.inci} "
                    f"({item.match.score:.0f}%) but could be {item.match.runner_up.inci} "
                    f"({item.match.runner_up_score:.0f}%); check the label."
                )
        return reasons


def _window(rule: Rule) -> str:
    return "" if rule.until_day is None else f" until day {rule.until_day}"


def _one_percent_line(matched: list[tuple[Token, Match]], protocol: Protocol) -> int:
    markers = set(protocol.line_markers)
    for token, match in matched:
        if match.entry and markers.intersection(match.entry.classes):
            return min(token.rank, protocol.max_active_position)
    return protocol.max_active_position


def _judge_token(token: Token, match: Match, line: int, protocol: Protocol) -> Item:
    entry = match.entry
    if entry is None:
        return Item(token, match)
    below_line = token.rank > line or (entry.trace_after is not None and token.rank > entry.trace_after)
    trace = below_line and bool(entry.trace_classes)
    classes = entry.trace_classes if trace else entry.classes
    rule = protocol.rule_for(classes)
    item = Item(token, match, classes, trace)
    notes = [entry.note] if entry.note else []
    if trace:
        notes.append(f"low in the list (entry {token.rank}), so read as {protocol.classes[classes[0]].label}")
    if rule is not None and rule.flag != "none":
        item.flag, item.until_day, item.rule = rule.flag, rule.until_day, rule
    if match.method == "fuzzy":
        notes.append(f"read from '{token.text}' by fuzzy match ({match.score:.0f}%)")
    if match.runner_up is not None:
        rival = protocol.rule_for(match.runner_up.classes)
        windows = [r.until_day for r in (rule, rival) if r is not None and r.until_day is not None]
        item.flag, item.until_day = "caution", max(windows, default=None)
        item.rule = Rule(
            "ambiguous",
            "caution",
            item.until_day,
            "uncertain reading",
            "The name is close to two ingredients that are judged differently.",
        )
        notes.append(f"could also be {match.runner_up.inci} ({match.runner_up_score:.0f}%): flagged caution to be safe")
    item.note = "; ".join(notes)
    return item


def _fire_products(items: list[Item], context: str, name: str, protocol: Protocol) -> list[FiredProduct]:
    by_class: dict[str, list[Item]] = {}
    for item in items:
        if not item.trace:
            for cls in item.classes:
                by_class.setdefault(cls, []).append(item)
    fired = []
    for rule in protocol.products.values():
        for clause in rule.when:
            if clause.classes:
                by_position = {i.token.position: i for c in clause.classes for i in by_class.get(c, ())}
                hits = [
                    by_position[p]
                    for p in sorted(by_position)
                    if clause.max_position is None or by_position[p].token.rank <= clause.max_position
                ]
                distinct = list(dict.fromkeys(i.display_name for i in hits))
                present = {c for i in hits for c in i.classes}
                if len(distinct) >= clause.min_count and present.issuperset(clause.requires):
                    fired.append(FiredProduct(rule, ", ".join(distinct), hits))
                    break
            else:
                text = name if clause.name_only else context
                found = next((m for p in clause.text_patterns if (m := p.search(text))), None)
                if found:
                    where = "in the product name" if clause.name_only else "on the label"
                    fired.append(FiredProduct(rule, f"'{found.group(0).strip()}' {where}"))
                    break
    for product in fired:  # the ingredients that made the product rule fire carry its flag
        for item in product.items:
            if SEVERITY[product.rule.flag] > SEVERITY[item.flag]:
                item.flag, item.until_day, item.rule = product.rule.flag, product.rule.until_day, product.rule
                item.note = "; ".join(filter(None, [item.note, f"makes this product {product.rule.label}"]))
    return fired


def judge(matched: list[tuple[Token, Match]], protocol: Protocol, context: str = "", name: str = "") -> Judgement:
    """`context` is the label text outside the list (with the name); `name` the product name alone."""
    line = _one_percent_line(matched, protocol)
    items = [_judge_token(token, match, line, protocol) for token, match in matched]
    return Judgement(items, _fire_products(items, context, name, protocol))
