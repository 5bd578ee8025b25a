"""The plan of a routine: which products to use, use with care or leave out on each day, and why."""

from datetime import date, timedelta

import pytest
from plan_helpers import TREATED_ON

from checker import get_checker
from plan import build_plan, read_products
from plan.build import MAX_PLAN_DAYS


def lists(plan, day: int) -> dict[str, list[str]]:
    """The day's product names by what to do with them (only the lists that are not empty)."""
    data = plan.to_dict()["days"][day]
    return {
        key: [p["name"] for p in data[key]] for key in ("use", "with_care", "leave_out", "not_checked") if data[key]
    }


def plan_for(checker, products, today_day=0):
    return build_plan(checker, products, TREATED_ON, TREATED_ON + timedelta(days=today_day))


EVERYTHING = ["night serum", "sunscreen", "tinted moisturiser", "peptide cream", "cleanser"]

DEFAULT = {
    0: {
        "use": ["peptide cream"],
        "with_care": ["cleanser"],
        "leave_out": ["night serum", "sunscreen", "tinted moisturiser"],
    },
    1: {
        "use": ["peptide cream"],
        "with_care": ["cleanser"],
        "leave_out": ["night serum", "sunscreen", "tinted moisturiser"],
    },
    2: {
        "use": ["sunscreen", "tinted moisturiser", "peptide cream"],
        "with_care": ["cleanser"],
        "leave_out": ["night serum"],
    },
    3: {"use": ["sunscreen", "tinted moisturiser", "peptide cream", "cleanser"], "leave_out": ["night serum"]},
    7: {"use": EVERYTHING},
}

PRESET = {
    0: {
        "use": ["peptide cream"],
        "with_care": ["cleanser"],
        "leave_out": ["night serum", "sunscreen", "tinted moisturiser"],
    },
    1: {
        "use": ["sunscreen", "tinted moisturiser", "peptide cream"],
        "with_care": ["cleanser"],
        "leave_out": ["night serum"],
    },
    2: {"use": ["sunscreen", "tinted moisturiser", "peptide cream", "cleanser"], "leave_out": ["night serum"]},
    3: {"use": EVERYTHING},
}


@pytest.mark.parametrize("day", sorted(DEFAULT))
def test_the_routine_under_the_clinic_sheet(checker, routine, day):
    assert lists(plan_for(checker, routine), day) == DEFAULT[day]


@pytest.mark.parametrize("day", [0, 1, 2, 3])
def test_the_same_routine_under_a_preset_is_different(preset, routine, day):
    assert lists(plan_for(preset, routine), day) == PRESET[day]


def test_the_plan_runs_until_every_product_is_back(checker, preset, routine):
    assert plan_for(checker, routine).last_day == 7
    assert plan_for(preset, routine).last_day == 3


def test_each_day_is_what_the_single_product_check_says_that_day(checker, routine):
    plan = plan_for(checker, routine).to_dict()
    for day in plan["days"]:
        verdicts = {p["name"]: p["verdict"] for key in ("use", "with_care", "leave_out") for p in day[key]}
        for product in routine:
            alone = checker.check(product.text, day=day["day"], name=product.name)
            assert verdicts[product.name] == alone.verdict, (product.name, day["day"])


def test_a_left_out_product_says_why_and_when_it_is_back(checker, routine):
    day = plan_for(checker, routine).to_dict()["days"][2]
    serum = day["leave_out"][0]
    assert serum["name"] == "night serum" and serum["reason"] == "Retinol: retinoid (vitamin A)"
    assert serum["back_on_day"] == 7 and serum["back_on"] == "2026-12-08"
    assert serum["why"] == checker.check(routine[0].text, day=2, name="night serum").reasons[0]
    cleanser = day["with_care"][0]
    assert (
        cleanser["reason"] == "Fragrance" and cleanser["care_until_day"] == 3 and cleanser["care_until"] == "2026-12-04"
    )


def test_a_product_rule_is_the_reason_when_it_decides(checker, routine):
    day = plan_for(checker, routine).to_dict()["days"][0]
    assert {p["name"]: p["reason"] for p in day["leave_out"]}["sunscreen"] == "sunscreen"


def test_a_kit_contributes_its_parts(checker, label_text):
    products = read_products([{"name": "glow kit", "text": label_text("kit_three_products")}])
    plan = plan_for(checker, products)
    assert lists(plan, 0) == {
        "use": ["glow kit: Jelly Cleanser", "glow kit: Night Cream"],
        "leave_out": ["glow kit: Day Serum"],
    }
    assert lists(plan, 7) == {"use": ["glow kit: Jelly Cleanser", "glow kit: Day Serum", "glow kit: Night Cream"]}
    product = plan.to_dict()["products"][0]
    assert product["parts"] == ["glow kit: Jelly Cleanser", "glow kit: Day Serum", "glow kit: Night Cream"]
    assert product["safe_from_day"] == 7


