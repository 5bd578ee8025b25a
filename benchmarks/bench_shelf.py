"""Shelf check benchmark: N products from CSV to a finished CSV report; time and peak memory.

    python3 benchmarks/bench_shelf.py                 # 10,000 and 100,000 products
    python3 benchmarks/bench_shelf.py --sizes 10000   # one size

In:  the four product files in ../shared/data (never copied into the repo), repeated and given
     unique barcodes until there are N rows, written to a temporary CSV.
Out: one line per size: seconds (read + judge + export), peak RSS in MB, rows per second and how
     many distinct labels were judged; exit status 1 when a target is missed (10,000 in <= 10 s
     and <= 500 MB; 100,000 in <= 100 s).

Each size runs in a fresh child process so the peak memory is that run's alone. Repeated rows
carry the same label, and the batch judges identical labels once (as it does for shades of one
product on a real shelf), so the distinct-label count is printed next to the time.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SOURCES = {  # file -> (encoding, name, brand, ingredients, category) columns
    "sephora_cosmetics_kaggle.csv": ("cp1252", "Name", "Brand", "Ingredients", "Label"),
    "lookfantastic_skincare_products_clean.csv": ("utf-8", "product_name", None, "clean_ingreds", "product_type"),
    "sephora_skincare_scraped_2026_raw.csv": ("utf-8", "name", "brand", "ingredients", None),
    "sephora_skincare_scraped_2020_raw_html.csv": ("utf-8", "name", "brand", "ingredients", "category"),
}
TARGETS = {10_000: (10.0, 500.0), 100_000: (100.0, None)}


def source_rows() -> list[list[str]]:
    rows = []
    for name, (encoding, *columns) in SOURCES.items():
        with open(SHARED / name, encoding=encoding, newline="") as handle:
            for record in csv.DictReader(handle):
                rows.append([record[c] if c else "" for c in columns])
    return rows


def build_csv(size: int, path: Path) -> None:
    rows = source_rows()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "brand", "barcode", "ingredients", "category"])
        for i in range(size):
            name, brand, ingredients, category = rows[i % len(rows)]
            writer.writerow([name, brand, f"{4_000_000_000_000 + i}", ingredients, category])


def run_one(path: Path) -> dict:
    """Child process: read, judge, export; report figures as JSON."""
    sys.path.insert(0, str(ROOT))
    from checker import get_checker
    from shelf import export
    from shelf.batch import default_workers, judge_inventory
    from shelf.inventory import read_inventory

    get_checker()  # data loading is start-up cost, not per-report cost
    start = time.perf_counter()
    inventory = read_inventory(path.read_bytes(), path.name)
    read_done = time.perf_counter()
    batch = judge_inventory(inventory, workers=default_workers())
    judge_done = time.perf_counter()
    report = export.to_csv(inventory.headers, export.batch_rows(batch, inventory.frame), batch.versions)
    end = time.perf_counter()
    return {
        "rows": len(batch.rows),
        "seconds": end - start,
        "read": read_done - start,
        "judge": judge_done - read_done,
        "export": end - judge_done,
        "report_bytes": len(report),
        "distinct": len({(r.ingredients, r.name) for r in batch.rows}),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "workers": default_workers(),
        "summary": batch.summary,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child)))
        return 0
    if not SHARED.is_dir():
        print(f"shared data not found at {SHARED}", file=sys.stderr)
        return 2
    missed = False
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"inventory_{size}.csv"
            build_csv(size, path)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path)], check=True, capture_output=True, text=True
            ).stdout
            figures = json.loads(out)
            seconds_target, memory_target = TARGETS.get(size, (None, None))
            ok = (seconds_target is None or figures["seconds"] <= seconds_target) and (
                memory_target is None or figures["peak_mb"] <= memory_target
            )
            missed |= not ok
            print(
                f"{size:>7,} products ({path.stat().st_size / 1e6:.1f} MB CSV): {figures['seconds']:.1f} s "
                f"(read {figures['read']:.1f}, judge {figures['judge']:.1f}, export {figures['export']:.1f}), "
                f"peak {figures['peak_mb']:.0f} MB (+ {figures['workers']} worker(s) at most "
                f"{figures['worker_peak_mb']:.0f} MB each), {figures['rows'] / figures['seconds']:,.0f} rows/s, "
                f"{figures['distinct']:,} distinct labels judged; targets "
                f"{seconds_target or '-'} s / {memory_target or '-'} MB: {'OK' if ok else 'MISSED'}"
            )
            print(f"         verdicts: {figures['summary']}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
