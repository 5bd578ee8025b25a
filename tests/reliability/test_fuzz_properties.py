"""Property tests on the parser, matcher and page extractor (never raise anything but their
documented errors, never take longer than a budget), and every module-level regex in checker/
against the classic ReDoS strings (time must grow linearly with the input)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from checker import InputError, get_checker
from checker.parse import parse
from sources.page import NoIngredientList, extract

FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow], database=None)

words = st.sampled_from(
    [
        "Water",
        "Aqua",
        "Retinol",
        "Glycolic Acid",
        "Glycerin",
        "PEG-40",
        "CI 77491",
        "(and)",
        "1,2-Hexanediol",
        "Parfum/Fragrance",
        "May contain:",
        "[+/-]",
        "Ingredients:",
        "nano",
        "\u202e",
        "\x00",
        "\ufeff",
        "Ã©",
        "ＲＥＴＩＮＯＬ",
        "-",
        "*",
        "•",
        "%",
        "0.5%",
        "\n",
        ", ",
        ";",
    ]
)
labels = st.one_of(
    st.text(max_size=600), st.lists(words, max_size=80).map(" ".join), st.lists(words, max_size=80).map(",".join)
)


@FAST
@given(labels)
def test_parse_never_raises_anything_but_input_error(text):
    try:
        parsed = parse(text)
    except InputError:
        return
    assert all(token.name.strip() for token in parsed.tokens)


@FAST
@given(st.one_of(st.text(max_size=120), words))
def test_matcher_answers_every_name(name):
    match = get_checker().matcher.match(name)
    assert match.recognised == (match.entry is not None)
    if match.method == "fuzzy":
        assert 0 < match.score <= 100


tags = st.sampled_from(
    [
        "div",
        "p",
        "span",
        "li",
        "ul",
        "h2",
        "details",
        "summary",
        "table",
        "td",
        "tr",
        "script",
        "style",
        "template",
        "svg",
        "dl",
        "dt",
        "dd",
        "br",
        "button",
    ]
)
attributes = st.sampled_from(
    [
        "",
        ' class="ingredients"',
        ' id="tab-ingredients"',
        ' aria-controls="x"',
        " hidden",
        ' itemprop="ingredients"',
        ' href="#ingredients"',
        ' id="x"',
    ]
)


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        tag, attribute = draw(tags), draw(attributes)
        parts.append(
            draw(
                st.sampled_from(
                    [
                        f"<{tag}{attribute}>",
                        f"</{tag}>",
                        "<!--",
                        "-->",
                        "<![CDATA[",
                        "&amp;",
                        "&#0;",
                        '<script type="application/ld+json">{"@type":"Product",',
                        "}</script>",
                    ]
                )
            )
        )
        parts.append(draw(st.one_of(words, st.text(max_size=30))))
    return "".join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(html_pages(), st.one_of(st.none(), st.text(max_size=60)))
def test_extract_never_raises_and_keeps_its_budget(html, selection):
    started = time.perf_counter()
    try:
        found = extract(html, selection=selection, budget_s=0.5, checker=get_checker())
        assert found.ingredients_text.strip()
    except NoIngredientList:
        pass
    except InputError:
        pass
    assert time.perf_counter() - started < 3.0


# --- ReDoS ----------------------------------------------------------------------------------------


def module_patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled regex held at module level in checker/ (also inside lists, tuples, dicts)."""
    found = []

    def collect(where: str, value, depth: int = 0):
        if isinstance(value, re.Pattern):
            found.append((where, value))
        elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                collect(where, item, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for key, item in value.items():
                collect(f"{where}[{key!r}]", item, depth + 1)

    for info in pkgutil.walk_packages(checker.__path__, "checker."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            collect(f"{info.name}.{name}", value)
    return found


PATTERNS = module_patterns()
# Classic pathological inputs: long runs of one character class, a run that almost matches and then
# fails at the end, nested brackets, repeated separators.
EVIL_MAKERS = [
    lambda n: "a" * n + "!",
    lambda n: "1" * n + "x",
    lambda n: " " * n + "x",
    lambda n: "a " * n + "!",
    lambda n: "(" * n,
    lambda n: "((a)" * n,
    lambda n: "," * n + "a",
    lambda n: "-" * n + "!",
    lambda n: "a1-" * n,
    lambda n: "Aa" * n + "\n",
    lambda n: "\t\n " * n + ".",
    lambda n: ".," * n,
    lambda n: "<a " * n,
    lambda n: "&#" * n,
    lambda n: "%" * n,
    lambda n: "/" * n + "!",
    lambda n: "ab" * n + "[",
    lambda n: "aa,bb;" * n,
    lambda n: "Acid " * n + "(",
    lambda n: "0." * n + "%",
]


def _seconds(pattern: re.Pattern, text: str) -> float:
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        pattern.search(text)
        best = min(best, time.perf_counter() - started)
    return best


def test_there_are_patterns_to_check():
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize("where, pattern", PATTERNS, ids=[w for w, _ in PATTERNS])
def test_pattern_is_linear_on_pathological_strings(where, pattern):
    """Exponential backtracking shows at a few dozen characters, polynomial at thousands: for each
    evil string, 4x longer input may cost at most ~10x the time (linear is 4x), and 10,000 repeats
    take less than half a second."""
    for make in EVIL_MAKERS:
        assert _seconds(pattern, make(24)) < 0.05, f"{where}: exponential on {make(3)!r}..."
        small, large = _seconds(pattern, make(2_500)), _seconds(pattern, make(10_000))
        assert large < 0.5, f"{where}: {large:.2f} s on 10,000 repeats of {make(1)!r}"
        if large > 0.01:
            assert large / max(small, 1e-6) < 10, f"{where}: superlinear on {make(1)!r} ({small:.3f} -> {large:.3f} s)"


@pytest.mark.parametrize("make", EVIL_MAKERS, ids=[repr(make(1))[:12] for make in EVIL_MAKERS])
def test_evil_strings_through_the_checker_and_the_page_reader(make):
    """20,000 repeats (20-120 kB) as a label, inside a list, as a bullet, and as a page's title,
    body and selection: each answered within its budget."""
    evil = make(20_000)
    for text in (evil, f"Water, Glycerin, {evil}, Retinol", f"- {evil}: {evil}"):
        started = time.perf_counter()
        try:
            get_checker().check(text)
        except InputError:
            pass
        assert time.perf_counter() - started < 3.0, repr(text[:40])
    started = time.perf_counter()
    try:
        extract(
            f"<title>{evil}</title><h2>Ingredients</h2><p>{evil}</p>",
            title=evil,
            selection=evil[:5000],
            budget_s=1.0,
            checker=get_checker(),
        )
    except (NoIngredientList, InputError):
        pass
    assert time.perf_counter() - started < 5.0
