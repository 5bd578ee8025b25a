"""Product types and changed verdicts on every real product in ../shared/data (never committed).

In:  the shared datasets (benchmarks/labels.py load_products: label text, name, category), and
     optionally a file of verdicts saved by an earlier checker (--before).
Out: on standard output, per dataset and category, how many products are detected as each type (the
     sun categories read in full: every product not detected as a sunscreen is listed); with --before,
     how many whole-window verdicts changed, grouped by why (product rules gained or lost, ingredient
     flags that moved), and --changes FILE writes every changed product for reading by hand.

    # the verdicts of the checker at another commit, e.g. before the product stage:
    git archive 9ecce67 checker data | tar -x -C /tmp/base
    python3 scripts/product_types_report.py --checker-root /tmp/base --save /tmp/before.jsonl
    python3 scripts/product_types_report.py --before /tmp/before.jsonl --changes /tmp/changes.jsonl
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUN_WORDS = ("sun", "spf")  # a file's category that says sun protection


def _checker(root: Path):
    sys.path.insert(0, str(root))
    from checker import get_checker

    return get_checker()


def _outcome(checker, product) -> dict:
    """One product's whole-window verdict, product rules, flagged tokens and type."""
    takes_category = "category" in inspect.signature(checker.check).parameters
    extra = {"category": product.category or None} if takes_category else {}
    try:
        report = checker.check(product.text, name=product.name or None, **extra).to_dict()
    except ValueError as error:
        return {"verdict": "unchecked", "error": str(error)}
    return {
        "verdict": report["verdict"] if any(i["inci"] for i in report["ingredients"]) else "unchecked",
        "safe_from_day": report["safe_from_day"],
        "rules": sorted({r["rule"] for r in report["product_rules"]}),
        "flags": {i["text"]: i["flag"] for i in report["ingredients"] if i["flag"] != "none"},
        "notes": {i["text"]: i["note"] for i in report["ingredients"] if i["flag"] != "none"},
        "type": report.get("product", {}).get("type", ""),
        "types": report.get("product", {}).get("types", []),
        "evidence": report.get("product", {}).get("evidence", []),
        "reason": report["reasons"][0] if report["reasons"] else "",
    }


def _why(before: dict, after: dict) -> list[str]:
    """Coarse reasons a verdict changed: product rules gained or lost, ingredient flags that moved."""
    why = [f"+rule {r}" for r in after.get("rules", []) if r not in before.get("rules", [])]
    why += [f"-rule {r}" for r in before.get("rules", []) if r not in after.get("rules", [])]
    old, new = before.get("flags", {}), after.get("flags", {})
    for text in sorted(set(old) | set(new)):
        if old.get(text, "none") != new.get(text, "none"):
            why.append(f"token {old.get(text, 'none')}->{new.get(text, 'none')}")
    if "kit" in after.get("types", []):
        why.insert(0, "kit")
    return why or ["other"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--checker-root", type=Path, default=ROOT, help="the repository whose checker/ and data/ to use"
    )
    parser.add_argument("--save", type=Path, help="write every product's outcome (JSONL) and stop")
    parser.add_argument("--before", type=Path, help="outcomes saved by an earlier checker, to count changes")
    parser.add_argument("--changes", type=Path, help="write the changed products (JSONL) for reading by hand")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.labels import load_products

    products = load_products()
    checker = _checker(args.checker_root)
    outcomes = [_outcome(checker, p) for p in products]
    if args.save:
        with args.save.open("w", encoding="utf-8") as out:
            for outcome in outcomes:
                out.write(json.dumps(outcome, ensure_ascii=False) + "\n")
        print(f"saved {len(outcomes)} outcomes to {args.save}")
        return 0
    _types_by_category(products, outcomes)
    if args.before:
        before = [json.loads(line) for line in args.before.read_text(encoding="utf-8").splitlines()]
        _changes(products, before, outcomes, args.changes)
    return 0


def _types_by_category(products, outcomes) -> None:
    table: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for product, outcome in zip(products, outcomes, strict=True):
        if product.category:
            table[(product.dataset, product.category)][outcome.get("type", "")] += 1
    print("## Detected type per file category (main type; categories with 15+ products)")
    for (dataset, category), counts in sorted(table.items(), key=lambda kv: (kv[0][0], -sum(kv[1].values()))):
        if sum(counts.values()) >= 15 or any(w in category.lower() for w in SUN_WORDS):
            shown = ", ".join(f"{t or '-'} {n}" for t, n in counts.most_common(6))
            print(f"{dataset[:28]:28} {category[:45]:45} {sum(counts.values()):5}  {shown}")
    print("\n## Products in a sun category not detected as a sunscreen")
    for product, outcome in zip(products, outcomes, strict=True):
        if any(w in product.category.lower() for w in SUN_WORDS) and "sunscreen" not in outcome.get("types", []):
            print(f"- [{product.dataset[:20]}] {product.category}: {product.name} -> {outcome.get('type')}")


def _changes(products, before, after, path: Path | None) -> None:
    changed = [
        (p, b, a)
        for p, b, a in zip(products, before, after, strict=True)
        if (b["verdict"], b.get("safe_from_day")) != (a["verdict"], a.get("safe_from_day"))
    ]
    print(f"\n## Whole-window verdicts changed: {len(changed)} of {len(products)}")
    moves = Counter(f"{b['verdict']} -> {a['verdict']}" for _, b, a in changed)
    print("  " + ", ".join(f"{m}: {n}" for m, n in moves.most_common()))
    reasons = Counter(reason for _, b, a in changed for reason in dict.fromkeys(_why(b, a)))
    print("  why (a product may count under several):")
    for reason, n in reasons.most_common(25):
        print(f"    {n:5}  {reason}")
    if path:
        with path.open("w", encoding="utf-8") as out:
            for product, b, a in changed:
                row = {
                    "dataset": product.dataset,
                    "name": product.name,
                    "category": product.category,
                    "before": {k: b.get(k) for k in ("verdict", "safe_from_day", "rules", "flags")},
                    "after": {k: a.get(k) for k in ("verdict", "safe_from_day", "rules", "flags", "types", "evidence")},
                    "why": _why(b, a),
                    "reason": a.get("reason"),
                    "notes": a.get("notes"),
                    "text": product.text[:1500],
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"  every changed product: {path}")


if __name__ == "__main__":
    sys.exit(main())
