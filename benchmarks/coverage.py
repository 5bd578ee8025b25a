"""Coverage of the ingredient data on real labels (a measurement, not a test).

Prints, over every label in ../shared/data: the share of tokens recognised without fuzzy
matching, the share recognised at all, verdict counts (whole window), the most frequent
unrecognised tokens, and a random sample of fuzzy matches to inspect by hand.

    python3 benchmarks/coverage.py [--sample 20] [--seed 1] [--top 40]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.labels import load_labels  # noqa: E402
from checker import InputError, get_checker  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    checker = get_checker()
    labels = load_labels()
    methods, verdicts, unknown = Counter(), Counter(), Counter()
    fuzzy, fuzzy_flags = [], []
    for _dataset, text in labels:
        try:
            report = checker.check(text)
        except InputError:
            verdicts["(input error)"] += 1
            continue
        verdicts[report.verdict if report.recognised else "(nothing recognised)"] += 1
        for item in report.items:
            methods[item.match.method or "unrecognised"] += 1
            if item.match.method == "fuzzy":
                fuzzy.append((item.token.text, item.match.matched_name, item.match.score, item.flag))
                if item.flag != "none":
                    fuzzy_flags.append(fuzzy[-1])
            elif not item.match.recognised:
                unknown[item.token.name.lower()] += 1
    total = sum(methods.values())
    certain = sum(methods[m] for m in ("exact", "synonym", "pattern"))
    print(f"labels: {len(labels)}  tokens: {total}")
    print(
        f"recognised without fuzzy: {certain / total:.1%}  recognised at all: {(certain + methods['fuzzy']) / total:.1%}"
    )
    print("by method: " + ", ".join(f"{m} {n} ({n / total:.1%})" for m, n in methods.most_common()))
    print("verdicts (whole window): " + ", ".join(f"{v} {n}" for v, n in verdicts.most_common()))
    print(f"\nmost frequent unrecognised tokens (top {args.top}):")
    for name, n in unknown.most_common(args.top):
        print(f"  {n:5d}  {name}")
    print(f"\n{min(args.sample, len(fuzzy))} random fuzzy matches (token -> match, score, flag):")
    for token, name, score, flag in random.Random(args.seed).sample(fuzzy, min(args.sample, len(fuzzy))):
        print(f"  {token!r} -> {name} ({score:.0f}) {flag}")
    print(f"\nfuzzy matches that carry a flag: {len(fuzzy_flags)} (distinct below)")
    for token, name, score, flag in sorted(set(fuzzy_flags)):
        print(f"  {token!r} -> {name} ({score:.0f}) {flag}")


if __name__ == "__main__":
    main()
