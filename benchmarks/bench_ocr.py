"""Benchmark: how well a photo of a label is read, against the label's own text.

For every photo made by scripts/make_ocr_testset.py (made first when the folder is empty), reads
the photo (sources.photo.ocr + sources.photo.barcode) and checks both the photo's text and the original text:

- ingredients recovered: of the ingredients the checker recognises in the original text, the share
  it also recognises in the photo's text (pooled over all photos);
- verdict agreement: same verdict for the photo and the text, on each of DAYS;
- new avoid flags: an ingredient flagged 'avoid' from the photo but not from the text (target: 0);
- barcodes: drawn / read / read wrong; median and 90th-percentile seconds per photo (OCR + barcode).

With --photos (default ../shared/eval/label_photos.json; the images in ../shared/data/label_photos/),
real photographs are read and compared with their careful transcriptions, per photo and in total:

- recovered: of the ingredients the checker recognises in the transcription (a multiset of INCI
  names: a name listed twice counts twice), the share also recognised in the photo's reading;
- verdict: the photo's verdict (whole window) equals the transcription's;
- avoid missing / added: avoid flags of the transcription not raised from the photo, and the reverse;
- refused: no text read, or no list found in it; poor: the reading says it is poor (sources.photo
  assessment), and reassuring: the photo's verdict is milder than the transcription's;
- seconds: median and 90th percentile per photo (PP-OCR's models are loaded first, as at a
  server's start-up); the load average is printed with the figures, the machine being shared.

    python3 benchmarks/bench_ocr.py [--set rendered|photos|both] [--dir artifacts/ocr_testset]
                                    [--photos ../shared/eval/label_photos.json] [--limit N] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import InputError, get_checker  # noqa: E402
from sources.photo.barcode import read_barcode  # noqa: E402
from sources.photo.engine import warm  # noqa: E402
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
        reading = read_image(data, checker=checker)
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


# Verdicts from the most to the least reassuring: a photo below its transcription is reassuring.
SEVERITY = {"encouraged": 0, "neutral": 1, "caution": 2, "avoid": 3}


def _seconds(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {
        "median_seconds": round(statistics.median(ordered), 3),
        "p90_seconds": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
    }


def read_photo(data: bytes):
    """Photo bytes -> (reading or None when it cannot be read, poor: bool), as the web layer reads."""
    from sources.photo.ocr import ImageError

    try:
        reading = read_image(data, checker=get_checker())
    except ImageError:
        return None, True
    return reading, bool(getattr(reading, "poor", False))


def measure_photos(eval_file: Path, limit: int | None, show_misses: bool) -> dict:
    """Real photos against their transcriptions: the rows and the totals described in the docstring."""
    checker = get_checker()
    entries = json.loads(eval_file.read_text())["photos"][:limit]
    folder = eval_file.parent.parent / "data" / "label_photos"
    rows, seconds = [], []
    for entry in entries:
        started = time.perf_counter()
        reading, poor = read_photo((folder / entry["file"]).read_bytes())
        seconds.append(time.perf_counter() - started)
        truth = checker.check(entry["transcription"])
        seen = safe_check(checker, reading.text, None) if reading and reading.words else None
        wanted, got = Counter(recognised(truth)), Counter(recognised(seen)) if seen else Counter()
        verdict = seen.verdict if seen else None
        row = {
            "photo": entry["file"],
            "recovered": round(sum((wanted & got).values()) / max(1, sum(wanted.values())), 3),
            "verdict": f"{truth.verdict}/{verdict}",
            "agree": truth.verdict == verdict,
            "avoid_missing": sorted(avoided(truth) - (avoided(seen) if seen else set())),
            "avoid_added": sorted((avoided(seen) if seen else set()) - avoided(truth)),
            "refused": seen is None,
            "poor": poor,
            "reassuring": seen is not None and SEVERITY[verdict] < SEVERITY[truth.verdict],
            "seconds": round(seconds[-1], 2),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        if show_misses:
            print(f"   missed {sorted((wanted - got).elements())}\n   text {reading.text if reading else None!r}")
    count = len(rows)
    return {
        "photos": count,
        "ingredients_recovered_mean": round(sum(r["recovered"] for r in rows) / count, 4),
        "verdict_agreement": sum(r["agree"] for r in rows),
        "avoid_missing": sum(len(r["avoid_missing"]) for r in rows),
        "avoid_added": sum(len(r["avoid_added"]) for r in rows),
        "refused": sum(r["refused"] for r in rows),
        "poor": sum(r["poor"] for r in rows),
        "reassuring_not_poor": sum(r["reassuring"] and not r["poor"] for r in rows),
        **_seconds(seconds),
    }


def main() -> None:
    warm()  # PP-OCR's models load before the first photo, as a server loads them at start-up
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["rendered", "photos", "both"], default="both")
    parser.add_argument("--dir", type=Path, default=ROOT / "artifacts" / "ocr_testset")
    parser.add_argument("--photos", type=Path, default=ROOT.parent / "shared" / "eval" / "label_photos.json")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if args.set in ("photos", "both"):
        print(json.dumps({"real_photos": measure_photos(args.photos, args.limit, args.show_misses)}, indent=1))
    if args.set in ("rendered", "both"):
        if not (args.dir / "manifest.json").exists():
            from scripts.make_ocr_testset import main as make

            make(["--out", str(args.dir)])
        print(json.dumps({"rendered": measure(args.dir, args.limit, args.show_misses)}, indent=1))
    print("load average (1, 5, 15 min):", " ".join(f"{n:.2f}" for n in os.getloadavg()))


if __name__ == "__main__":
    main()
