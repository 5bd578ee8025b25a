"""Product page HTML -> product name, brand and the ingredient list printed on the page.

In:  the page's HTML (as the browser rendered it, or as fetched), its URL, optionally the text the
     user selected on it and the page title.
Out: an Extraction: product name and brand (when known), the ingredient text chosen (marketing
     bullets, "formulated without" blocks, "free from" claims and disclaimers stripped), its
     source ("selection" | "structured-data" | "page-section" | "text-block"), where on the page
     it was found (for the user to verify) and a confidence 0-1. Raises NoIngredientList when
     nothing on the page reads as an ingredient list.

Strategies, cheap and certain first (see `extract`):
  1. the user's selection, if it reads as an ingredient list;
  2. schema.org Product data (JSON-LD, microdata): name, brand, any ingredients property;
  3. page sections whose heading, label, tab, id, class or aria attributes say Ingredients,
     including collapsed tabs and accordions (they are in the HTML, only hidden);
  4. every text block on the page.
Candidates are scored by the checker itself: the share of their tokens the matcher recognises.
A candidate that could not beat the best one so far even with every token recognised is skipped.

The tree is built with lxml.html directly rather than through BeautifulSoup: on a dense 2 MB page
BeautifulSoup(html, "lxml") takes about a second, lxml alone about 50 ms, and the bookmarklet
sends exactly such pages (scripts stripped, all markup).
"""
from __future__ import annotations

import html as html_lib
import json
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from . import sites
from .engine import get_checker
from .parse import InputError, cut_disclaimers, parse

MAX_HTML_CHARS = 5_000_000       # the web layer answers 413 well below this
MAX_CANDIDATE_CHARS = 60_000     # a "section" longer than this is the whole page, not a section
MAX_TEXT_BLOCKS = 60             # fallback: at most this many blocks are scored
DEFAULT_BUDGET_S = 2.0

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

    @property
    def product(self) -> dict:
        return {"name": self.name, "brand": self.brand}

    def to_dict(self) -> dict:
        return {"product": self.product, "ingredients_text": self.ingredients_text,
                "source": self.source, "where": self.where, "confidence": self.confidence,
                "notes": self.notes}


# --- text of an element ----------------------------------------------------------------------

# Elements that start a paragraph (a blank line) and those that only start a line. The split
# matters: lists are judged paragraph by paragraph, and <li>/<br> items form one-per-line lists.
_PARAGRAPH_TAGS = frozenset(
    "p div section article aside header footer main nav ul ol dl table thead tbody tfoot details "
    "summary blockquote figure form fieldset pre dd dt h1 h2 h3 h4 h5 h6 hr".split())
_LINE_TAGS = frozenset("li tr caption option label".split())
_CELL_TAGS = frozenset(("td", "th"))
# Never part of a label: controls ("Read more"), drawings, and anything a page script owns.
_SKIP_TAGS = frozenset("script style noscript template button svg select iframe object head".split())
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object")


# Breaks are collected as marks and resolved per run of marks, so that </li><li> gives one line
# break, <br><br> a blank line, and the page source's own line breaks (just layout) none.
_BR, _LINE, _PARA, _CELL = "\x01", "\x02", "\x03", "\x04"
_MARKS = re.compile("(?<![ \x01-\x04])[ \x01-\x04]*[\x01-\x04][ \x01-\x04]*")  # from run starts only: linear
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")


def element_text(element) -> str:
    """An element's text with paragraph breaks as blank lines and <br>/<li> as line breaks."""
    out: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            out.append(_mark_for(tag))
            if node.text:
                out.append(node.text)
        else:
            if tag not in _SKIP_TAGS and tag != "br":
                out.append(_mark_for(tag))
            if node is not element and node.tail:
                out.append(node.tail)
    text = _SPACE.sub(" ", "".join(out))
    return _MARKS.sub(_resolve_marks, text).strip()


