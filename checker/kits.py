"""Label text -> the products of a kit, each with its own list ("Jelly Cleanser: Water, ... Day Serum: Water, ...").

In:  the label text, and `is_ingredient(name) -> bool` (a part name that is an ingredient, as in the
     marketing bullet "Shea Butter: helps condition", is not a product).
Out: `split_kit(text, is_ingredient)` -> [KitPart(name, text)] with at least two parts, or [] when the
     text is one product. A part is a short name followed by a colon at the start of the text, a line
     or a sentence, then a list of at least `MIN_ITEMS` comma-separated entries; list headings
     ("Ingredients:", "Inactive ingredients:", "May contain:") never name a part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .vocabulary import load_vocabulary

# A part name: up to 12 words, no sentence end or colon inside, after a line or sentence break.
# It starts with a letter or a bullet: '3.00%Ingredients:' is a strength before a heading, not a product.
_PART = re.compile(r"(?:^|(?<=\n)|(?<=[.;]\s)|(?<=[.;]))[ \t]*(?P<name>[^\W\d_\s][^\n.:;]{2,89}?)\s*:\s+", re.M)
MIN_ITEMS = 4  # commas in a part's list: fewer is a claim ("Vitamin E: softens, protects")
_WORDS = load_vocabulary()


@dataclass(frozen=True)
class KitPart:
    name: str
    text: str


def split_kit(text: str, is_ingredient: Callable[[str], bool]) -> list[KitPart]:
    if text.count(":") < 2:  # a kit has a colon per product
        return []
    heads = [m for m in _PART.finditer(text) if _is_part_name(m.group("name"), is_ingredient)]
    parts = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[head.end() : end]
        if body.count(",") >= MIN_ITEMS and _opens_with_a_name(body):
            parts.append(KitPart(" ".join(head.group("name").split()).lstrip("-•* "), body.strip()))
    return parts if len(parts) >= 2 else []


def _opens_with_a_name(body: str) -> bool:
    """A list starts with an ingredient name, not with a sentence ('Calms and soothes. Aqua, ...')."""
    first = body.split(",", 1)[0].strip()
    return "\n" not in first and ". " not in first and len(first.split()) <= 8


def _is_part_name(name: str, is_ingredient: Callable[[str], bool]) -> bool:
    name = name.strip(" -•*\t")
    if not name or len(name.split()) > 12 or _WORDS.heading_alone.match(name):
        return False
    if _WORDS.may_contain.match(name) or _WORDS.claim_block.search(name) or _WORDS.other_heading.match(name + ":"):
        return False
    return not is_ingredient(name)
