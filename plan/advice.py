"""What the clinic's sheet asks, day by day, that no product covers: the sun, sweat, water, a cooling mask.

In:  a Protocol's timeline ([[timeline]] entries with their day numbers `from_day` and `to_day`,
     inclusive, no `to_day`: onwards; `avoid` and `use` lists) and data/plan_words.toml (read once).
Out: `advice_for(timeline, day)` -> {"avoid": [...], "do": [...]}: the lines of every entry covering
     that day that name something other than skin care, each once, in the sheet's order.
     `entry_days(entry)` -> (first day, last day or None for "onwards"), or None for an entry
     without day numbers (a clinic's own file may have one; /timeline shows it, the plan cannot).
"""

from __future__ import annotations

import re
from functools import cache

from checker.datafile import read_toml
from checker.engine import DATA_DIR

WORDS_FILE = DATA_DIR / "plan_words.toml"


@cache
def _not_products() -> re.Pattern:
    words = read_toml(WORDS_FILE)["not_products"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def entry_days(entry: dict) -> tuple[int, int | None] | None:
    """The days a timeline entry covers, inclusive; an open end is None."""
    first, last = entry.get("from_day"), entry.get("to_day")
    if not isinstance(first, int):
        return None
    return first, last if isinstance(last, int) else None


def is_product_free(line: str) -> bool:
    """Does this line of the sheet ask something no product covers?"""
    return bool(_not_products().search(line))


def advice_for(timeline: list[dict], day: int) -> dict[str, list[str]]:
    """The sheet's product-free advice for one day: what to avoid and what to do."""
    out: dict[str, list[str]] = {"avoid": [], "do": []}
    for entry in timeline:
        span = entry_days(entry)
        if span is None or day < span[0] or (span[1] is not None and day > span[1]):
            continue
        for key, into in (("avoid", "avoid"), ("use", "do")):
            for line in entry.get(key) or []:
                if is_product_free(line) and line not in out[into]:
                    out[into].append(line)
    return out