def _mark_for(tag: str) -> str:
    if tag in _PARAGRAPH_TAGS:
        return _PARA
    if tag == "br":
        return _BR
    if tag in _LINE_TAGS:
        return _LINE
    return _CELL if tag in _CELL_TAGS else ""


def _resolve_marks(run: re.Match) -> str:
    marks = run.group(0)
    if _PARA in marks or marks.count(_BR) >= 2:
        return "\n\n"
    if _LINE in marks or _BR in marks:
        return "\n"
    return " \t "


def _short_text(element, limit: int = 80) -> str:
    """Normalised text of a small element (a label), '' when it is long."""
    text = element.text_content()
    if len(text) > limit * 4:
        return ""
    return " ".join(text.split())[:limit]


# --- turning a candidate's text into the list ---------------------------------------------------

# Text a page's controls leave inside a section ("Read more", "Show less") and the ellipsis of a
# truncated preview.
_UI_NOISE = re.compile(r"(?i)\b(?:read|show|see|view)\s+(?:more|less|all|full\s+list)\b\.*|…")
# "-Nine Signal Peptide Complex: Serves to bind moisture ..." is a marketing bullet, not an item.
_MARKETING_BULLET = re.compile(r"^\s*[-•*·▪●◦‣–—✓✔]\s*(?P<label>[^:\n]{1,120}):\s*\S+(?:[ \t]+\S+)+")
# "Free from retinol, parabens and fragrance" names what the product does not contain.
_CLAIM_LINE = re.compile(
    r"^\s*(?:[-•*·✓✔]\s*)?(?:free\s+(?:from|of)|without|no\s+(?:added\s+)?[a-z]+\s*(?:,|and|or)|"
    r"0\s?%|zero\s+|formulated\s+without|contains\s+no|never\s+(?:any|contains?))\b", re.I)
_HEADING_LABEL = re.compile(
    r"(?i)^\s*(?:(?:full|complete|active|inactive|other|key)\s+)?(?:ingredients?|inci)(?:\s+list)?\s*$")


@dataclass(frozen=True)
class Scored:
    text: str          # the list as chosen: list paragraphs only
    tokens: int
    recognised: int

    @property
    def share(self) -> float:
        return self.recognised / self.tokens if self.tokens else 0.0


_EMPTY = Scored("", 0, 0)


class _Para(NamedTuple):
    text: str
    tokens: int
    recognised: int
    names: frozenset
    index: int          # position among the candidate's paragraphs


class _Scorer:
    """Scores texts by the checker's recognition share; paragraphs are cached per extraction."""

    def __init__(self):
        self.matcher = get_checker().matcher
        self.cache: dict[str, tuple[int, int, frozenset]] = {}

    def paragraph(self, text: str) -> tuple[int, int, frozenset]:
        if text not in self.cache:
            try:
                tokens = parse(text).tokens
            except InputError:
                tokens = []
            recognised = sum(1 for t in tokens if self.matcher.match(t.name).recognised)
            self.cache[text] = (len(tokens), recognised, frozenset(t.name.lower() for t in tokens))
        return self.cache[text]

    def score(self, text: str) -> Scored:
        """Keep the paragraphs that read as ingredient lists; score what is kept."""
        text = _UI_NOISE.sub(" ", text)
        text, _removed = cut_disclaimers(text)
        lines = [line for line in text.split("\n") if not _is_noise_line(line)]
        paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n") if p.strip()]
        kept = []
        for index, para in enumerate(paragraphs):
            tokens, recognised, names = self.paragraph(para)
            if tokens and recognised * 2 >= tokens:
                kept.append(_Para(para, tokens, recognised, names, index))
        kept = _drop_strays(_drop_repeats(kept), paragraphs)
        if not kept:
            return _EMPTY
        return Scored(_join(k.text for k in kept), sum(k.tokens for k in kept),
                      sum(k.recognised for k in kept))


def _join(paragraphs) -> str:
    """Paragraphs of one list; the parser ends a list line at a blank line, so names stay apart."""
    return "\n\n".join(paragraphs)


