"""A protocol made stricter for one patient: longer windows and harsher flags pass, laxer ones are refused."""

import pytest

from checker import ProtocolError
from checker.stricter import stricter

RETINOL = "Water, Glycerin, Retinol"
SUNSCREEN = "Zinc Oxide, Caprylic/Capric Triglyceride, Glycerin"


def test_a_longer_window_moves_the_day_the_product_is_fine(checker):
    strict = checker.with_protocol(stricter(checker.protocol, {"classes": {"retinoid": {"until_day": 10}}}))
    assert checker.check(RETINOL, day=7).verdict == "neutral"
    assert strict.check(RETINOL, day=7).verdict == "avoid"
    assert strict.check(RETINOL, day=10).verdict == "neutral"
    assert strict.check(RETINOL).safe_from_day == 10


def test_a_product_rule_can_be_made_stricter_too(checker):
    strict = checker.with_protocol(stricter(checker.protocol, {"products": {"sunscreen": {"until_day": 3}}}))
    assert strict.check(SUNSCREEN, day=2, name="sunscreen").verdict == "avoid"
    assert checker.check(SUNSCREEN, day=2, name="sunscreen").verdict == "neutral"


def test_a_harsher_flag_is_stricter(checker):
    strict = checker.with_protocol(stricter(checker.protocol, {"classes": {"fragrance": {"flag": "avoid"}}}))
    report = strict.check("Water, Glycerin, Parfum", day=1)
    assert report.verdict == "avoid" and report.safe_from_day == 3


def test_the_overridden_checker_shares_the_data_and_names_its_version(checker):
    strict = checker.with_protocol(stricter(checker.protocol, {"classes": {"retinoid": {"until_day": 10}}}))
    assert strict.lexicon is checker.lexicon and strict.types is checker.types
    assert checker.protocol.classes["retinoid"].until_day == 7  # the clinic's own protocol is untouched
    version = strict.check(RETINOL).protocol["version"]
    assert version.startswith(checker.protocol.version + "+patient-")
    assert strict.versions["protocol"] != checker.versions["protocol"]


@pytest.mark.parametrize(
    "changes, why",
    [
        ({"classes": {"retinoid": {"until_day": 5}}}, "ends before the clinic's day 7"),
        ({"classes": {"retinoid": {"flag": "caution"}}}, "laxer than the clinic's avoid"),
        ({"classes": {"retinoid": {"flag": "none"}}}, "only set flag avoid or caution"),
        ({"classes": {"collagen_peptide": {"flag": "encouraged"}}}, "only set flag avoid or caution"),
        ({"classes": {"fragrance": {"flag": "avoid", "until_day": 2}}}, "ends before the clinic's day 3"),
        ({"products": {"sunscreen": {"until_day": 1}}}, "ends before the clinic's day 2"),
        ({"classes": {"no_such_class": {"until_day": 9}}}, "no rule of this protocol"),
        ({"classes": {"retinoid": {"until_day": "10"}}}, "whole number"),
        ({"classes": {"retinoid": {"days": 10}}}, "flag and/or until_day"),
        ({"timeline": []}, "classes and/or products"),
    ],
    ids=["shorter", "caution", "none", "encouraged", "harsher-but-shorter", "product", "unknown", "text", "key", "sec"],
)
def test_anything_laxer_or_malformed_is_refused(checker, changes, why):
    with pytest.raises(ProtocolError, match=why):
        stricter(checker.protocol, changes)


def test_a_window_with_no_end_cannot_be_given_an_end(checker):
    forever = stricter(checker.protocol, {"classes": {"retinoid": {"until_day": None}}})
    assert forever.classes["retinoid"].until_day is None
    with pytest.raises(ProtocolError, match="ends before"):
        stricter(forever, {"classes": {"retinoid": {"until_day": 30}}})
