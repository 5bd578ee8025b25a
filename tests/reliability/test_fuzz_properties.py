"""Property tests on the parser, matcher and page extractor: they never raise anything but their
documented errors, and the page reader's budget bounds its work. The evil strings of the ReDoS test
(tests/reliability/test_redos.py) go through the whole checker and page reader too.

The page reader is given a clock that moves a fixed step at every reading (itertools.count), so its
budget is a number of candidates, the same on any machine.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from regex_steps import EVIL_UNITS

from checker import InputError, get_checker
from checker.parse import parse
from sources.page import NoIngredientList, extract

pytestmark = pytest.mark.slow  # hypothesis, and labels and pages of 20-120 kB

FAST = settings(max_examples=150)

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


@settings(max_examples=120)
@given(html_pages(), st.one_of(st.none(), st.text(max_size=60)))
def test_extract_raises_only_its_documented_errors(html, selection):
    try:
        found = extract(html, selection=selection, budget_s=0.5, checker=get_checker(), clock=ticks())
    except (NoIngredientList, InputError):
        return
    assert found.ingredients_text.strip()


def ticks(step: float = 0.01):
    """A clock that moves `step` seconds at every reading: a 1 s budget is 100 candidates."""
    return itertools.count(0, step).__next__


@pytest.mark.parametrize("unit, end", EVIL_UNITS, ids=[repr(unit)[1:-1] for unit, _ in EVIL_UNITS])
def test_evil_strings_end_to_end(unit, end):
    """20,000 repeats (20-120 kB) as a label, inside a list, as a bullet, and as a page's title,
    body and selection: each is answered or refused with a clear error."""
    evil = unit * 20_000 + end
    for text in (evil, f"Water, Glycerin, {evil}, Retinol", f"- {evil}: {evil}"):
        try:
            report = get_checker().check(text)
        except InputError as error:
            assert str(error)
        else:
            assert report.verdict in {"avoid", "caution", "neutral", "encouraged"}
    try:
        extract(
            f"<title>{evil}</title><h2>Ingredients</h2><p>{evil}</p>",
            title=evil,
            selection=evil[:5000],
            budget_s=1.0,
            checker=get_checker(),
            clock=ticks(),
        )
    except (NoIngredientList, InputError) as error:
        assert str(error)
