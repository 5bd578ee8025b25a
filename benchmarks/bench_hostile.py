"""Benchmark: what hostile inputs cost next to ordinary ones of the same size, measured in one run.

The tests never time anything (tests/reliability/test_redos.py counts backtracking steps instead);
the wall-clock figures live here. Each hostile input is timed next to a baseline of the same length
made of an ordinary label, so the ratio means the same on a fast and a slow machine:

  label  the checker on each classic evil string (20,000 repeats) vs an ordinary ingredient list
         of the same length;
  page   the page reader on a page whose title, body and selection are that string vs a page of
         ordinary prose of the same length, which holds no list either, so both are read through
         (real clock, a budget long enough never to cut it short);
  lookup a barcode lookup and a name search on a shelf of 10,000 products vs one of 100.

    python3 benchmarks/bench_hostile.py [--repeat 3]

Out: one line per input: seconds for it and for its baseline (best of --repeat) and their ratio;
exit status 1 when a ratio passes --max-ratio (a hostile input costing far more than an ordinary
one of its size is the sign of super-linear work).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from regex_steps import EVIL_UNITS  # noqa: E402

from checker import InputError, get_checker  # noqa: E402
from shelf.batch import judge_inventory  # noqa: E402
from shelf.inventory import read_inventory  # noqa: E402
from shelf.store import forget_shelves, open_shelf  # noqa: E402
from sources.page import NoIngredientList, extract  # noqa: E402

ORDINARY = "Aqua, Glycerin, Niacinamide, Butylene Glycol, Squalane, Panthenol, Tocopherol, Phenoxyethanol, "
PROSE = "This cream feels light and calm on the skin, and a little goes a long way. "


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def ordinary(length: int, text: str = ORDINARY) -> str:
    return (text * (length // len(text) + 1))[:length]


def check(text: str) -> None:
    try:
        get_checker().check(text)
    except InputError:
        pass


def read_page(text: str) -> None:
    html = f"<title>{text}</title><h2>Ingredients</h2><p>{text}</p>"
    try:
        extract(html, title=text, selection=text[:5000], budget_s=600, checker=get_checker())
    except (NoIngredientList, InputError):
        pass


def shelf_of(products: int, folder: Path):
    lines = ["name,brand,barcode,ingredients"]
    lines += [f'Product {i},Brand {i % 50},{4000000000000 + i},"Water, Glycerin"' for i in range(products)]
    inventory = read_inventory(("\n".join(lines) + "\n").encode())
    shelf = open_shelf(f"sqlite:///{folder / f'shelf-{products}.sqlite'}")
    shelf.replace(judge_inventory(inventory), inventory)
    return shelf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=10.0)
    args = parser.parse_args()
    get_checker()  # data loaded before anything is timed
    worst = 0.0
    print(f"{'input':>22} {'what':>6} {'seconds':>8} {'baseline':>8} {'ratio':>6}")
    for unit, end in EVIL_UNITS:
        evil = unit * 20_000 + end
        for what, run, usual in (("label", check, ORDINARY), ("page", read_page, PROSE)):
            plain = ordinary(len(evil), usual)
            hostile = best_of(args.repeat, lambda run=run, text=evil: run(text))
            baseline = best_of(args.repeat, lambda run=run, text=plain: run(text))
            ratio = hostile / baseline
            worst = max(worst, ratio)
            print(f"{repr(unit) + ' x 20,000':>22} {what:>6} {hostile:8.3f} {baseline:8.3f} {ratio:6.1f}")
    with tempfile.TemporaryDirectory() as folder:
        small, big = shelf_of(100, Path(folder)), shelf_of(10_000, Path(folder))
        for what, query in (("barcode", "4000000000099"), ("name", "product 99")):
            at_big = best_of(args.repeat, lambda query=query: big.lookup(query))
            at_small = best_of(args.repeat, lambda query=query: small.lookup(query))
            ratio = at_big / at_small
            worst = max(worst, ratio)
            print(f"{what + ' lookup':>22} {'10,000':>6} {at_big:8.4f} {at_small:8.4f} {ratio:6.1f}")
        forget_shelves()
    print(f"worst ratio {worst:.1f} (limit {args.max_ratio:g})")
    return 0 if worst <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