def _drop_repeats(kept: list[_Para]) -> list[_Para]:
    """A truncated preview next to the full list ("Read more") repeats its items: keep the full one."""
    unique = []
    for para in kept:
        if any(para.names < other.names for other in kept) or any(para.names == u.names for u in unique):
            continue
        unique.append(para)
    return unique


def _drop_strays(kept: list[_Para], paragraphs: list[str]) -> list[_Para]:
    """Short paragraphs (a heading such as 'Niacinamide 10% + Zinc 1%') count only next to the
    list itself, as the actives line above an INCI list does; list headings in between are skipped."""
    long = [k for k in kept if k.tokens >= 3]
    if not long:
        return kept
    bridges = {i for i, p in enumerate(paragraphs) if _HEADING_LABEL.match(p.rstrip(": "))}

    def near_list(index: int) -> bool:
        for step in (-1, 1):
            j = index + step
            while j in bridges:
                j += step
            if any(k.index == j for k in long):
                return True
        return False

    return [k for k in kept if k.tokens >= 3 or near_list(k.index)]


def _is_noise_line(line: str) -> bool:
    bullet = _MARKETING_BULLET.match(line)
    if bullet and not _HEADING_LABEL.match(bullet.group("label")):
        return True
    return bool(_CLAIM_LINE.match(line))


# --- candidates ------------------------------------------------------------------------------

@dataclass
class Candidate:
    given_text: str | None  # the text, or None to read it from `element` when first scored
    source: str
    where: str
    order: int = 0          # document position: earlier wins a tie
    priority: int = 0       # how directly the page ties this text to an Ingredients label
    related: bool = False   # inside "you may also like" and similar blocks
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
_RELATED = re.compile(r"(?i)related|recommend|also[-_ ]?(?:like|bought|viewed)|upsell|cross[-_]?sell|"
                      r"carousel|similar|recently[-_ ]?viewed|bought[-_ ]?together|complete[-_ ]the[-_ ]look")
# Labels that announce the list, in the languages retailers use.
LABEL_WORDS = ("ingredients", "ingredient", "ingredient name", "ingredient list", "ingredients list", "full ingredients", "full ingredient list",
               "full ingredients list", "complete ingredients", "all ingredients", "inci", "inci list",
               "ingrédients", "liste des ingrédients", "inhaltsstoffe", "ingredientes", "ingredienti",
               "composition", "composición", "zusammensetzung", "what's inside", "formula")
_LABEL = re.compile(r"(?i)^(?:%s)$" % "|".join(re.escape(w) for w in LABEL_WORDS))
# Cheap pre-filter for label texts (the full regex decides): a fragment of each label word.
_LABEL_FRAGMENT = re.compile(r"(?i)ngr|inci|nhalts|omposi|usammen|inside|ormula")
_LABEL_TRIM = re.compile(r"^[\s+\-−–▼▾▲▸›»:]+|[\s+\-−–▼▾▲▸›»:]+$")
_ATTR_HINT = re.compile(r"(?i)ingredient|ingr[ée]dient|inhaltsstoff|(?<![a-z])inci(?![a-z])")
_HINT_ATTRS = ("id", "class", "aria-label", "data-tab", "data-target", "data-section")


