"""Benchmark: extracting the ingredient list from a 2 MB product page (target: median < 300 ms).

Builds a page the way the bookmarklet sends one: scripts and styles gone, all markup left. It is a
fixture product page (tests/fixtures/pages/tabbed_accordion.html) with about 2 MB of dense product
grid, navigation and review markup added around it, the worst case for the tree builder and the
text-block fallback. Also times the same page with the list removed (every strategy runs to the
end, the slowest path) and, when ../shared is present, the largest saved Sephora page and the
median over all saved pages (../shared/data/html_sephora_2020 and ../shared/data/shop_pages, each
page's own median first).

With --tree it times only the tree builder on the 2 MB page: lxml.html, as sources/page builds the
tree, against BeautifulSoup(html, "lxml"), the alternative the page reader does not use.

    python3 benchmarks/bench_extract.py [--repeat 15] [--size 2000000] [--tree]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import get_checker  # noqa: E402
from sources.page import NoIngredientList, build_tree, extract  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "pages" / "tabbed_accordion.html"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEPHORA = SHARED_DATA / "html_sephora_2020" / "soup3.html"
SAVED_FOLDERS = ("html_sephora_2020", "shop_pages")
CARD = (
    '<li class="product-tile"><a href="/p/{i}" class="product-tile__link"><img src="/img/{i}.jpg" alt="Serum {i}">'
    '<span class="product-tile__brand">Brand {b}</span><span class="product-tile__name">Hydrating Serum, '
    '30 ml, shade {i}</span></a><div class="price">£{p}.00</div><ul class="badges"><li>Vegan</li><li>Clean'
    '</li></ul><p class="review">Lovely, light, absorbs fast, no scent, would buy again, {i} stars.</p></li>\n'
)


def padded_page(size: int, with_list: bool = True) -> str:
    html = FIXTURE.read_text(encoding="utf-8")
    if not with_list:
        start = html.index('<div id="product-description-content-ingredients"')
        end = html.index('<div id="product-description-content-howto"')
        html = html[:start] + html[end:]
    cards, i = [], 0
    while sum(map(len, cards)) < size - len(html):
        cards.append(CARD.format(i=i, b=i % 40, p=10 + i % 50))
        i += 1
    grid = '<section class="recommendations"><ul class="grid">' + "".join(cards) + "</ul></section>"
    return html.replace("</body>", grid + "</body>")


def saved_pages() -> list[Path]:
    return sorted(p for folder in SAVED_FOLDERS for p in (SHARED_DATA / folder).glob("*.html"))


def all_saved(repeat: int) -> tuple[int, list[float]]:
    """Each saved page's median (ms), and the pages' total size in bytes."""
    medians, size = [], 0
    for path in saved_pages():
        html = path.read_text(encoding="utf-8", errors="replace")
        size += len(html.encode())
        medians.append(statistics.median(timed(html, repeat)))
    return size, medians


def timed(html: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            extract(html, url="https://shop.example/p", budget_s=30, checker=get_checker())
        except NoIngredientList:
            pass
        times.append((time.perf_counter() - started) * 1000)
    return times


def timed_call(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def tree_builders(html: str, repeat: int) -> list[tuple[str, list[float]]]:
    """Milliseconds to build the page's tree: lxml.html (what sources/page uses) and BeautifulSoup."""
    from bs4 import BeautifulSoup

    return [
        ("lxml.html (sources.page.build_tree)", timed_call(lambda: build_tree(html), repeat)),
        ('BeautifulSoup(html, "lxml")', timed_call(lambda: BeautifulSoup(html, "lxml"), repeat)),
    ]


def print_row(label: str, size: int, times: list[float]) -> None:
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(f"{label:45} {size:>10,} {statistics.median(times):>10.1f} {p90:>8.1f} {times[-1]:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--size", type=int, default=2_000_000)
    parser.add_argument("--tree", action="store_true", help="time only the tree builders on the 2 MB page")
    args = parser.parse_args()
    header = f"{'page':45} {'bytes':>10} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}"
    if args.tree:
        html = padded_page(args.size)
        print(header)
        for label, times in tree_builders(html, args.repeat):
            print_row(label, len(html.encode()), times)
        return
    get_checker()  # data loading is start-up, not extraction
    cases = [
        ("2 MB page, list in a hidden tab", padded_page(args.size)),
        ("2 MB page, no list (every strategy runs)", padded_page(args.size, with_list=False)),
    ]
    if SEPHORA.exists():
        cases.append(("saved Sephora page soup3.html", SEPHORA.read_text(encoding="utf-8")))
    print(header)
    for label, html in cases:
        print_row(label, len(html.encode()), timed(html, args.repeat))
    pages = saved_pages()
    if pages:
        size, medians = all_saved(args.repeat)
        print_row(f"all {len(pages)} saved pages (per-page medians)", size, medians)
    print("target: median under 300 ms for the 2 MB page")


if __name__ == "__main__":
    main()
