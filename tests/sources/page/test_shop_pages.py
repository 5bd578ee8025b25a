"""The page reader on real saved shop pages from sites it was never tuned on (issue 12).

The pages live in ../shared/data/shop_pages and the expectations for half of them in
../shared/eval/shop_pages.json; neither is copied into this repository, and the tests skip saying
so without them. Items are compared as a person reads them: a shade's name before the first item
("Coral Crush: Aqua (Water)") and a closing full stop are the reader's layout, not the item.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker import check, get_checker
from checker.parse import parse
from sources.page import NoIngredientList, build_tree, element_text, extract
from sources.page.index import PageIndex

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("AFTERCHECK_SHARED", ROOT.parent / "shared"))
PAGES = SHARED / "data" / "shop_pages"
EVAL = SHARED / "eval" / "shop_pages.json"
EXPECTED = json.loads(EVAL.read_text(encoding="utf-8"))["pages"] if EVAL.is_file() else []
SAVED = sorted(PAGES.glob("*.html")) if PAGES.is_dir() else []
# Pages whose expectation the reader does not meet yet, and why (issue 12, what is left).
NOT_YET: dict[str, str] = {}

needs_pages = pytest.mark.skipif(not EXPECTED, reason=f"saved shop pages and expectations not present at {SHARED}")


def read(path: Path, url: str | None = None):
    return extract(path.read_text(encoding="utf-8"), url=url, checker=get_checker(), clock=lambda: 0.0)


def _same_item(read_as: str, expected: str) -> bool:
    read_as, expected = read_as.lower().rstrip(". "), expected.lower().rstrip(". ")
    return read_as == expected or expected.endswith(": " + read_as)


def _params():
    return [
        pytest.param(p, id=p["file"], marks=[pytest.mark.xfail(reason=NOT_YET[p["file"]], strict=True)])
        if p["file"] in NOT_YET
        else pytest.param(p, id=p["file"])
        for p in EXPECTED
    ] or [pytest.param(None, id="absent", marks=needs_pages)]


@pytest.mark.parametrize("expected", _params())
def test_shop_page(expected):
    """The product's name and brand, and its own list from its first to its last item (or no list)."""
    path = PAGES / expected["file"]
    if not expected["list_in_html"]:
        with pytest.raises(NoIngredientList):
            read(path, expected["url"])
        return
    found = read(path, expected["url"])
    names = [t.name for t in parse(found.ingredients_text).tokens]
    start, end = expected["expected_list_start"], expected["expected_list_end"]
    assert all(_same_item(n, e) for n, e in zip(names[: len(start)], start, strict=True)), names[: len(start)]
    assert all(_same_item(n, e) for n, e in zip(names[-len(end) :], end, strict=True)), names[-len(end) :]
    assert (found.name, (found.brand or "").lower()) == (expected["product_name"], expected["brand"].lower())


@pytest.mark.skipif(not SAVED, reason=f"saved shop pages not present at {PAGES}")
def test_no_flag_comes_from_the_sites_navigation():
    """On every saved page, the list judged is not the text of a menu, header or footer: no avoid or
    caution flag comes from the site's own parts."""
    for path in SAVED:
        try:
            found = read(path)
        except NoIngredientList:
            continue
        page = PageIndex(build_tree(path.read_text(encoding="utf-8")))
        chrome = [element_text(el) for el in page.root.iter("nav", "header", "footer") if page.in_chrome(el)]
        report = check(found.ingredients_text, name=found.name)
        flagged = [i.token.name for i in report.items if i.flag in ("avoid", "caution")]
        first = found.ingredients_text.split("\n")[0][:60]
        assert not (flagged and any(first in text for text in chrome)), (path.name, found.where, flagged)
