"""A clinic chooses its protocol: the default, a shipped protocol by id, or its own file."""

import re

import pytest

from checker import Checker, ProtocolError, get_checker
from checker.protocol import Protocol
from checker.protocols import DEFAULT_ID, resolve, shipped


def test_no_choice_is_the_clinic_sheet():
    assert DEFAULT_ID == "clinic-sheet"
    assert resolve(None) == resolve("") == shipped()["clinic-sheet"]


def test_a_shipped_id_names_its_file_and_a_path_is_a_clinics_own_file(tmp_path):
    own = tmp_path / "our-clinic.toml"
    assert resolve("clinic-sheet").name == "clinic-sheet.toml"
    assert resolve(str(own)) == own
    assert resolve(own) == own


def test_an_unknown_id_names_the_shipped_ones():
    with pytest.raises(ProtocolError, match="clinic-sheet"):
        resolve("no-such-protocol")


def test_the_same_protocol_chosen_two_ways_is_one_checker():
    assert get_checker() is get_checker("clinic-sheet") is get_checker(str(resolve(None)))


# --- Every shipped protocol is a full protocol ------------------------------------------------------

PRESETS = [i for i in shipped() if i != DEFAULT_ID]
WINDOWED = re.compile(r"^\[(classes|products)\.(\w+)\]\n(?:(?!\[).*\n)*?until_day = ", re.M)


def test_the_default_and_at_least_two_presets_are_shipped():
    assert DEFAULT_ID in shipped() and len(PRESETS) >= 2


@pytest.mark.parametrize("protocol_id", list(shipped()))
def test_each_protocol_rules_every_data_class(protocol_id):
    """Checker(path) refuses a protocol missing a class; the sets are compared here so a failure names them."""
    checker = Checker(shipped()[protocol_id])
    assert checker.lexicon.classes <= set(checker.protocol.classes)
    rule_types = {clause.type for rule in checker.protocol.products.values() for clause in rule.when if clause.type}
    assert rule_types <= set(checker.types.names)
    assert checker.protocol.source and checker.protocol.timeline and checker.protocol.version != "unversioned"


@pytest.mark.parametrize("protocol_id", PRESETS)
def test_each_window_cites_its_source(protocol_id):
    """A rule with a window has a comment right above its header: the source, or 'not stated by the source'."""
    text = shipped()[protocol_id].read_text(encoding="utf-8")
    lines = text.splitlines()
    windowed = [m.group(0).split("\n", 1)[0] for m in WINDOWED.finditer(text)]
    assert windowed
    for header in windowed:
        above = lines[lines.index(header) - 1]
        assert above.startswith("# "), f"{protocol_id}: {header} has no comment saying where its window comes from"


# --- Each preset differs from the default where its source says so ----------------------------------

MINERAL_SUNSCREEN = ("Aqua, Zinc Oxide, Titanium Dioxide, Glycerin", "Mineral Sunscreen SPF 30")
CHEMICAL_SUNSCREEN = ("Aqua, Avobenzone, Octocrylene, Homosalate, Glycerin", "Daily Sun Fluid SPF 50")
RETINOL_SERUM = ("Aqua, Glycerin, Retinol, Phenoxyethanol", "Retinol Serum")
TINTED = ("Aqua, Glycerin, Titanium Dioxide, CI 77491, CI 77492, Phenoxyethanol", "Tinted Moisturiser")
ALCOHOL_TONER = ("Aqua, Alcohol Denat., Glycerin, Phenoxyethanol", "Clarifying Toner")


def verdicts(protocol_id: str, product: tuple[str, str], days) -> list[str]:
    text, name = product
    return [get_checker(protocol_id).check(text, day=day, name=name).verdict for day in days]


@pytest.mark.parametrize(
    "product, days, default, dermapen, skinpen",
    [
        # both makers allow sunscreen after the first 24 hours; the sheet waits until day 2
        (MINERAL_SUNSCREEN, [1], ["avoid"], ["neutral"], ["neutral"]),
        # Dermapen: on the treatment day only a physical sunscreen (its own): a mineral one is a caution
        (MINERAL_SUNSCREEN, [0], ["avoid"], ["caution"], ["avoid"]),
        # both makers prefer a mineral sunscreen: an organic-filter one stays a caution for a while
        (
            CHEMICAL_SUNSCREEN,
            [0, 3, 9, 13],
            ["avoid", "neutral", "neutral", "neutral"],
            ["avoid", "caution", "caution", "neutral"],
            ["avoid", "caution", "caution", "caution"],
        ),
        # Dermapen: actives (retinol included) after day 3; SkinPen: days 1-6 without them, as the sheet
        (
            RETINOL_SERUM,
            [2, 3, 4, 7],
            ["avoid", "avoid", "avoid", "neutral"],
            ["avoid", "neutral", "neutral", "neutral"],
            ["avoid", "avoid", "avoid", "neutral"],
        ),
        # makeup: the day after treatment for both makers; day 2 for the sheet
        (TINTED, [0, 1], ["avoid", "avoid"], ["avoid", "neutral"], ["avoid", "neutral"]),
        # Dermapen: alcohol-based toners stay off for 10-14 days (the sheet: the first days)
        (ALCOHOL_TONER, [5, 13, 14], ["neutral"] * 3, ["caution", "caution", "neutral"], ["neutral"] * 3),
    ],
    ids=["mineral-day1", "mineral-day0", "chemical-sunscreen", "retinol", "tinted", "alcohol-toner"],
)
def test_presets_differ_as_sources_say(product, days, default, dermapen, skinpen):
    assert verdicts(DEFAULT_ID, product, days) == default
    assert verdicts("dermapen-day3", product, days) == dermapen
    assert verdicts("skinpen-24h-mineral", product, days) == skinpen


@pytest.mark.parametrize("protocol_id", sorted(shipped()))
def test_timeline_stages_use_day_numbers(protocol_id):
    stages = Protocol.load(shipped()[protocol_id]).timeline
    assert stages and stages[0]["from_day"] == 0
    for stage, following in zip(stages, [*stages[1:], None], strict=True):
        assert isinstance(stage["from_day"], int)
        if following is not None:  # the stages follow each other without a gap or an overlap
            assert stage["to_day"] + 1 == following["from_day"], stage["title"]
        else:
            assert "to_day" not in stage, "the last stage runs on"