def _describe(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else "element"
    if element.get("id"):
        return f"<{tag} id=\"{element.get('id')}\">"
    classes = (element.get("class") or "").split()
    return f"<{tag} class=\"{' '.join(classes[:2])}\">" if classes else f"<{tag}>"


class _Page:
    """One parsed page: the tree plus the indexes the strategies share."""

    def __init__(self, root):
        # One pass over the tree builds every index: XPath predicates over every element of a
        # 2 MB page (translate, concat, many contains) cost several times more than this loop.
        self.root = root
        self.by_id: dict[str, object] = {}
        self.labelled_by: dict[str, list] = {}
        self.hinted, self.branded, self.labels, self.scopes, self.json_ld = [], [], [], [], []
        for el in root.iter():
            if el.tag.__class__ is not str:
                continue
            text = el.text
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
            if ("ngr" in hint or "inci" in hint or "nhalts" in hint) and _ATTR_HINT.search(hint):
                self.hinted.append(el)
            if "brand" in hint or attrs.get("itemprop") == "brand":
                self.branded.append(el)
            if "itemscope" in attrs and "schema.org/Product" in attrs.get("itemtype", ""):
                self.scopes.append(el)

    def is_related(self, element) -> bool:
        for anc in element.iterancestors():
            if anc.tag == "aside":
                return True
            hint = " ".join(filter(None, (anc.get("id"), anc.get("class"), anc.get("aria-label"))))
            if hint and _RELATED.search(hint):
                return True
        return False

    def candidate(self, element, source: str, where: str, priority: int = 0) -> list[Candidate]:
        """The element's text as a candidate, plus one per table column inside it."""
        if element is None:
            return []
        # The source line orders candidates well enough for a tie-break, and costs nothing.
        order, related = element.sourceline or 0, self.is_related(element)
        whole = Candidate(None, source, where, order, priority, related, element)
        out = [whole]
        tables = list(element.iter("table"))
        if not tables or not whole.text:  # (reads the text now: tables are rare on product pages)
            return out
        for table in tables:
            for index, column in enumerate(_table_columns(table)):
                out.append(Candidate(column, source, f"{where}, column {index + 1} of its table",
                                     table.sourceline or order, priority, related))
        return out


def _table_columns(table) -> list[str]:
    """Each column of a table as one-per-line text (ingredient tables put one name per row)."""
    rows = [[cell for cell in row if cell.tag in _CELL_TAGS] for row in table.iter("tr")]
    if rows and all(cell.tag == "th" for cell in rows[0]):
        rows = rows[1:]  # the header row names the columns; it is not an item
    rows = [[element_text(cell) for cell in row] for row in rows]
    width = max((len(r) for r in rows), default=0)
    if width < 2 or len(rows) < 3:
        return []
    return ["\n".join(r[i] for r in rows if i < len(r) and r[i]) for i in range(width)]


# --- strategy 2: structured data -------------------------------------------------------------

@dataclass
class ProductData:
    name: str | None = None
    brand: str | None = None
    ingredients: str | None = None
    where: str = ""


def _clean_value(value) -> str | None:
    if isinstance(value, list):
        value = ", ".join(v for v in (_clean_value(v) for v in value) if v)
    if isinstance(value, dict):
        value = value.get("name") or value.get("value")
    if not isinstance(value, str):
        return None
    return " ".join(html_lib.unescape(value).split()) or None


def _json_ld_products(scripts) -> list[dict]:
    found = []

    def walk(node, depth=0):
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.split("/")[-1] in ("Product", "ProductGroup") for k in kinds):
                found.append(node)
            for k in ("@graph", "mainEntity", "itemListElement", "item", "hasVariant"):
                if k in node:
                    walk(node[k], depth + 1)

    for script in scripts:
        try:
            walk(json.loads(script.text or "", strict=False))
        except ValueError:
            continue  # broken JSON-LD is common; the other strategies still run
    return found


def _ingredients_property(product: dict) -> str | None:
    for k in ("ingredients", "ingredient", "hasIngredient"):
        if product.get(k):
            return _clean_value(product[k])
    props = product.get("additionalProperty") or []
    for prop in props if isinstance(props, list) else [props]:
        if isinstance(prop, dict) and _LABEL.match(_LABEL_TRIM.sub("", str(prop.get("name", "")))):
            return _clean_value(prop.get("value"))
    return None


