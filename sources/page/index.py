"""A parsed page and the indexes every strategy shares; the candidates built from its elements.

In:  the page's HTML.
Out: `build_tree(html)` -> the lxml root (None for an empty or unparsable page; JSON-LD scripts
     kept, every other script and style dropped); `PageIndex(root)`: elements by id, by
     aria-labelledby, elements whose attributes hint at ingredients or a brand, short texts that
     may be an Ingredients label, schema.org scopes and JSON-LD scripts, built in one pass, and
     every element's text length (so that no label test builds a long element's text);
     `PageIndex.short_text(element)` -> a label's text ('' for a long element);
     `PageIndex.canonical(element)` -> the innermost element of a chain of wrappers with the same
     text; `PageIndex.candidate(element, ...)` -> the element's text (and each table column) as
     Candidates for the chooser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import lxml.html
from lxml import etree

from checker.vocabulary import load_vocabulary

from .text import CELL_TAGS, DROP_TAGS, SKIP_TAGS, element_text, short_text

MAX_CANDIDATE_CHARS = 60_000  # a "section" longer than this is the whole page, not a section


@dataclass
class Candidate:
    given_text: str | None  # the text, or None to read it from `element` when first scored
    source: str
    where: str
    order: int = 0  # document position: earlier wins a tie
    priority: int = 0  # how directly the page ties this text to an Ingredients label
    related: bool = False  # inside "you may also like" and similar blocks
    element: object = None

    @cached_property
    def text(self) -> str:
        """The candidate's text; '' for an element too long to be a section (the whole page).
        Read lazily: most candidates lose to a better one without being scored."""
        if self.given_text is not None:
            return self.given_text
        text = element_text(self.element)
        return text if len(text) <= MAX_CANDIDATE_CHARS else ""


# Containers of other products on a product page: their lists are not this product's.
_RELATED = re.compile(
    r"(?i)related|recommend|also[-_ ]?(?:like|bought|viewed)|upsell|cross[-_]?sell|"
    r"carousel|similar|recently[-_ ]?viewed|bought[-_ ]?together|complete[-_ ]the[-_ ]look"
)
# Labels that announce the list, in the languages retailers use (data/label_words.toml).
_WORDS = load_vocabulary()
LABEL = _WORDS.page_label
# Cheap pre-filter for label texts (the full regex decides): a word of each label.
_LABEL_FRAGMENT = _WORDS.page_label_hint
# Marks around a label's words: arrows, pluses, colons, and the emoji shops put before a tab's name.
LABEL_TRIM = re.compile(r"^[^\w(]+|[^\w)']+$")
# The site's own parts, by landmark: HTML elements and ARIA roles, not words.
_CHROME_ROLES = frozenset(("navigation", "menu", "menubar", "banner", "contentinfo", "search"))
_SCOPES = frozenset(("main", "article"))
_ATTR_HINT = _WORDS.attribute_hint
_ATTR_WORDS = _WORDS.attribute_hint_words
_HINT_ATTRS = ("id", "class", "aria-label", "data-tab", "data-target", "data-section")


def describe(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else "element"
    if element.get("id"):
        return f'<{tag} id="{element.get("id")}">'
    classes = (element.get("class") or "").split()
    return f'<{tag} class="{" ".join(classes[:2])}">' if classes else f"<{tag}>"


class PageIndex:
    """One parsed page: the tree plus the indexes the strategies share."""

    def __init__(self, root):
        # One pass over the tree builds every index: XPath predicates over every element of a
        # 2 MB page (translate, concat, many contains) cost several times more than this loop.
        self.root = root
        self.by_id: dict[str, object] = {}
        self.labelled_by: dict[str, list] = {}
        self.hinted, self.branded, self.labels, self.scopes, self.json_ld = [], [], [], [], []
        # Text lengths, as text_content() would give them: own text now, descendants' added
        # bottom-up below. The dict holds every element, so lxml keeps handing out the same
        # proxy objects for them (a proxy nobody holds is rebuilt with another identity).
        self._lengths: dict = {}
        self._canonical: dict = {}
        nodes = []
        for el in root.iter():
            nodes.append(el)
            if el.tag.__class__ is not str:
                continue  # a comment's or instruction's text is not the page's text; its tail is
            text = el.text
            self._lengths[el] = len(text) if text else 0
            if text and len(text) < 80 and _LABEL_FRAGMENT.search(text):
                self.labels.append(el)
            if el.tag == "script":
                self.json_ld.append(el)
            if not len(el.attrib):
                continue
            attrs = dict(el.items())
            ident = attrs.get("id")
            if ident:
                self.by_id.setdefault(ident, el)
            refs = attrs.get("aria-labelledby")
            if refs:
                for ref in refs.split():
                    self.labelled_by.setdefault(ref, []).append(el)
            hint = " ".join([attrs[a] for a in _HINT_ATTRS if a in attrs]).lower()
            for word in _ATTR_WORDS:  # a loop, not any(): this runs for every element with attributes
                if word in hint:
                    if _ATTR_HINT.search(hint):
                        self.hinted.append(el)
                    break
            if "brand" in hint or attrs.get("itemprop") == "brand":
                self.branded.append(el)
            if "itemscope" in attrs and "schema.org/Product" in attrs.get("itemtype", ""):
                self.scopes.append(el)
        self._add_descendant_lengths(nodes)

    def _add_descendant_lengths(self, nodes: list) -> None:
        """Children come after their parent in document order: walking it backwards, each node's
        length is complete when it is added to its parent's."""
        lengths = self._lengths
        for node in reversed(nodes):
            parent = node.getparent()
            if parent is None:
                continue
            tail = node.tail
            lengths[parent] += lengths.get(node, 0) + (len(tail) if tail else 0)

    def text_length(self, element) -> int:
        """len(element.text_content()), without building it."""
        found = self._lengths.get(element)
        return len(element.text_content()) if found is None else found

    def short_text(self, element, limit: int = 80) -> str:
        return short_text(element, limit, self.text_length(element))

    def canonical(self, element):
        """The innermost of a chain of wrappers around one element and nothing else (no text of
        their own): they all have the same text, so they are one candidate."""
        if element in self._canonical:
            return self._canonical[element]
        chain = [element]
        node = element
        while (
            len(node) == 1
            and node.tag not in SKIP_TAGS
            and not (node.text or "").strip()
            and node[0].tag.__class__ is str
            and not (node[0].tail or "").strip()
        ):
            node = node[0]
            if node in self._canonical:
                node = self._canonical[node]
                break
            chain.append(node)
        for wrapper in chain:
            self._canonical[wrapper] = node
        return node

    def in_chrome(self, element) -> bool:
        """Inside the site's navigation, page header or footer (menus name ingredient categories,
        filters and brands; none of it is this product's)."""
        for node in (element, *element.iterancestors()):
            tag = node.tag
            if tag in _SCOPES:
                return False  # a header inside an article or the main part is the content's own
            if (
                tag == "nav"
                or node.get("role") in _CHROME_ROLES
                or tag in ("header", "footer")
                and not any(a.tag in _SCOPES for a in node.iterancestors())
            ):
                return True
        return False

    def is_related(self, element) -> bool:
        for anc in element.iterancestors():
            if anc.tag == "aside":
                return True
            hint = " ".join(filter(None, (anc.get("id"), anc.get("class"), anc.get("aria-label"))))
            if hint and _RELATED.search(hint):
                return True
        return False

    def candidate(
        self, element, source: str, where: str, priority: int = 0, related: bool | None = None
    ) -> list[Candidate]:
        """The element's text as a candidate, plus one per table column inside it."""
        if element is None:
            return []
        # The source line orders candidates well enough for a tie-break, and costs nothing.
        order = element.sourceline or 0
        related = self.is_related(element) if related is None else related
        whole = Candidate(None, source, where, order, priority, related, element)
        out = [whole]
        tables = list(element.iter("table"))
        if not tables or not whole.text:  # (reads the text now: tables are rare on product pages)
            return out
        for table in tables:
            for index, column in enumerate(_table_columns(table)):
                out.append(
                    Candidate(
                        column,
                        source,
                        f"{where}, column {index + 1} of its table",
                        table.sourceline or order,
                        priority,
                        related,
                    )
                )
        return out


