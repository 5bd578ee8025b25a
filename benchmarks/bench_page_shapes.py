"""Benchmark: the page reader on page shapes that once cost time out of proportion to their size
(issue 16, F2), timed with the real clock and the given budget.

  labels   60,000 tiny "<i>inci</i>" labels (660 kB): each a label pointing at its neighbour;
  wrappers 200 nested "ingredients" divs around a 2,000-row table (115 kB);
  nested   3,000 nested "Ingredients" labels around one short list (105 kB).

    python3 benchmarks/bench_page_shapes.py [--budget 2]

Out: one line per page: its size, the source of what was found ("none" when nothing was) and the
seconds it took. With the budget kept, no page takes much more than the budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import get_checker  # noqa: E402
from sources.page import NoIngredientList, extract  # noqa: E402


def pages() -> dict[str, str]:
    table = "<table>" + "".join(f"<tr><td>Water {i}</td><td>Glycerin</td><td>x</td></tr>" for i in range(2000))
    return {
        "labels": "<html><body>" + "<i>inci</i>" * 60_000 + "</body></html>",
        "wrappers": "<html><body>" + '<div class="ingredients">' * 200 + table + "</table>" + "</div>" * 200,
        "nested": "<html><body>" + "<div><span>Ingredients</span>" * 3000 + "Water, Glycerin" + "</div>" * 3000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=2.0, help="the extraction budget in seconds")
    args = parser.parse_args()
    checker = get_checker()
    for name, html in pages().items():
        start = time.perf_counter()
        try:
            found = extract(html, budget_s=args.budget, checker=checker).source
        except NoIngredientList:
            found = "none"
        print(f"{name:10} {len(html):>9,} bytes  {found:14} {time.perf_counter() - start:6.2f} s", flush=True)


if __name__ == "__main__":
    main()
