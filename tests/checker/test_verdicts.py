"""Verdict words and severity come from one table (data/verdicts.toml, checker/verdicts.py); the
treatment's name comes from the protocol."""

from pathlib import Path

import pytest

from checker import Checker
from checker.engine import DATA_DIR
from checker.verdicts import (
    BADGE_WORDS,
    CLI_WORDS,
    FLAGS,
    PAGE_LINES,
    PAGE_WORDS,
    SEVERITY,
    SHELF_WORDS,
    TAG_WORDS,
    UNCHECKED,
    VERDICT_OF_FLAG,
    VERDICTS,
    VerdictsError,
    load,
    tag_line,
)


def test_verdicts_and_flags_run_from_the_most_severe():
    assert VERDICTS == ("avoid", "caution", "encouraged", "neutral", UNCHECKED)
    assert FLAGS == ("avoid", "caution", "encouraged", "none")
    assert SEVERITY["avoid"] > SEVERITY["caution"] > SEVERITY["encouraged"] > SEVERITY["none"] == 0
    assert VERDICT_OF_FLAG == {"avoid": "avoid", "caution": "caution", "encouraged": "encouraged", "none": "neutral"}


def test_every_audience_has_a_word_for_every_verdict_it_shows():
    assert set(PAGE_WORDS) == set(SHELF_WORDS) == set(TAG_WORDS) == set(VERDICTS)
    assert set(CLI_WORDS) == set(VERDICTS) - {UNCHECKED}  # the command line always reports a verdict
    assert set(BADGE_WORDS) == set(FLAGS)


def test_each_audience_keeps_its_own_words_with_one_meaning():
    """The page speaks to patients, the shelf to staff, the tag to customers at the shelf; a label
    fine to use is "Fine to use" to all three (issue 14: one vocabulary)."""
    assert (CLI_WORDS["avoid"], PAGE_WORDS["avoid"], SHELF_WORDS["avoid"]) == (
        "AVOID for now",
        "Avoid for now",
        "Avoid",
    )
    assert (PAGE_WORDS["neutral"], SHELF_WORDS["neutral"], BADGE_WORDS["none"]) == (
        "Fine to use",
        "Fine to use",
        "Nothing to avoid",
    )
    assert TAG_WORDS["neutral"] == SHELF_WORDS["neutral"]
    assert PAGE_LINES["neutral"].format(when="today") == "Fine to use today according to your clinic's aftercare sheet."
    assert (PAGE_WORDS[UNCHECKED], SHELF_WORDS[UNCHECKED], TAG_WORDS[UNCHECKED]) == (
        "Not checked",
        "Not checked",
        "Not checked",
    )


@pytest.mark.parametrize(
    "verdict, day, line",
    [
        ("avoid", 7, "OK after microneedling from day 7"),
        ("avoid", None, "Not for use after microneedling"),
        ("encouraged", 0, "Recommended after microneedling"),
        ("neutral", 0, "OK after microneedling"),
        ("caution", 0, "Ask staff before use after microneedling"),
        (UNCHECKED, None, "Ingredients not checked: ask staff"),
    ],
)
def test_tag_lines(verdict, day, line):
    assert tag_line(verdict, day, "microneedling") == line


def test_the_tag_names_the_protocols_treatment():
    assert tag_line("avoid", 14, "a chemical peel") == "OK after a chemical peel from day 14"


def test_the_shipped_protocol_names_its_treatment(checker):
    assert checker.protocol.treatment == "microneedling"


def test_a_protocol_without_a_treatment_says_treatment(tmp_path: Path):
    text = (
        (DATA_DIR / "protocols" / "clinic-sheet.toml")
        .read_text(encoding="utf-8")
        .replace('treatment = "microneedling"\n', "")
    )
    path = tmp_path / "protocol.toml"
    path.write_text(text, encoding="utf-8")
    assert Checker(path).protocol.treatment == "treatment"


def test_a_malformed_vocabulary_names_the_file_and_the_verdict(tmp_path: Path):
    path = tmp_path / "verdicts.toml"
    path.write_text('[[verdict]]\nname = "avoid"\nflag = "avoid"\npage = "Avoid"\n', encoding="utf-8")
    with pytest.raises(VerdictsError, match="verdicts.toml: verdict 'avoid': missing"):
        load(path)
