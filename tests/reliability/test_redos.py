"""ReDoS: no regular expression in checker/, sources/, shelf/ or data/families.csv backtracks
super-linearly.

Every compiled pattern held at module level (also inside lists, tuples and dicts, so patterns built
from data files at import are found too) and every family pattern the lexicon loads is run on
classic pathological strings and on runs of the characters its own repeats accept, each at two
lengths. The work is counted in backtracking steps
(tests/regex_steps.py), not timed, so the verdict is the same on any machine however busy: twice the
text may cost at most GROWTH times the steps (linear work doubles), and no text may cost more than
STEPS_PER_CHAR steps a character (exponential backtracking stops there). The method is first shown
to catch patterns known to be catastrophic.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from regex_steps import EVIL_UNITS, TooManySteps, repeated_runs, steps

import checker
import shelf
import sources
from checker import get_checker

GROWTH = 2.5  # linear work doubles with the text; quadratic quadruples
STEPS_PER_CHAR = 500  # far above what a linear pattern here needs; exponential ones pass it at once
REPEATS = 40  # the shorter text repeats each evil unit this many times, the longer one twice as many


def module_patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled regex held at module level in checker/, sources/ and shelf/, named once."""
    found: dict[int, tuple[str, re.Pattern]] = {}

    def collect(where: str, value, depth: int = 0):
        if isinstance(value, re.Pattern):
            found.setdefault(id(value), (where, value))
        elif depth < 2 and isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                collect(f"{where}[{index}]", item, depth + 1)
        elif depth < 2 and isinstance(value, (set, frozenset)):
            for item in value:
                collect(where, item, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for key, item in value.items():
                collect(f"{where}[{key!r}]", item, depth + 1)

    for package in (checker, sources, shelf):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                collect(f"{info.name}.{name}", value)
    return list(found.values())


PATTERNS = module_patterns()
FAMILIES = [(family.name, family.pattern) for family in get_checker().lexicon.families]


def evil_texts(pattern: re.Pattern, repeats: int) -> list:
    """The classic units, then each character the pattern repeats after the literal text before it,
    run on, and run on and cut short by a NUL."""
    texts = [unit * repeats + end for unit, end in EVIL_UNITS]
    if isinstance(pattern.pattern, bytes):
        texts = [text.encode() for text in texts]
    nul = b"\x00" if isinstance(pattern.pattern, bytes) else "\x00"
    for before, char in repeated_runs(pattern):
        texts += [before + char * repeats, before + char * repeats + nul]
    return texts


def superlinear_text(pattern: re.Pattern):
    """The first evil text on which the pattern's steps grow faster than the text, or None."""
    for short, long in zip(evil_texts(pattern, REPEATS), evil_texts(pattern, 2 * REPEATS), strict=True):
        try:
            few = steps(pattern, short, limit=STEPS_PER_CHAR * len(short))
            many = steps(pattern, long, limit=STEPS_PER_CHAR * len(long))
        except TooManySteps:
            return short
        if many > GROWTH * few:
            return short
    return None


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"(\w+\s?)+:", r"^(a|aa)+$", r"\w+\w+$", r"\s+\|\s+[^|]+$", r"\s*,\s*", r"(?i)x[–—]*[–—]*y"],
    ids=["nested", "words-colon", "alternatives", "two-runs", "search-quadratic", "spaces-comma", "dashes"],
)
def test_the_method_catches_catastrophic_patterns(pattern):
    """Exponential (nested repeats, overlapping alternatives) and polynomial (two repeats of one
    class in a row, a run retried from every start) backtracking are all found."""
    assert superlinear_text(re.compile(pattern)) is not None


@pytest.mark.parametrize("pattern", [r"\s+", r"(?<!\s)\s+\|\s+[^|]+$", r"[^,]+(?:,\s*[^,]+)*"])
def test_the_method_passes_linear_patterns(pattern):
    assert superlinear_text(re.compile(pattern)) is None


def test_there_are_patterns_to_check():
    assert len(PATTERNS) >= 50


@pytest.mark.parametrize("where, pattern", PATTERNS, ids=[where for where, _ in PATTERNS])
def test_is_linear(where, pattern):
    text = superlinear_text(pattern)
    assert text is None, f"{where} backtracks super-linearly on {text[:24]!r}..."


@pytest.mark.parametrize("name, pattern", FAMILIES, ids=[name for name, _ in FAMILIES])
def test_family_pattern_is_linear(name, pattern):
    """data/families.csv patterns run on every ingredient name of every label."""
    text = superlinear_text(pattern)
    assert text is None, f"family {name!r} backtracks super-linearly on {text[:24]!r}..."