def _microdata_product(scopes) -> ProductData | None:
    for scope in scopes:
        data = ProductData(where="the page's schema.org Product microdata")
        for prop in scope.xpath(".//*[@itemprop]"):
            owner = next((a for a in prop.iterancestors() if a.get("itemscope") is not None), None)
            name = prop.get("itemprop")
            value = prop.get("content") or " ".join(prop.text_content().split())
            if name == "brand":
                data.brand = data.brand or _clean_value(prop.get("content")) or _first_itemprop(prop, "name") or value
            elif owner is scope and name == "name":
                data.name = data.name or _clean_value(value)
            elif owner is scope and name in ("ingredients", "ingredient"):
                data.ingredients = data.ingredients or element_text(prop)
        return data
    return None


def _first_itemprop(element, name: str) -> str | None:
    found = element.xpath(f".//*[@itemprop='{name}']")
    return _clean_value(found[0].get("content") or found[0].text_content()) if found else None


def structured_product(page: "_Page", heading: str | None) -> ProductData:
    """Name, brand and ingredients from JSON-LD or microdata; the Product whose name is the
    page's main heading wins when a page describes several."""
    products = _json_ld_products(page.json_ld)
    if products:
        def is_main(p):
            name = _clean_value(p.get("name")) or ""
            return bool(heading and name and name.lower() in heading.lower())
        main = next((p for p in products if is_main(p)), products[0])
        return ProductData(_clean_value(main.get("name")), _clean_value(main.get("brand")),
                           _ingredients_property(main), "the page's schema.org Product data (JSON-LD)")
    return _microdata_product(page.scopes) or ProductData()


def _meta(root, *names: str) -> str | None:
    for name in names:
        found = root.xpath(f"/html/head/meta[@property='{name}' or @name='{name}']/@content")
        if found and found[0].strip():
            return _clean_value(found[0])
    return None


_SITE_SUFFIX = re.compile(r"(?<!\s)\s+\|\s+[^|]+$")          # "... | Sephora"
_BRAND_SUFFIX = re.compile(r"(?<!\s)\s+[-–—]\s+(?P<brand>[^-–—]{2,60})$")  # "Name - Brand"
_CHROME = ("nav", "header", "footer")  # site navigation names many brands


def identify(page: "_Page", data: ProductData, heading: str | None, title: str | None,
             site) -> tuple[str | None, str | None]:
    """(name, brand): structured data first, then the site's hook, the main heading, the title."""
    root = page.root
    page_title = title or _meta(root, "og:title", "twitter:title") or _clean_value(root.findtext(".//title"))
    title_name, title_brand = _split_title(page_title)
    name = data.name or (site.name(root) if hasattr(site, "name") else None) or heading or title_name
    brand = (data.brand or _meta(root, "product:brand", "og:brand") or _brand_element(page)
             or title_brand or _brand_before(page_title, name))
    return name, brand


def _heading(root) -> str | None:
    found = next(root.iter("h1"), None)
    return (" ".join(element_text(found).split()) or None) if found is not None else None


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """'Protini Moisturizer - Drunk Elephant | Sephora' -> ('Protini Moisturizer', 'Drunk Elephant')."""
    if not title:
        return None, None
    # One space between words and 300 characters at most: a real title is short, and the suffix
    # patterns below are quadratic on long runs of whitespace (a 60 kB title took 5 s).
    title = " ".join(title.split())[:300]
    title = _SITE_SUFFIX.sub("", title).strip()
    match = _BRAND_SUFFIX.search(title)
    if match:
        return title[: match.start()].strip() or None, match.group("brand").strip()
    return title or None, None


def _brand_before(title: str | None, name: str | None) -> str | None:
    """'Maison Claire Overnight Serum' with the name 'Overnight Serum' -> 'Maison Claire'."""
    if not title or not name:
        return None
    at = title.lower().find(name.lower())
    prefix = title[:at].strip(" -–|:") if at > 0 else ""
    return prefix if 0 < len(prefix.split()) <= 4 else None


def _brand_element(page: "_Page") -> str | None:
    for element in page.branded[:20]:
        if any(anc.tag in _CHROME for anc in element.iterancestors()):
            continue
        text = _clean_value(element.get("content")) or _short_text(element, 60) or _clean_value(element.get("aria-label"))
        if text and text.lower() not in ("brand", "brands", "shop by brand") and len(text) <= 60:
            return text
    return None


