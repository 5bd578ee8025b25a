"""One field holding a list per shade -> the product's one list; a list broken mid-name -> whole names.

In:  a paragraph of a candidate ("Coral Crush: Aqua (Water), ... | Pinkalicious: Aqua (Water), ..."),
     or a candidate's paragraphs and a test for whether a name is recognised.
Out: `merge_shades(paragraph)` -> the shades' lists merged into one list without the shade names
     (the shades share the formula; an item only some shades have goes after the item it follows
     there), or the paragraph unchanged; `join_broken_names(paragraphs, recognised)` -> the
     paragraphs with a name broken over two of them ("Isoamyl" | "Laurate") joined again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SHADE_SEPARATOR = re.compile(r"(?<!\s)\s+\|\s+")  # (?<!\s): a run of spaces is tried once
# "Coral Crush: Aqua (Water), Coconut Alkanes, ..." : a short name without a comma, a colon, a list.
# Used with fullmatch; (?<!...) lets a search try a run of name characters once.
_SHADE = re.compile(r"(?<![^:,;|\n])[^:,;|\n]{1,40}:(?P<list>.*)", re.S)
_ITEM_BOUNDARY = re.compile(r"[()\[\]]|,\s+")  # brackets open and close; a comma ends an item
_FIRST_ITEM = re.compile(r"[,;]")
_MIN_ITEMS = 3


def merge_shades(paragraph: str) -> str:
    if " | " not in paragraph:
        return paragraph
    segments = _SHADE_SEPARATOR.split(paragraph)
    lists = []
    for segment in segments:
        match = _SHADE.fullmatch(segment.strip())
        items = _items(match.group("list")) if match else []
        if len(items) < _MIN_ITEMS:
            return paragraph
        lists.append(items)
    return ", ".join(_merge(lists)) + "."


def _items(text: str) -> list[str]:
    """Top-level comma items ('1,2-Hexanediol' and '(Iron Oxides, CI 77491)' stay whole)."""
    items, depth, start = [], 0, 0
    for match in _ITEM_BOUNDARY.finditer(text):
        token = match.group(0)
        if token in "([":
            depth += 1
        elif token in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            items.append(text[start : match.start()])
            start = match.end()
    items.append(text[start:])
    return [item.strip().rstrip(".").strip() for item in items if item.strip().rstrip(".").strip()]


def _merge(lists: list[list[str]]) -> list[str]:
    merged = list(lists[0])
    seen = {item.lower() for item in merged}
    for items in lists[1:]:
        after = None  # the merged position of the item this one follows in its own shade
        for item in items:
            key = item.lower()
            if key in seen:
                after = next(i for i, m in enumerate(merged) if m.lower() == key)
                continue
            position = 0 if after is None else after + 1
            merged.insert(position, item)
            seen.add(key)
            after = position
    return merged


def join_broken_names(paragraphs: list[str], recognised: Callable[[str], bool]) -> list[str]:
    """A list split over paragraphs in mid-name: the paragraph ends in a letter, the next begins
    with one, and the two halves read as a name only together ('Isoamyl' + 'Laurate')."""
    out: list[str] = []
    for para in paragraphs:
        if out and out[-1][-1:].isalpha() and para[:1].isalpha() and "," in out[-1]:
            head, tail = out[-1].rsplit(",", 1)[1].strip(), _FIRST_ITEM.split(para, maxsplit=1)[0].strip()
            whole = f"{head} {tail}"
            if recognised(whole) and not (recognised(head) and recognised(tail)):
                out[-1] = f"{out[-1]} {para}"
                continue
        out.append(para)
    return out
