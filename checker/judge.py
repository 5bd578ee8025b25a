"""Matched tokens + protocol -> flags, product rules, verdict.

In:  the parsed tokens with their Matches, the Protocol, and the label's context text.
Out: a Judgement over the whole post-treatment window (worst case): every token's flag with its
     window, the rule that set it and why; the product rules that fired (sunscreen, makeup, ...).
     `Judgement.on(day)` narrows it to one day: effective flags, the verdict, safe_from_day and one
     sentence per rule that fired.

Position rule: INCI lists run in descending order down to 1%. The estimated 1% line is the first
ingredient of a marker class (preservative, fragrance, colourant), moved by stated strengths; the
protocol's max_active_position only stands in for a list without markers. An ingredient below the
line that has trace_classes in the data (citric acid, lactic acid, salicylic acid, alcohol ...) is
judged by those instead: citric acid after the preservatives is a pH adjuster, not a 10% exfoliant.
The data may set an earlier cut for one ingredient (trace_after_position: citric acid is an
exfoliant only in the first three). Position is evidence, not the rule: the product's facts
(ProductFacts from the product stage) outweigh it, as the protocol's [concentration] table says:
a stated strength or a Drug Facts active is an active wherever it stands, a product sold for acne
or exfoliation makes its acids actives, and a rinse-off product softens a trace acid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import Entry
from .match import Match
from .parse import Token
from .product import ProductFacts
from .protocol import Clause, ProductRule, Protocol, Rule
from .strengths import strength_of
from .verdicts import SEVERITY, VERDICT_OF_FLAG


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
class Part:
    """One product of a kit: its name, its own judgement (positions counted in its own list)."""

    name: str
    judgement: Judgement


@dataclass
class Judgement:
    items: list[Item]
    products: list[FiredProduct]
    facts: ProductFacts = field(default_factory=ProductFacts)
    parts: list[Part] = field(default_factory=list)  # a kit's products; empty for one product

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
        """One sentence per rule: the deciding one first (the longest avoid, which sets
        safe_from_day), then the rest by severity and window; rules that no longer apply last."""
        ranked = sorted(self._unsorted_reasons(day), key=lambda r: r[0])
        return list(dict.fromkeys(sentence for _, sentence in ranked))

    def _unsorted_reasons(self, day: int | None) -> list[tuple[tuple, str]]:
        if self.parts:  # a kit: each product's reasons, naming the product
            return [(key, f"{p.name}: {text}") for p in self.parts for key, text in p.judgement._unsorted_reasons(day)]
        reasons = []
        for product in self.products:
            rule, where = product.rule, product.evidence
            if rule.applies_on(day):
                reasons.append((_order(rule), f"{rule.flag.capitalize()}{_window(rule)}: {rule.reason} ({where})"))
            else:
                reasons.append((_EXPIRED, f"No longer applies from day {rule.until_day}: {rule.label} ({where})."))
        by_rule: dict[str, list[Item]] = {}
        for item in self.items:
            if item.rule is not None and item.flag != "none" and not isinstance(item.rule, ProductRule):
                by_rule.setdefault(item.rule.name, []).append(item)
        for items in by_rule.values():
            rule = items[0].rule
            names = ", ".join(dict.fromkeys(i.display_name for i in items))
            if rule.applies_on(day):
                sentence = f"{items[0].flag.capitalize()}{_window(rule)}: {names} — {rule.label}. {rule.reason}"
                reasons.append((_order(rule, items[0].flag), sentence))
            else:
                reasons.append((_EXPIRED, f"No longer applies from day {rule.until_day}: {names} — {rule.label}."))
        for item in self.items:
            if item.match.runner_up is not None:
                reasons.append(
                    (
                        _order(item.rule, "caution"),
                        f"Caution: '{item.token.text}' was read as {item.entry.inci} "
                        f"({item.match.score:.0f}%) but could be {item.match.runner_up.inci} "
                        f"({item.match.runner_up_score:.0f}%); check the label.",
                    )
                )
        return reasons


_EXPIRED = (1, 0, 0)


def _order(rule: Rule | None, flag: str | None = None) -> tuple:
    """Sort key: more severe first, then the longer window (no end counts longest)."""
    flag = flag or (rule.flag if rule else "none")
    until = rule.until_day if rule is not None else 0
    return (0, -SEVERITY[flag], -(float("inf") if until is None else until))


def _window(rule: Rule) -> str:
    return "" if rule.until_day is None else f" until day {rule.until_day}"


def _one_percent_line(
    matched: list[tuple[Token, Match]], protocol: Protocol, facts: ProductFacts, markers=None, fallback=True
) -> int:
    """The rank of the first marker ingredient, moved by stated strengths; without any marker the
    protocol's max_active_position (or, with fallback=False, past the end of the list)."""
    markers = set(protocol.line_markers if markers is None else markers)
    line = next(
        (t.rank for t, m in matched if m.entry and not t.may_contain and markers.intersection(m.entry.classes)), None
    )
    if line is None:
        line = protocol.max_active_position if fallback else len(matched) + 1
    if not facts.stated and not any("%" in t.text for t, _ in matched):
        return line  # no strength stated anywhere: most labels
    for token, match in matched:
        if _is_otc(token, facts):
            continue  # a Drug Facts active block has its own order, apart from the inactive list
        stated = facts.stated_for(match.entry)
        strength = strength_of(token.text) if stated is None else stated.strength
        if strength is None:
            continue
        if strength >= 1 and token.rank > line:
            line = token.rank  # everything before it is at least its strength
        elif strength < 1 and token.rank <= line:
            line = token.rank - 1  # everything from it on is below 1%
    return line


