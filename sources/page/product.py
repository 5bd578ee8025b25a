"""The product's name and brand, and any ingredient list in its structured data.

In:  a PageIndex, the page's main heading and title, and the site's hooks.
Out: `structured_product(page, heading)` -> ProductData from schema.org JSON-LD or microdata
     (with the Product's `category`, else the JSON-LD breadcrumb trail: evidence of the product type);
     `identify(page, data, heading, title, site)` -> (name, brand), structured data first, then
     the site's hook, the main heading and the title; `split_title(title)` -> (name, brand).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass

from checker.vocabulary import load_vocabulary

from .index import LABEL, LABEL_TRIM, PageIndex
from .text import element_text


@dataclass
class ProductData:
    name: str | None = None
    brand: str | None = None
    ingredients: str | None = None
    where: str = ""
    category: str | None = None


def _clean_value(value) -> str | None:
    if isinstance(value, list):
        value = ", ".join(v for v in (_clean_value(v) for v in value) if v)
    if isinstance(value, dict):
        value = value.get("name") or value.get("value")
    if not isinstance(value, str):
        return None
    return " ".join(html_lib.unescape(value).split()) or None


def _json_ld_nodes(scripts, wanted: tuple[str, ...]) -> list[dict]:
    """Every JSON-LD node of one of the `wanted` schema.org types."""
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
            if any(isinstance(k, str) and k.split("/")[-1] in wanted for k in kinds):
                found.append(node)
            for k in ("@graph", "mainEntity", "itemListElement", "item", "hasVariant"):
                if k in node:
                    walk(node[k], depth + 1)

    for script in scripts:
        try:
            walk(json.loads(script.text or "", strict=False))
        except (ValueError, RecursionError):  # RecursionError: nested too deeply to read
            continue  # broken JSON-LD is common; the other strategies still run
    return found


def _json_ld_products(scripts) -> list[dict]:
    return _json_ld_nodes(scripts, ("Product", "ProductGroup"))


def _breadcrumb(scripts, name: str | None) -> str | None:
    """'Skincare / Sunscreens' from a JSON-LD BreadcrumbList (the product itself and 'Home' left out)."""
    for trail in _json_ld_nodes(scripts, ("BreadcrumbList",)):
        items = trail.get("itemListElement")
        names = [
            _clean_value(i.get("name") or (i.get("item") or {}).get("name")) for i in items or [] if isinstance(i, dict)
        ]
        names = [n for n in names if n and n.lower() != "home" and n != name]
        if names:
            return " / ".join(names)
    return None


def _ingredients_property(product: dict) -> str | None:
    for k in ("ingredients", "ingredient", "hasIngredient"):
        if product.get(k):
            return _clean_value(product[k])
    props = product.get("additionalProperty") or []
    for prop in props if isinstance(props, list) else [props]:
        if isinstance(prop, dict) and LABEL.match(LABEL_TRIM.sub("", str(prop.get("name", "")))):
            return _clean_value(prop.get("value"))
    return None


def _microdata_product(scopes) -> ProductData | None:
    for scope in scopes:
        data = ProductData(where="the page's schema.org Product microdata")
        for prop in scope.xpath(".//*[@itemprop]"):
            owner = next((a for a in prop.iterancestors() if a.get("itemscope") is not None), None)
            name = prop.get("itemprop")
            if name == "brand":
                data.brand = (
                    data.brand or _clean_value(prop.get("content")) or _first_itemprop(prop, "name") or _value(prop)
                )
            elif owner is scope and name == "name":
                data.name = data.name or _clean_value(_value(prop))
            elif owner is scope and name in ("ingredients", "ingredient"):
                data.ingredients = data.ingredients or element_text(prop)
        return data
    return None


def _value(prop) -> str:
    """An itemprop's value; its text is built only when asked for (nested props are common)."""
    return prop.get("content") or " ".join(prop.text_content().split())


def _first_itemprop(element, name: str) -> str | None:
    found = element.xpath(f".//*[@itemprop='{name}']")
    return _clean_value(found[0].get("content") or found[0].text_content()) if found else None


def structured_product(page: PageIndex, heading: str | None) -> ProductData:
    """Name, brand and ingredients from JSON-LD or microdata; the Product whose name is the
    page's main heading wins when a page describes several."""
    products = _json_ld_products(page.json_ld)
    if products:

        def is_main(p):
            name = _clean_value(p.get("name")) or ""
            return bool(heading and name and name.lower() in heading.lower())

        main = next((p for p in products if is_main(p)), products[0])
        name = _clean_value(main.get("name"))
        return ProductData(
            name,
            _clean_value(main.get("brand")) or _brand_elsewhere(products, name),
            _ingredients_property(main),
            "the page's schema.org Product data (JSON-LD)",
            _clean_value(main.get("category")) or _breadcrumb(page.json_ld, name),
        )
    found = _microdata_product(page.scopes) or ProductData()
    found.category = found.category or _breadcrumb(page.json_ld, found.name)
    return found