# --- strategy 3: page sections ----------------------------------------------------------------

def _labels(page: _Page):
    """Elements whose whole (short) text is an Ingredients label, innermost first."""
    for owner in page.labels:
        if _LABEL.match(_LABEL_TRIM.sub("", " ".join(owner.text.split()))) and \
                _LABEL.match(_LABEL_TRIM.sub("", _short_text(owner))):
            yield owner


def _targets_of(page: _Page, label) -> list[tuple[object, int, str]]:
    """Where a label points: (element, priority, how). Explicit links first, then neighbours."""
    chain = [label]
    for anc in label.iterancestors():
        if len(chain) >= 3 or _short_text(anc) != _short_text(label):
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


def section_candidates(page: _Page) -> list[Candidate]:
    out, seen = [], set()

    def add(element, priority, where):
        if element in seen:
            return
        seen.add(element)
        out.extend(page.candidate(element, "page-section", where, priority))

    for label in _labels(page):
        text = _short_text(label)
        for element, priority, how in _targets_of(page, label):
            where = f'the "{text}" {how} ({_describe(element)})'
            add(element, priority, where)
    for element in page.hinted:
        add(element, 2, f"the page element {_describe(element)}")
    return out


# --- strategy 4: text blocks -------------------------------------------------------------------

def block_candidates(page: _Page) -> list[Candidate]:
    """Blocks holding comma-separated text, lists and tables; the most list-like first."""
    blocks: dict = {}
    for node in page.root.xpath("//text()[contains(., ',') or contains(., ';')]"):
        parent = node.getparent()
        if getattr(node, "is_tail", False):
            parent = parent.getparent()
        while parent is not None and parent.tag not in _PARAGRAPH_TAGS and parent.tag not in _LINE_TAGS | _CELL_TAGS:
            parent = parent.getparent()
        if parent is not None:
            blocks[parent] = blocks.get(parent, 0) + node.count(",") + node.count(";")
    for element in page.root.xpath("//ul[count(li) >= 4] | //ol[count(li) >= 4] | //table"):
        blocks[element] = blocks.get(element, 0) + len(element)
    ranked = sorted(blocks, key=lambda el: -blocks[el])[:MAX_TEXT_BLOCKS]
    out = []
    for element in ranked:
        out.extend(page.candidate(element, "text-block", f"a text block on the page ({_describe(element)})"))
    return out


# --- choosing ----------------------------------------------------------------------------------

# What a candidate from each source must reach to count as a list: (min tokens, min share).
ACCEPT = {"selection": (1, 0.5), "structured-data": (2, 0.5), "page-section": (1, 0.5), "text-block": (4, 0.6)}
# Confidence = base + weight * share, then less for very short lists.
CONFIDENCE = {"selection": (0.5, 0.5), "structured-data": (0.55, 0.45), "page-section": (0.5, 0.45),
              "text-block": (0.2, 0.5)}


def _confidence(source: str, scored: Scored) -> float:
    base, weight = CONFIDENCE[source]
    value = base + weight * scored.share
    if scored.tokens < 3:
        value -= 0.15
    return round(max(0.0, min(1.0, value)), 2)


def _best(candidates: list[Candidate], scorer: _Scorer, deadline: float) -> tuple[Candidate, Scored] | None:
    best, best_key = None, None
    for cand in candidates:
        if time.monotonic() > deadline:
            break
        # Scoring parses the text, most of the cost of a page. Skip a candidate that cannot win
        # even with every token recognised: a lower priority never outranks a full share.
        if best_key is not None and (not cand.related, 1.0, cand.priority) < best_key[:3]:
            continue
        scored = scorer.score(cand.text)
        min_tokens, min_share = ACCEPT[cand.source]
        if cand.priority < 3:
            min_tokens = max(min_tokens, 2)  # a lone name near a label may be a heading, not a list
        if scored.tokens < min_tokens or scored.share < min_share:
            continue
        key = (not cand.related, round(scored.share, 1), cand.priority, scored.recognised,
               -len(cand.text), -cand.order)
        if best_key is None or key > best_key:
            best, best_key = (cand, scored), key
    return best


