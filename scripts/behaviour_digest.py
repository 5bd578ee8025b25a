"""Digest of what the checker and the page reader answer on every real input in ../shared/data.

In:  the shared datasets (every label benchmarks/labels.py loads), the labelled cases in
     ../shared/eval/*.jsonl, and every saved page in ../shared/data/html_sephora_2020/ and
     ../shared/data/shop_pages/ (never committed).
Out: one SHA-256 per kind of output and one over all, printed; with --dump FOLDER, the outputs
     themselves as JSON lines, to diff when two digests differ.

A refactoring that must leave behaviour unchanged is run before and after: the digests must match.
The data files' own hashes ("versions") are left out, so moving a constant into a data file
keeps the digest.

    python3 scripts/behaviour_digest.py [--dump artifacts/digest]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.labels import SHARED_DATA, load_labels  # noqa: E402
from checker import Checker, InputError  # noqa: E402
from sources.page import extract  # noqa: E402

DAYS = (None, 0, 2, 7)
PAGE_FOLDERS = ("html_sephora_2020", "shop_pages")


def _report(checker: Checker, text: str, name: str | None = None) -> dict:
    out = {}
    for day in DAYS:
        try:
            report = checker.check(text, day=day, name=name).to_dict()
        except InputError as exc:
            out[str(day)] = {"error": str(exc)}
            continue
        report.get("protocol", {}).pop("versions", None)
        out[str(day)] = report
    return out


def _eval_cases() -> list[tuple[str, str, str | None]]:
    cases = []
    for path in sorted((SHARED_DATA.parent / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                cases.append((case.get("id", ""), case.get("text", ""), case.get("name")))
    return cases


def _pages() -> list[Path]:
    return sorted(p for folder in PAGE_FOLDERS for p in (SHARED_DATA / folder).glob("*.html"))


def _extraction(checker: Checker, path: Path) -> dict:
    html = path.read_text(encoding="utf-8", errors="replace")
    try:
        found = extract(html, url=None, budget_s=60, checker=checker).to_dict()
    except InputError as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    found["report"] = _report(checker, found["ingredients_text"], found["product"]["name"])
    return found


def outputs(checker: Checker):
    """Yield (kind, key, output) for every input."""
    for index, (dataset, text) in enumerate(load_labels()):
        yield "labels", f"{dataset}:{index}", _report(checker, text)
    for case_id, text, name in _eval_cases():
        yield "cases", case_id, _report(checker, text, name)
    for path in _pages():
        yield "pages", f"{path.parent.name}/{path.name}", _extraction(checker, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write each output as JSON lines to this folder")
    args = parser.parse_args()
    if not SHARED_DATA.exists():
        sys.exit(f"no shared data at {SHARED_DATA}")
    checker = Checker()
    digests, counts, dumps = {}, {}, {}
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    for kind, key, output in outputs(checker):
        line = json.dumps({"key": key, "output": output}, sort_keys=True, ensure_ascii=False)
        digests.setdefault(kind, hashlib.sha256()).update(line.encode() + b"\n")
        counts[kind] = counts.get(kind, 0) + 1
        if args.dump:
            dumps.setdefault(kind, []).append(line)
    total = hashlib.sha256()
    for kind, digest in digests.items():
        print(f"{kind:8} {counts[kind]:6} {digest.hexdigest()}")
        total.update(digest.digest())
    print(f"{'all':8} {sum(counts.values()):6} {total.hexdigest()}")
    for kind, lines in dumps.items():
        (args.dump / f"{kind}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
