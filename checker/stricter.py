"""A clinic's protocol made stricter for one patient: longer windows or a harsher flag, never laxer.

In:  a Protocol and the changes staff ask for, as plain data (so they can travel in a signed link):
     {"classes": {"retinoid": {"until_day": 10}}, "products": {"sunscreen": {"flag": "avoid",
     "until_day": 3}}}. A change may give `flag` ("avoid" or "caution") and/or `until_day` (a whole
     number of days, or null: no end); what it leaves out stays as the protocol says.
Out: `stricter(protocol, changes)` -> a new Protocol whose every rule restricts at least as much
     as the clinic's on every day; its version says it was changed ('2026-11-24.1+patient-3f2a...').
     A change that is laxer on any day, names an unknown rule, or is malformed raises ProtocolError
     saying which and why. `restriction(flag)` ranks the flags that restrict (avoid > caution > rest).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from .protocol import Protocol, ProtocolError, Rule

# Only these flags hold a patient back; "encouraged" and "none" restrict nothing, so an override
# may only set one of these.
RESTRICTING = {"avoid": 2, "caution": 1}
SECTIONS = ("classes", "products")
MAX_OVERRIDE_DAY = 365  # a window of a year is already "ask the clinic"; longer is a typing slip


def restriction(flag: str) -> int:
    """How much a flag holds a patient back: avoid 2, caution 1, anything else 0."""
    return RESTRICTING.get(flag, 0)


def _later(new: int | None, old: int | None) -> bool:
    """Does a window ending on `new` last at least as long as one ending on `old` (None: no end)?"""
    return new is None or (old is not None and new >= old)


def _changed_rule(rule: Rule, change, where: str) -> Rule:
    if not isinstance(change, dict) or not change or set(change) - {"flag", "until_day"}:
        raise ProtocolError(f"{where}: a change gives flag and/or until_day (got {change!r:.80})")
    flag = change.get("flag", rule.flag)
    if flag not in RESTRICTING:
        raise ProtocolError(f"{where}: an override can only set flag avoid or caution (got {flag!r})")
    until = change.get("until_day", rule.until_day if restriction(rule.flag) else None)
    if until is not None and (
        isinstance(until, bool) or not isinstance(until, int) or not 0 <= until <= MAX_OVERRIDE_DAY
    ):
        raise ProtocolError(f"{where}: until_day must be a whole number of days from 0 to {MAX_OVERRIDE_DAY}, or null")
    if restriction(flag) < restriction(rule.flag):
        raise ProtocolError(f"{where}: {flag} is laxer than the clinic's {rule.flag}; an override can only be stricter")
    if restriction(rule.flag) and not _later(until, rule.until_day):
        raise ProtocolError(
            f"{where}: until day {until} ends before the clinic's day {rule.until_day}; an override can only be stricter"
        )
    return replace(rule, flag=flag, until_day=until)


def stricter(protocol: Protocol, changes: dict) -> Protocol:
    """The protocol with `changes` applied, refused (ProtocolError) if any is laxer on any day."""
    if not isinstance(changes, dict) or set(changes) - set(SECTIONS):
        raise ProtocolError(f"an override holds {' and/or '.join(SECTIONS)} (got {str(changes)[:80]})")
    rules = {"classes": dict(protocol.classes), "products": dict(protocol.products)}
    for section in SECTIONS:
        asked = changes.get(section) or {}
        if not isinstance(asked, dict):
            raise ProtocolError(f"override {section} must map a rule's name to its change")
        for name, change in asked.items():
            if name not in rules[section]:
                raise ProtocolError(f"override names no rule of this protocol: [{section}.{name}]")
            rules[section][name] = _changed_rule(rules[section][name], change, f"[{section}.{name}]")
    stamp = hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()[:8]
    return replace(
        protocol,
        classes=rules["classes"],
        products=rules["products"],
        version=f"{protocol.version}+patient-{stamp}",
        digest=f"{protocol.digest}+{stamp}",
        _rule_cache={},
    )