def _table_columns(table) -> list[str]:
    """Each column of a table as one-per-line text (ingredient tables put one name per row)."""
    rows = [[cell for cell in row if cell.tag in CELL_TAGS] for row in table.iter("tr")]
    if rows and all(cell.tag == "th" for cell in rows[0]):
        rows = rows[1:]  # the header row names the columns; it is not an item
    rows = [[element_text(cell) for cell in row] for row in rows]
    width = max((len(r) for r in rows), default=0)
    if width < 2 or len(rows) < 3:
        return []
    return ["\n".join(r[i] for r in rows if i < len(r) and r[i]) for i in range(width)]


# Characters lxml refuses in text nodes (ValueError when drop_tree re-joins text): control
# characters other than tab/newline/CR, and lone surrogates. They carry nothing on a product page.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def build_tree(html: str):
    """Parse the page; JSON-LD scripts stay, every other script and style goes."""
    if not html.strip():
        return None
    try:
        return _parse_html(html)
    except ValueError:
        # Scanning every page for these characters costs 3 ms on 0.5 MB; only the rare page
        # that has them pays, by being parsed twice.
        try:
            return _parse_html(_XML_INCOMPATIBLE.sub(" ", html))
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def _parse_html(html: str):
    root = lxml.html.document_fromstring(html)
    # Content after </html> (saved Sephora pages have some) becomes a second <html> next to the
    # root; move it under the root so that walking the root sees the whole page.
    for sibling in list(root.itersiblings()):
        root.extend(list(sibling))
    for el in list(root.iter(*DROP_TAGS)):
        if el.get("type") != "application/ld+json":
            el.drop_tree()  # drop_tree keeps the text that follows the element
    etree.strip_elements(root, etree.Comment, with_tail=False)
    return root