def test_a_product_with_nothing_recognised_is_not_checked_never_fine(checker, routine):
    products = [*routine, *read_products([{"name": "mystery balm", "text": "Zorblax, Quintessa Flux"}])]
    plan = plan_for(checker, products)
    for day in plan.to_dict()["days"]:
        assert day["not_checked"] == [{"name": "mystery balm", "verdict": "unchecked"}]
        assert "mystery balm" not in [p["name"] for p in day["use"]]
    product = plan.to_dict()["products"][-1]
    assert product["checked"] is False and product["safe_from_day"] is None


def test_a_product_never_allowed_is_left_out_with_no_day_it_is_back(checker, routine):
    from checker.stricter import stricter

    forever = checker.with_protocol(stricter(checker.protocol, {"classes": {"retinoid": {"until_day": None}}}))
    plan = plan_for(forever, routine)
    assert plan.last_day == 3  # the other products are back by then
    serum = plan.to_dict()["days"][-1]["leave_out"][0]
    assert serum["name"] == "night serum" and serum["back_on_day"] is None and serum["back_on"] is None


def test_a_very_long_window_is_cut_at_the_plans_last_day(checker, routine):
    from checker.stricter import stricter

    long = checker.with_protocol(stricter(checker.protocol, {"classes": {"retinoid": {"until_day": 200}}}))
    plan = plan_for(long, routine)
    assert plan.last_day == MAX_PLAN_DAYS
    assert plan.to_dict()["days"][-1]["leave_out"][0]["back_on_day"] == 200


def test_the_plan_names_its_protocol_and_versions(checker, preset, routine):
    assert plan_for(checker, routine).to_dict()["protocol"]["version"] == checker.protocol.version
    protocol = plan_for(preset, routine).to_dict()["protocol"]
    assert protocol["version"] == "preset-1" and protocol["versions"] == preset.versions


def test_today_picks_the_day_and_the_reports(checker, routine):
    plan = plan_for(checker, routine, today_day=2)
    assert plan.day_for_today().day == 2 and plan.to_dict()["day"] == 2
    assert [r.day for r in plan.reports] == [2] * 5
    assert plan_for(checker, routine, today_day=30).day_for_today().day == 7
    before = build_plan(checker, routine, TREATED_ON, date(2026, 11, 28))
    assert before.day_for_today().day == 0 and before.reports[0].day is None


def test_days_with_the_same_plan_are_one_stretch(checker, routine):
    runs = [(first.day, last) for first, last in plan_for(checker, routine).stretches()]
    assert runs == [(0, 0), (1, 1), (2, 2), (3, 6), (7, 7)]


# The shipped presets (data/protocols/, docs/protocols.md): actives back on day 3 and any sunscreen
# only "with care" on the treatment day under the Dermapen maker's instructions; sunscreen and makeup
# back after 24 hours, actives still on day 7, under SkinPen's.
SHIPPED_PRESETS = {
    "dermapen-day3": {
        0: {
            "use": ["peptide cream"],
            "with_care": ["sunscreen", "cleanser"],
            "leave_out": ["night serum", "tinted moisturiser"],
        },
        1: {
            "use": ["sunscreen", "tinted moisturiser", "peptide cream"],
            "with_care": ["cleanser"],
            "leave_out": ["night serum"],
        },
        3: {"use": EVERYTHING},
    },
    "skinpen-24h-mineral": {
        0: {
            "use": ["peptide cream"],
            "with_care": ["cleanser"],
            "leave_out": ["night serum", "sunscreen", "tinted moisturiser"],
        },
        1: {
            "use": ["sunscreen", "tinted moisturiser", "peptide cream"],
            "with_care": ["cleanser"],
            "leave_out": ["night serum"],
        },
        3: {"use": ["sunscreen", "tinted moisturiser", "peptide cream", "cleanser"], "leave_out": ["night serum"]},
        7: {"use": EVERYTHING},
    },
}


@pytest.mark.parametrize(
    "protocol_id, day", [(p, d) for p, days in SHIPPED_PRESETS.items() for d in days], ids=lambda v: str(v)
)
def test_the_routine_under_a_shipped_preset(routine, protocol_id, day):
    assert lists(plan_for(get_checker(protocol_id), routine), day) == SHIPPED_PRESETS[protocol_id][day]
