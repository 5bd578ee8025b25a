"""What the clinic sheet asks each day that no product covers, from the protocol's timeline."""

import pytest

from plan.advice import advice_for, entry_days, is_product_free


@pytest.mark.parametrize(
    "entry, days",
    [
        ({"from_day": 0, "to_day": 0}, (0, 0)),
        ({"from_day": 2, "to_day": 6, "title": "Days 3 to 7"}, (2, 6)),
        ({"from_day": 7}, (7, None)),
        ({"days": "When the redness fades"}, None),
        ({"days": "Days 2 to 6"}, None),
    ],
    ids=["day", "range", "onwards", "no-numbers", "words-only"],
)
def test_the_days_an_entry_covers(entry, days):
    assert entry_days(entry) == days


@pytest.mark.parametrize(
    "line, free",
    [
        ("Sun exposure and sunscreen: the skin channels are completely open.", True),
        ("Sweating and heavy exercise.", True),
        ("Water: stay hydrated.", True),
        ("A cooling face mask to reduce inflammation and redness.", True),
        ("Face makeup until 48 hours have passed (then only with clean brushes).", False),
        ("'Active' skin care: AHAs, BHAs, retinol and similar agents, strong vitamin C, scrubs.", False),
        ("Sunscreen.", False),
    ],
    ids=["sun", "sweat", "water", "mask", "makeup", "actives", "sunscreen"],
)
def test_a_line_about_skin_care_is_left_to_the_products(line, free):
    assert is_product_free(line) is free


def test_the_clinic_sheets_advice_by_day(checker):
    timeline = checker.protocol.timeline
    day0, day2, day7 = (advice_for(timeline, day) for day in (0, 2, 7))
    assert "Sweating: bacteria on the skin may enter the punctures." in day0["avoid"]
    assert "A cooling face mask to reduce inflammation and redness." in day0["do"]
    assert day2 == {"avoid": ["Long sun exposure."], "do": ["Water: stay hydrated."]}
    assert day7 == {"avoid": [], "do": []}
    assert day0["do"].count("Water: stay hydrated.") == 1