def _is_otc(token: Token, facts: ProductFacts) -> bool:
    return bool(facts.otc) and token.name.lower() in facts.otc


def _why_active(token: Token, entry: Entry, facts: ProductFacts, protocol: Protocol) -> str:
    """Why this ingredient is an active wherever it is listed ('' when position decides)."""
    rules = protocol.concentration
    if rules.stated_is_active:
        if _is_otc(token, facts):
            return "a Drug Facts active"
        if strength_of(token.text) is not None:
            return f"its strength is stated ('{token.text}')"
        stated = facts.stated_for(entry)
        if stated is not None:
            return f"its strength is stated ('{stated.phrase}' in the product name)"
    sold_for = [t for t in rules.sold_for_types if t in facts.types]
    if sold_for and set(entry.classes).intersection(rules.sold_for_classes):
        return f"the product is sold as {sold_for[0].replace('_', ' ')} ({facts.types[sold_for[0]]})"
    return ""


def _judge_token(token: Token, match: Match, line: int, protocol: Protocol, facts: ProductFacts) -> Item:
    entry = match.entry
    if entry is None:
        return Item(token, match)
    below_line = token.rank > line
    own_cut = entry.trace_after is not None and token.rank > entry.trace_after
    why_active = _why_active(token, entry, facts, protocol) if entry.trace_classes and (below_line or own_cut) else ""
    if why_active.startswith("the product is sold"):
        below_line = False  # sold for acne: the acid is there to act, but citric acid's own cut stands
    elif why_active:
        below_line = own_cut = False
    trace = (below_line or own_cut) and bool(entry.trace_classes)
    classes = entry.trace_classes if trace else entry.classes
    if trace and not facts.leave_on:
        classes = tuple(protocol.concentration.rinse_off_trace.get(c, c) for c in classes)
    rule = protocol.rule_for(classes)
    item = Item(token, match, classes, trace)
    notes = [entry.note] if entry.note else []
    if trace:
        notes.append(f"low in the list (entry {token.rank}), so read as {protocol.classes[classes[0]].label}")
    elif why_active:
        notes.append(f"judged as an active wherever it is listed: {why_active}")
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


