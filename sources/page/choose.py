"""Choosing the list: the strategies in order, each candidate scored, the best one kept.

In:  the page's HTML, its URL, the user's selection and the page title (any may be absent), and
     the Checker whose matcher scores candidates (so an app with its own protocol scores pages
     with it).
Out: `extract(...)` -> Extraction, or NoIngredientList. See the package docstring for the
     strategies and what counts as a list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from checker import Checker
from checker.parse import InputError

from .. import sites
from .deadline import Deadline
from .index import Candidate, PageIndex, build_tree
from .lists import Scored, Scorer
from .product import ProductData, identify, main_heading, split_title, structured_product
from .sections import block_candidates, section_candidates

MAX_HTML_CHARS = 5_000_000  # the web layer answers 413 well below this
DEFAULT_BUDGET_S = 2.0

TOO_LONG = "the page took too long to read in full"
SELECTION_PARTLY = "some names in the selected text were not recognised: they are listed as not checked"

SOURCES = ("selection", "structured-data", "page-section", "text-block")


class NoIngredientList(InputError):
    """Nothing on the page (or in the selection) reads as an ingredient list."""

    def __init__(self, message: str, product: dict | None = None):
        super().__init__(message)
        self.product = product or {"name": None, "brand": None}


@dataclass
class Extraction:
    name: str | None
    brand: str | None
    ingredients_text: str
    source: str
    where: str
    confidence: float
    notes: list[str] = field(default_factory=list)
    category: str | None = None  # the page's product category (JSON-LD category or breadcrumbs)

    @property
    def product(self) -> dict:
        return {"name": self.name, "brand": self.brand}

    def to_dict(self) -> dict:
        return {
            "product": self.product,
            "ingredients_text": self.ingredients_text,
            "source": self.source,
            "where": self.where,
            "confidence": self.confidence,
            "notes": self.notes,
        }


# What a candidate from each source must reach to count as a list: (min tokens, min share).
ACCEPT = {"structured-data": (2, 0.5), "page-section": (1, 0.5), "text-block": (4, 0.6)}
# Shares from this one up are all as good: then the list with more recognised names wins.
WELL_RECOGNISED = 0.8
# Confidence = base + weight * share, then less for very short lists.
CONFIDENCE = {
    "selection": (0.5, 0.5),
    "structured-data": (0.55, 0.45),
    "page-section": (0.5, 0.45),
    "text-block": (0.2, 0.5),
}


def _confidence(source: str, scored: Scored) -> float:
    base, weight = CONFIDENCE[source]
    value = base + weight * scored.share
    if scored.tokens < 3:
        value -= 0.15
    return round(max(0.0, min(1.0, value)), 2)


def _best(
    candidates: list[Candidate], scorer: Scorer, deadline: Deadline, grace: float = 0.0
) -> tuple[Candidate, Scored] | None:
    best, best_key = None, None
    for cand in candidates:
        if deadline.reached(grace):
            break
        # Scoring parses the text, most of the cost of a page. Skip a candidate that cannot win
        # even with every token recognised: a lower priority never outranks a full share.
        if best_key is not None and (not cand.related, WELL_RECOGNISED, cand.priority) < best_key[:3]:
            continue
        scored = scorer.score(cand.text)
        min_tokens, min_share = ACCEPT[cand.source]
        if cand.priority < 3:
            min_tokens = max(min_tokens, 2)  # a lone name near a label may be a heading, not a list
        if scored.tokens < min_tokens or scored.share < min_share:
            continue
        # Past WELL_RECOGNISED a higher share no longer counts: a short teaser ("Key ingredients:
        # Retinol, Squalane") is fully recognised more easily than the whole list beside it.
        share = min(round(scored.share, 1), WELL_RECOGNISED)
        key = (not cand.related, share, cand.priority, scored.recognised, -len(cand.text), -cand.order)
        if best_key is None or key > best_key:
            best, best_key = (cand, scored), key
    return best


def extract(
    html: str,
    url: str | None = None,
    selection: str | None = None,
    title: str | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
    *,
    checker: Checker,
    clock: Callable[[], float] = time.monotonic,
) -> Extraction:
    """Find the product and its ingredient list on a page. See the module docstring.

    `html` may be empty when a selection is given (the bookmarklet sends only the selection
    then); `title` is the page title the bookmarklet sends with a selection. Scoring stops once
    `clock` (seconds) has moved `budget_s` past its first reading; tests pass a fake clock.
    """
    if not isinstance(html, str) or (selection is not None and not isinstance(selection, str)):
        raise InputError("html and selection must be text")
    if len(html) > MAX_HTML_CHARS:
        raise InputError(f"the page is too large ({len(html):,} characters; at most {MAX_HTML_CHARS:,})")
    deadline = Deadline(clock, budget_s)
    scorer, notes = Scorer(checker), []
    root = build_tree(html)
    host = (urlsplit(url).hostname or "") if url else ""
    site = sites.for_host(host)

    page = PageIndex(root) if root is not None else None
    heading = main_heading(root) if root is not None else None
    data = structured_product(page, heading) if page is not None else ProductData()
    name, brand = identify(page, data, heading, title, site) if page is not None else (split_title(title)[0], None)
    product = {"name": name, "brand": brand}

    def done(cand: Candidate, scored: Scored) -> Extraction:
        if deadline.passed:
            notes.append(TOO_LONG)
        return Extraction(
            name, brand, scored.text, cand.source, cand.where, _confidence(cand.source, scored), notes, data.category
        )

    if selection and selection.strip():
        # A selection is the user saying "this is the list": it is checked whenever anything in it
        # is recognised, and the report lists what was not.
        scored = scorer.selection(selection)
        if scored.recognised:
            if scored.recognised < scored.tokens:
                notes.append(SELECTION_PARTLY)
            return done(Candidate(selection, "selection", "the text you selected"), scored)
        notes.append("nothing in the selected text was recognised as an ingredient, so the page was searched")
        if root is None:
            raise NoIngredientList(
                "Nothing in the selected text was recognised as an ingredient. Select the "
                "list itself (from its first ingredient to its last) and try again.",
                product,
            )
    if root is None:
        raise NoIngredientList("The page is empty.", product)

    strategies = [
        lambda: [Candidate(data.ingredients, "structured-data", data.where)] if data.ingredients else [],
        lambda: _site_sections(site, page) + section_candidates(page, deadline.out_of_time),
        lambda: block_candidates(page, deadline.out_of_time),
    ]
    for strategy in strategies:
        found = _best(strategy(), scorer, deadline)
        if found:
            return done(*found)
        if deadline.passed or deadline.reached():
            break
    found_none = (
        "The page took too long to read in full, and no ingredient list was found in the part read."
        if deadline.passed
        else "No ingredient list was found on this page."
    )
    raise NoIngredientList(
        f"{found_none} If you can see the list, select it on the page (from its first ingredient to its last) "
        "and click again.",
        product,
    )


def _site_sections(site, page: PageIndex) -> list[Candidate]:
    if not hasattr(site, "sections"):
        return []
    return [
        c
        for element, where in site.sections(page.root)
        for c in page.candidate(element, "page-section", where, priority=4)
    ]
