"""Benchmark: how well a photo of a label is read, against the label's own text.

For every photo made by scripts/make_ocr_testset.py (made first when the folder is empty), reads
the photo (sources.photo.ocr + sources.photo.barcode) and checks both the photo's text and the original text:

- ingredients recovered: of the ingredients the checker recognises in the original text, the share
  it also recognises in the photo's text (pooled over all photos);
- verdict agreement: same verdict for the photo and the text, on each of DAYS;
- new avoid flags: an ingredient flagged 'avoid' from the photo but not from the text (target: 0);
- barcodes: drawn / read / read wrong; median and 90th-percentile seconds per photo (OCR + barcode).

    python3 benchmarks/bench_ocr.py [--dir artifacts/ocr_testset] [--limit N] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import InputError, get_checker  # noqa: E402
from sources.photo.barcode import read_barcode  # noqa: E402
from sources.photo.ocr import load_image, read_image  # noqa: E402

DAYS = (None, 1, 5, 10)  # the whole window, and days in each part of a typical protocol


def _name(item) -> str | None:
    """The recognised ingredient (a family entry has no INCI name: the name it matched)."""
    if not (item.match and item.match.entry):
        return None
    return item.match.entry.inci or item.match.matched_name


def recognised(report) -> list[str]:
    return [name for name in map(_name, report.items) if name]


def avoided(report) -> set[str]:
    return {_name(item) for item in report.items if _name(item) and item.flag == "avoid"}


def safe_check(checker, text: str, day):
    try:
        return checker.check(text, day=day)
    except InputError:
        return None


def measure(folder: Path, limit: int | None, show_misses: bool) -> dict:
    checker = get_checker()
    manifest = json.loads((folder / "manifest.json").read_text())[:limit]
    found = total = 0
    agree = {day: 0 for day in DAYS}
    new_avoid, seconds, barcodes = [], [], {"drawn": 0, "read": 0, "wrong": 0}
    for entry in manifest:
        data = (folder / entry["file"]).read_bytes()
        started = time.perf_counter()
        reading = read_image(data)
        code = read_barcode(load_image(data))
        seconds.append(time.perf_counter() - started)
        if entry["barcode"]:
            barcodes["drawn"] += 1
            barcodes["read"] += bool(code and code.digits == entry["barcode"])
        barcodes["wrong"] += bool(code and code.digits != entry["barcode"])
        for day in DAYS:
            truth, seen = safe_check(checker, entry["text"], day), safe_check(checker, reading.text, day)
            seen_verdict = seen.verdict if seen else None
            agree[day] += truth.verdict == seen_verdict
            if day is None:
                wanted, got = recognised(truth), set(recognised(seen)) if seen else set()
                total += len(set(wanted))
                found += len(set(wanted) & got)
                extra = (avoided(seen) - avoided(truth)) if seen else set()
                new_avoid += [(entry["file"], name) for name in extra]
                if show_misses and set(wanted) - got:
                    print(f"{entry['file']}: missed {sorted(set(wanted) - got)}")
            if show_misses and truth.verdict != seen_verdict:
                print(f"{entry['file']} day {day}: text {truth.verdict}, photo {seen_verdict}")
    count = len(manifest)
    return {
        "photos": count,
        "ingredients_recovered": round(found / total, 4) if total else None,
        "verdict_agreement": {str(day): round(n / count, 4) for day, n in agree.items()},
        "new_avoid_flags": new_avoid,
        "barcodes": barcodes,
        "median_seconds": round(statistics.median(seconds), 3),
        "p90_seconds": round(sorted(seconds)[int(0.9 * (count - 1))], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "artifacts" / "ocr_testset")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if not (args.dir / "manifest.json").exists():
        from scripts.make_ocr_testset import main as make

        make(["--out", str(args.dir)])
    print(json.dumps(measure(args.dir, args.limit, args.show_misses), indent=1))


if __name__ == "__main__":
    main()