def _fire_products(
    items: list[Item], matched, context: str, name: str, protocol: Protocol, facts: ProductFacts
) -> list[FiredProduct]:
    by_class: dict[str, list[Item]] = {}
    for item in items:
        if not item.trace:
            for cls in item.classes:
                by_class.setdefault(cls, []).append(item)
    fired = []
    for rule in protocol.products.values():
        for clause in rule.when:
            if clause.unless_types and facts.types.keys() & set(clause.unless_types):
                continue
            if clause.type:
                if clause.type in facts.types:
                    fired.append(FiredProduct(rule, facts.types[clause.type], _carriers(rule, items)))
                    break
            elif clause.classes:
                hits = _class_hits(clause, by_class, matched, protocol, facts)
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
    fired += _stated_but_unlisted(items, protocol, facts)
    for product in fired:  # the ingredients that made the product rule fire carry its flag
        for item in product.items:
            if SEVERITY[product.rule.flag] > SEVERITY[item.flag]:
                item.flag, item.until_day, item.rule = product.rule.flag, product.rule.until_day, product.rule
                item.note = "; ".join(filter(None, [item.note, f"makes this product {product.rule.label}"]))
    return fired


def _class_hits(clause: Clause, by_class, matched, protocol: Protocol, facts: ProductFacts) -> list[Item]:
    by_position = {i.token.position: i for c in clause.classes for i in by_class.get(c, ())}
    limit = clause.max_position
    if clause.before_line:
        # the line read from the other markers: a pigment cannot mark its own line
        markers = [m for m in protocol.line_markers if m not in clause.classes]
        line = _one_percent_line(matched, protocol, facts, markers, fallback=False)
        limit = line if limit is None else min(limit, line)
    return [
        by_position[p]
        for p in sorted(by_position)
        if limit is None
        or by_position[p].token.rank <= limit
        or (clause.before_line and by_position[p].token.may_contain)
    ]


def _carriers(rule: ProductRule, items: list[Item]) -> list[Item]:
    """When a rule fires by type, the ingredients of its classes carry its flag (a sunscreen's filters)."""
    classes = {c for clause in rule.when for c in clause.classes}
    return [i for i in items if i.entry is not None and classes.intersection(i.entry.classes)]


def _stated_but_unlisted(items: list[Item], protocol: Protocol, facts: ProductFacts) -> list[FiredProduct]:
    """'2% Salicylic Acid Toner' whose scraped list lacks salicylic acid is still a salicylic acid product."""
    if not protocol.concentration.stated_is_active:
        return []
    listed = {i.entry.inci for i in items if i.entry is not None}
    fired = []
    for stated in facts.stated:
        rule = protocol.rule_for(stated.entry.classes)
        if stated.entry.inci in listed or rule is None or rule.flag not in ("avoid", "caution"):
            continue
        as_product = ProductRule(f"stated_{rule.name}", rule.flag, rule.until_day, rule.label, rule.reason)
        fired.append(FiredProduct(as_product, f"'{stated.phrase}' in the product name"))
    return fired


def _signature_types(matched: list[tuple[Token, Match]], facts: ProductFacts) -> None:
    """Types the ingredients show: an acne active (sulfur, benzoyl peroxide) says the product is sold for acne."""
    for kind, classes in facts.signatures.items():
        hits = [
            m.entry.inci for t, m in matched if m.entry and not t.may_contain and set(classes) & set(m.entry.classes)
        ]
        if hits:
            facts.add(kind, f"{', '.join(dict.fromkeys(hits))} in the list")


def judge(
    matched: list[tuple[Token, Match]],
    protocol: Protocol,
    context: str = "",
    name: str = "",
    facts: ProductFacts | None = None,
) -> Judgement:
    """`context` is the label text outside the list (with the name); `name` the product name alone;
    `facts` what the product stage found (types, stated strengths, Drug Facts actives)."""
    facts = facts if facts is not None else ProductFacts()
    _signature_types(matched, facts)
    line = _one_percent_line(matched, protocol, facts)
    items = [_judge_token(token, match, line, protocol, facts) for token, match in matched]
    return Judgement(items, _fire_products(items, matched, context, name, protocol, facts), facts)
