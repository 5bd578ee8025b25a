"""Benchmark: labels per second, start-up time, and the ratio against a naive matcher.

Checks every label in ../shared/data with the real checker, then runs a naive baseline over the
same labels: the same parser, then rapidfuzz `process.extractOne` of every token against the whole
vocabulary (no dict look-up, no patterns, no cache). Prints both rates and their ratio, plus
start-up (import + data load) measured in a fresh interpreter.

    python3 benchmarks/bench_check.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from benchmarks.labels import load_labels  # noqa: E402
from checker import Checker, InputError  # noqa: E402
from checker.lexicon import key  # noqa: E402
from checker.parse import parse  # noqa: E402

STARTUP = (
    "import time; t=time.perf_counter(); from checker import get_checker; get_checker(); print(time.perf_counter()-t)"
)


def run_checker(checker: Checker, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        try:
            checker.check(text)
        except InputError:
            pass
    return time.perf_counter() - started


def run_naive(checker: Checker, texts: list[str]) -> float:
    vocabulary = list(checker.lexicon.names)
    started = time.perf_counter()
    for text in texts:
        try:
            tokens = parse(text).tokens
        except InputError:
            continue
        for token in tokens:
            process.extractOne(key(token.name), vocabulary, scorer=fuzz.WRatio)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=600, help="labels for the (slow) naive run")
    args = parser.parse_args()

    texts = [text for _, text in load_labels()]
    if not texts:
        sys.exit("no labels: ../shared/data is not beside the repo")
    startups = [
        float(
            subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        )
        for _ in range(args.repeat)
    ]
    print(
        f"start-up (import + load, fresh interpreter): median {statistics.median(startups):.3f} s "
        f"over {args.repeat} runs"
    )

    cold = Checker()
    cold_seconds = run_checker(cold, texts)
    warm = [run_checker(cold, texts) for _ in range(args.repeat)]
    print(
        f"checker, cold cache (first pass): {len(texts)} labels in {cold_seconds:.2f} s = "
        f"{len(texts) / cold_seconds:,.0f} labels/s"
    )
    print(f"checker, warm cache (median of {args.repeat}): {len(texts) / statistics.median(warm):,.0f} labels/s")

    sample = texts[: args.naive_sample]
    naive_seconds = run_naive(cold, sample)
    fresh = Checker()
    ours_seconds = run_checker(fresh, sample)
    naive_rate, ours_rate = len(sample) / naive_seconds, len(sample) / ours_seconds
    print(
        f"same {len(sample)} labels, cold caches: checker {ours_rate:,.0f} labels/s, "
        f"naive extractOne baseline {naive_rate:,.0f} labels/s, ratio {ours_rate / naive_rate:.1f}x"
    )


if __name__ == "__main__":
    main()
