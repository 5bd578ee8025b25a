"""Where a list may be: sections an Ingredients label points at, and the page's list-like blocks.

In:  a PageIndex.
Out: `section_candidates(page)` -> Candidates from elements an Ingredients label, tab, accordion
     or attribute names (explicit links first, then neighbours); `block_candidates(page)` ->
     Candidates from blocks holding comma-separated text, lists and tables, most list-like first.
"""

from __future__ import annotations

from .index import LABEL, LABEL_TRIM, Candidate, PageIndex, describe
from .text import CELL_TAGS, LINE_TAGS, PARAGRAPH_TAGS, short_text

MAX_TEXT_BLOCKS = 60  # fallback: at most this many blocks are scored


def _labels(page: PageIndex):
    """Elements whose whole (short) text is an Ingredients label, innermost first."""
    for owner in page.labels:
        if LABEL.match(LABEL_TRIM.sub("", " ".join(owner.text.split()))) and LABEL.match(
            LABEL_TRIM.sub("", short_text(owner))
        ):
            yield owner


def _targets_of(page: PageIndex, label) -> list[tuple[object, int, str]]:
    """Where a label points: (element, priority, how). Explicit links first, then neighbours."""
    chain = [label]
    for anc in label.iterancestors():
        if len(chain) >= 3 or short_text(anc) != short_text(label):
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


def section_candidates(page: PageIndex) -> list[Candidate]:
    out, seen = [], set()

    def add(element, priority, where):
        if element in seen:
            return
        seen.add(element)
        out.extend(page.candidate(element, "page-section", where, priority))

    for label in _labels(page):
        text = short_text(label)
        for element, priority, how in _targets_of(page, label):
            where = f'the "{text}" {how} ({describe(element)})'
            add(element, priority, where)
    for element in page.hinted:
        add(element, 2, f"the page element {describe(element)}")
    return out


# --- strategy 4: text blocks -------------------------------------------------------------------


def block_candidates(page: PageIndex) -> list[Candidate]:
    """Blocks holding comma-separated text, lists and tables; the most list-like first."""
    blocks: dict = {}
    for node in page.root.xpath("//text()[contains(., ',') or contains(., ';')]"):
        parent = node.getparent()
        if getattr(node, "is_tail", False):
            parent = parent.getparent()
        while parent is not None and parent.tag not in PARAGRAPH_TAGS and parent.tag not in LINE_TAGS | CELL_TAGS:
            parent = parent.getparent()
        if parent is not None:
            blocks[parent] = blocks.get(parent, 0) + node.count(",") + node.count(";")
    for element in page.root.xpath("//ul[count(li) >= 4] | //ol[count(li) >= 4] | //table"):
        blocks[element] = blocks.get(element, 0) + len(element)
    ranked = sorted(blocks, key=lambda el: -blocks[el])[:MAX_TEXT_BLOCKS]
    out = []
    for element in ranked:
        out.extend(page.candidate(element, "text-block", f"a text block on the page ({describe(element)})"))
    return out
