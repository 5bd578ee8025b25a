"""A patient's stricter plan: staff changes applied over the clinic's protocol, never laxer."""

import pytest
from plan_helpers import TREATED_ON

from checker import InputError, ProtocolError
from plan import build_plan
from plan.override import read_override


def test_actives_until_day_10_keep_the_serum_out_longer(checker, routine):
    override = read_override(
        {"changes": {"classes": {"retinoid": {"until_day": 10}}}, "note": "Deeper session"}, checker
    )
    plan = build_plan(override.checker(checker), routine, TREATED_ON, TREATED_ON, override.protocol_note())
    assert plan.last_day == 10
    assert plan.to_dict()["days"][7]["leave_out"][0]["name"] == "night serum"
    protocol = plan.to_dict()["protocol"]
    assert protocol["override"]["note"] == "Deeper session" and protocol["override"]["stricter"] is True
    assert "+patient-" in protocol["version"]


def test_the_same_override_is_one_checker(checker):
    raw = {"changes": {"products": {"sunscreen": {"until_day": 3}}}}
    assert read_override(raw, checker).checker(checker) is read_override(raw, checker).checker(checker)


def test_an_override_that_is_laxer_is_refused_when_it_is_made(checker):
    with pytest.raises(ProtocolError, match="only be stricter"):
        read_override({"changes": {"classes": {"retinoid": {"until_day": 3}}}}, checker)


@pytest.mark.parametrize(
    "raw", [[], {"changes": {}, "extra": 1}, {"note": 5}, {"note": "x" * 301}], ids=["list", "key", "note", "long"]
)
def test_a_malformed_override_is_refused(checker, raw):
    with pytest.raises(InputError):
        read_override(raw, checker)