def extract(html: str, url: str | None = None, selection: str | None = None, title: str | None = None,
            budget_s: float = DEFAULT_BUDGET_S) -> Extraction:
    """Find the product and its ingredient list on a page. See the module docstring.

    `html` may be empty when a selection is given (the bookmarklet sends only the selection
    then); `title` is the page title the bookmarklet sends with a selection.
    """
    if not isinstance(html, str) or (selection is not None and not isinstance(selection, str)):
        raise InputError("html and selection must be text")
    if len(html) > MAX_HTML_CHARS:
        raise InputError(f"the page is too large ({len(html):,} characters; at most {MAX_HTML_CHARS:,})")
    deadline = time.monotonic() + budget_s
    scorer, notes = _Scorer(), []
    root = _tree(html)
    host = (urlsplit(url).hostname or "") if url else ""
    site = sites.for_host(host)

    page = _Page(root) if root is not None else None
    heading = _heading(root) if root is not None else None
    data = structured_product(page, heading) if page is not None else ProductData()
    name, brand = identify(page, data, heading, title, site) if page is not None else (_split_title(title)[0], None)
    product = {"name": name, "brand": brand}

    def done(cand: Candidate, scored: Scored) -> Extraction:
        return Extraction(name, brand, scored.text, cand.source, cand.where, _confidence(cand.source, scored), notes)

    if selection and selection.strip():
        found = _best([Candidate(selection, "selection", "the text you selected")], scorer, deadline + 1)
        if found:
            return done(*found)
        notes.append("the selected text does not read as an ingredient list, so the page was searched")
        if root is None:
            raise NoIngredientList("The selected text does not look like an ingredient list. Select the "
                                   "list itself (from its first ingredient to its last) and try again.", product)
    if root is None:
        raise NoIngredientList("The page is empty.", product)

    strategies = [
        lambda: [Candidate(data.ingredients, "structured-data", data.where)] if data.ingredients else [],
        lambda: _site_sections(site, page) + section_candidates(page),
        lambda: block_candidates(page),
    ]
    for strategy in strategies:
        found = _best(strategy(), scorer, deadline)
        if found:
            return done(*found)
        if time.monotonic() > deadline:
            notes.append("the page took too long to read in full")
            break
    raise NoIngredientList("No ingredient list was found on this page. If you can see the list, select "
                           "it on the page (from its first ingredient to its last) and click again.", product)


def _site_sections(site, page: _Page) -> list[Candidate]:
    if not hasattr(site, "sections"):
        return []
    return [c for element, where in site.sections(page.root)
            for c in page.candidate(element, "page-section", where, priority=4)]


# Characters lxml refuses in text nodes (ValueError when drop_tree re-joins text): control
# characters other than tab/newline/CR, and lone surrogates. They carry nothing on a product page.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _tree(html: str):
    """Parse the page; JSON-LD scripts stay, every other script and style goes."""
    if not html.strip():
        return None
    try:
        return _build_tree(html)
    except ValueError:
        # Scanning every page for these characters costs 3 ms on 0.5 MB; only the rare page
        # that has them pays, by being parsed twice.
        try:
            return _build_tree(_XML_INCOMPATIBLE.sub(" ", html))
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def _build_tree(html: str):
    root = lxml.html.document_fromstring(html)
    # Content after </html> (saved Sephora pages have some) becomes a second <html> next to the
    # root; move it under the root so that walking the root sees the whole page.
    for sibling in list(root.itersiblings()):
        root.extend(list(sibling))
    for el in list(root.iter(*_DROP_TAGS)):
        if el.get("type") != "application/ld+json":
            el.drop_tree()  # drop_tree keeps the text that follows the element
    etree.strip_elements(root, etree.Comment, with_tail=False)
    return root