def _brand_elsewhere(products: list[dict], name: str | None) -> str | None:
    """A page's second Product block for the same product may name the brand the first only links."""
    same = [p for p in products if name and (_clean_value(p.get("name")) or "").lower() == name.lower()]
    return next((b for b in (_clean_value(p.get("brand")) for p in same) if b), None)


def _meta(root, *names: str) -> str | None:
    for name in names:
        found = root.xpath(f"/html/head/meta[@property='{name}' or @name='{name}']/@content")
        if found and found[0].strip():
            return _clean_value(found[0])
    return None


_SITE_SUFFIX = re.compile(r"(?<!\s)\s+\|\s+[^|]+$")  # "... | Sephora"
_BRAND_SUFFIX = re.compile(r"(?<!\s)\s+[-–—]\s+(?P<brand>[^-–—]{2,60})$")  # "Name - Brand"
_BYLINE = load_vocabulary().brand_byline  # data/label_words.toml [page.brand_bylines]
_CHROME = ("nav", "header", "footer")  # site navigation names many brands


def identify(
    page: PageIndex, data: ProductData, heading: str | None, title: str | None, site
) -> tuple[str | None, str | None]:
    """(name, brand): structured data first, then the site's hook, the main heading, the title."""
    root = page.root
    page_title = title or _meta(root, "og:title", "twitter:title") or _clean_value(root.findtext(".//title"))
    title_name, title_brand = split_title(page_title)
    name = data.name or (site.name(root) if hasattr(site, "name") else None) or heading or title_name
    brand = (
        data.brand
        or _meta(root, "product:brand", "og:brand")
        or _brand_element(page)
        or _byline_brand(page)
        or title_brand
        or _brand_before(page_title, name)
    )
    return name, brand


# The product title element: an h1 that is, or holds, an element named for the product's title.
_TITLE_ATTRIBUTE = re.compile(r"(?i)product[-_]?(?:title|name)|^title$")
# "15% sparen", "Save 20%": a promotion widget's heading, not the product's.
_PROMOTION = re.compile(r"\d\s?%")


def main_heading(root) -> str | None:
    """The product title: the h1 named for it, else the first h1 that is not a promotion."""
    headings = [h for h in root.iter("h1") if not any(a.tag in ("nav", "footer") for a in h.iterancestors())]
    texts = [(h, _heading_text(h)) for h in headings[:20]]
    titled = next((t for h, t in texts if t and _is_title_element(h)), None)
    return titled or next((t for _h, t in texts if t and not _is_promotion(t)), None)


def _is_title_element(heading) -> bool:
    for element in (heading, *heading.iterdescendants()):
        if not isinstance(element.tag, str):
            continue
        if element.get("itemprop") == "name" or any(
            _TITLE_ATTRIBUTE.search(element.get(a) or "") for a in ("id", "class", "data-test", "data-testid")
        ):
            return True
    return False


def _is_promotion(text: str) -> bool:
    return bool(_PROMOTION.search(text)) and len(text.split()) <= 4


def _heading_text(heading) -> str | None:
    """A heading's text; a brand and a name in two spans side by side are two words."""
    parts = [c for c in heading if isinstance(c.tag, str)]
    glued = len(parts) >= 2 and not (heading.text or "").strip() and not any((c.tail or "").strip() for c in parts)
    text = " ".join(element_text(c) for c in parts) if glued else element_text(heading)
    return " ".join(text.split()) or None


def split_title(title: str | None) -> tuple[str | None, str | None]:
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


# Form controls and their labels ("Search products, brands, ...", "Carousel previous brand") name
# what the control does, never the product's brand.
_CONTROLS = frozenset({"input", "button", "select", "textarea", "option", "label", "form"})
_CONTROL_ROLES = frozenset({"button", "combobox", "searchbox", "search", "textbox", "listbox", "option"})


def _is_control(element) -> bool:
    return any(
        e.tag in _CONTROLS or (e.get("role") or "").lower() in _CONTROL_ROLES
        for e in (element, *element.iterancestors())
    )


def _byline_brand(page: PageIndex) -> str | None:
    """The brand from a marketplace's link to the brand's own shop ("Visit the Weleda Store")."""
    for link in page.root.iter("a"):
        found = _BYLINE.match(page.short_text(link, 80))
        if found:
            return next(group for group in found.groups() if group).strip(" -")
    return None


def _brand_element(page: PageIndex) -> str | None:
    for element in page.branded[:20]:
        if any(anc.tag in _CHROME for anc in element.iterancestors()) or _is_control(element):
            continue
        text = (
            _clean_value(element.get("content"))
            or page.short_text(element, 60)
            or _clean_value(element.get("aria-label"))
        )
        if text and text.lower() not in ("brand", "brands", "shop by brand") and len(text) <= 60:
            return text
    return None
