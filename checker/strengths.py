"""Stated strengths: '2% Salicylic Acid' in a product name, 'Salicylic Acid 2%' in a list entry.

In:  a product name (or a list token's printed text) and `lookup(name) -> Entry | None`, which knows
     ingredients by exact name or synonym only (a strength must name its ingredient plainly).
Out: `stated_in_name(name, lookup)` -> [Stated(entry, strength, phrase)]: the ingredient a
     percentage is attached to, before or after it ('0.3% Retinol', 'Retinoid 2%');
     `strength_of(text)` -> the percentage printed in a list entry, or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import Entry

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
MAX_WORDS = 4  # the longest ingredient name looked for beside a percentage


@dataclass(frozen=True)
class Stated:
    entry: Entry
    strength: float
    phrase: str  # as printed: '2% Salicylic Acid'


def strength_of(text: str) -> float | None:
    if "%" not in text:
        return None
    found = _PERCENT.search(text)
    return float(found.group(1).replace(",", ".")) if found else None


def stated_in_name(name: str, lookup: Callable[[str], Entry | None]) -> list[Stated]:
    if not name or "%" not in name:
        return []
    out: dict[str, Stated] = {}
    for percent in _PERCENT.finditer(name):
        strength = float(percent.group(1).replace(",", "."))
        after = _WORD.findall(name[percent.end() : percent.end() + 80])[:MAX_WORDS]
        before = _WORD.findall(name[max(0, percent.start() - 80) : percent.start()])[-MAX_WORDS:]
        # the longest name that is an ingredient: 'Salicylic Acid' before 'Salicylic'
        candidates = [(" ".join(after[:n]), True) for n in range(len(after), 0, -1)]
        candidates += [(" ".join(before[-n:]), False) for n in range(len(before), 0, -1)]
        for words, follows in candidates:
            entry = lookup(words)
            if entry is not None:
                phrase = f"{percent.group(0)} {words}" if follows else f"{words} {percent.group(0)}"
                out.setdefault(entry.inci, Stated(entry, strength, phrase))
                break
    return list(out.values())
