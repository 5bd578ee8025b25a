"""Where a list may be: sections an Ingredients label points at, and the page's list-like blocks.

In:  a PageIndex, and `out_of_time()`, the extraction's budget check (Deadline.out_of_time): the
     loops stop building candidates once it says the budget is spent.
Out: `section_candidates(page, out_of_time)` -> Candidates from elements an Ingredients label, tab,
     accordion or attribute names (explicit links first, then neighbours); wrappers around the same
     element and text are one candidate. `block_candidates(page, out_of_time)` -> Candidates from
     blocks holding comma-separated text, lists and tables, most list-like first.
"""

from __future__ import annotations

from collections.abc import Callable

from .index import LABEL, LABEL_TRIM, Candidate, PageIndex, describe
from .text import CELL_TAGS, LINE_TAGS, PARAGRAPH_TAGS

OutOfTime = Callable[[], bool]


def _never() -> bool:
    return False


MAX_TEXT_BLOCKS = 60  # fallback: at most this many blocks are scored


def _labels(page: PageIndex, out_of_time: OutOfTime = _never):
    """Elements whose whole (short) text is an Ingredients label, innermost first."""
    for owner in page.labels:
        if out_of_time():
            return
        if (
            LABEL.match(LABEL_TRIM.sub("", " ".join(owner.text.split())))
            and LABEL.match(LABEL_TRIM.sub("", page.short_text(owner)))
            and not page.in_chrome(owner)
        ):
            yield owner


def _targets_of(page: PageIndex, label, out_of_time: OutOfTime = _never) -> list[tuple[object, int, str]]:
    """Where a label points: (element, priority, how). Explicit links first, then neighbours."""
    chain, text = [label], page.short_text(label)
    for anc in label.iterancestors():
        if len(chain) >= 3 or out_of_time() or page.short_text(anc) != text:
            break
        chain.append(anc)  # <button><span>Ingredients</span></button>: the button is the label too
    out = []
    for el in chain:
        for ref in (el.get("aria-controls") or "").split():
            out.append((page.by_id.get(ref), 3, "tab"))
        href = el.get("href") or el.get("data-target") or ""
        if href.startswith("#") and len(href) > 1:
            out.append((page.by_id.get(href[1:]), 3, "tab"))
        if el.tag == "label" and el.get("for"):
            out.append((page.by_id.get(el.get("for")), 3, "tab"))
        if el.get("id"):
            out += [(t, 3, "tab") for t in page.labelled_by.get(el.get("id"), [])]
        if el.tag == "summary":
            out.append((el.getparent(), 3, "section"))
        if el.tag == "dt":
            out.append((el.getnext(), 3, "section"))
    # Neighbours: the next element after the label (or after the wrapper that holds it), and
    # the block around it (<p><b>Ingredients:</b> Water, ...</p>, or the accordion item).
    node, climbed = chain[-1], 0
    while node is not None and climbed < 3:
        if node.getnext() is not None:
            out.append((node.getnext(), 2, "section"))
            break
        node, climbed = node.getparent(), climbed + 1
    parent, climbed = chain[-1].getparent(), 0
    while parent is not None and climbed < 3 and parent.tag not in ("body", "html"):
        out.append((parent, 2 if climbed == 0 else 1, "section"))
        parent, climbed = parent.getparent(), climbed + 1
    return [(el, prio, how) for el, prio, how in out if el is not None]


def section_candidates(page: PageIndex, out_of_time: OutOfTime = _never) -> list[Candidate]:
    seen: set = set()
    # Wrappers of one element have its text: one candidate for them all, the one that would win a
    # tie (not related, then higher priority, then earlier on the page; the first seen otherwise).
    groups: dict = {}  # canonical element -> (key, candidates)

    def add(element, priority, where):
        if element in seen or out_of_time():
            return
        seen.add(element)
        if page.in_chrome(element):
            return
        group = page.canonical(element)
        related = page.is_related(element)
        key = (not related, priority, -(element.sourceline or 0))
        if group in groups and groups[group][0] >= key:
            return
        groups[group] = (key, page.candidate(element, "page-section", where, priority, related))

    for label in _labels(page, out_of_time):
        text = page.short_text(label)
        for element, priority, how in _targets_of(page, label, out_of_time):
            where = f'the "{text}" {how} ({describe(element)})'
            add(element, priority, where)
    for element in page.hinted:
        add(element, 2, f"the page element {describe(element)}")
    return [cand for _key, cands in groups.values() for cand in cands]


# --- strategy 4: text blocks -------------------------------------------------------------------


def block_candidates(page: PageIndex, out_of_time: OutOfTime = _never) -> list[Candidate]:
    """Blocks holding comma-separated text, lists and tables; the most list-like first."""
    blocks: dict = {}
    for node in page.root.xpath("//text()[contains(., ',') or contains(., ';')]"):
        if out_of_time():
            break
        parent = node.getparent()
        if getattr(node, "is_tail", False):
            parent = parent.getparent()
        while parent is not None and parent.tag not in PARAGRAPH_TAGS and parent.tag not in LINE_TAGS | CELL_TAGS:
            parent = parent.getparent()
        if parent is not None:
            blocks[parent] = blocks.get(parent, 0) + node.count(",") + node.count(";")
    for element in page.root.xpath("//ul[count(li) >= 4] | //ol[count(li) >= 4] | //table"):
        blocks[element] = blocks.get(element, 0) + len(element)
    ranked = [el for el in sorted(blocks, key=lambda el: -blocks[el]) if not page.in_chrome(el)][:MAX_TEXT_BLOCKS]
    out = []
    for element in ranked:
        if out_of_time():
            break
        out.extend(page.candidate(element, "text-block", f"a text block on the page ({describe(element)})"))
    return out
