"""Product page HTML -> product name, brand and the ingredient list printed on the page.

    from sources.page import extract
    found = extract(html, url="https://shop.example/p/1", checker=get_checker())
    found.ingredients_text, found.source, found.where, found.confidence

In:  the page's HTML (as the browser rendered it, or as fetched), its URL, optionally the text the
     user selected on it and the page title, and the Checker that scores candidates.
Out: an Extraction: product name and brand (when known), the ingredient text chosen (marketing
     bullets, "formulated without" blocks, "free from" claims and disclaimers stripped), its
     source ("selection" | "structured-data" | "page-section" | "text-block"), where on the page
     it was found (for the user to verify) and a confidence 0-1. Raises NoIngredientList when
     nothing on the page reads as an ingredient list.

Strategies, cheap and certain first (`choose.extract`):
  1. the user's selection, whenever any name in it is recognised (the user said it is the list);
  2. schema.org Product data (JSON-LD, microdata): name, brand, any ingredients property
     (`product`);
  3. page sections whose heading, label, tab, id, class or aria attributes say Ingredients,
     including collapsed tabs and accordions (they are in the HTML, only hidden) (`sections`);
  4. every text block on the page (`sections`).
Candidates are scored by the checker itself (`lists`): the share of their tokens the matcher
recognises. A candidate that could not beat the best one so far even with every token
recognised is skipped.

The modules, in the order the data flows: `text` (an element's text), `index` (the parsed page
and its indexes, candidates), `product` (structured data and naming), `sections` (sections and
blocks), `lists` (list cleaning and scoring), `choose` (choosing).

The tree is built with lxml.html directly rather than through BeautifulSoup: on a dense 2 MB page
BeautifulSoup(html, "lxml") takes about a second, lxml alone about 50 ms, and the bookmarklet
sends exactly such pages (scripts stripped, all markup).
"""

from .choose import DEFAULT_BUDGET_S, MAX_HTML_CHARS, Extraction, NoIngredientList, extract
from .index import build_tree
from .text import element_text

__all__ = [
    "extract",
    "Extraction",
    "NoIngredientList",
    "element_text",
    "build_tree",
    "DEFAULT_BUDGET_S",
    "MAX_HTML_CHARS",
]
