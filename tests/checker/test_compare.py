"""Protocols side by side (checker/compare.py): the comparison lists every difference, and only those."""

from dataclasses import replace

import pytest

from checker.compare import compare, differences
from checker.protocol import Protocol
from checker.protocols import DEFAULT_ID, shipped

PRESETS = [i for i in shipped() if i != DEFAULT_ID]


def load(protocol_id: str) -> Protocol:
    return Protocol.load(shipped()[protocol_id])


def differing_rules(a: Protocol, b: Protocol) -> set[tuple[str, str]]:
    """Worked out here from the parsed files, not with compare(): (kind, name) of every rule whose
    flag or window differs, or that only one of the two has."""
    found = set()
    for kind, ours, theirs in [("class", a.classes, b.classes), ("product", a.products, b.products)]:
        for name in ours.keys() | theirs.keys():
            x, y = ours.get(name), theirs.get(name)
            if x is None or y is None or (x.flag, x.until_day) != (y.flag, y.until_day):
                found.add((kind, name))
    return found


@pytest.mark.parametrize("preset", PRESETS)
def test_it_lists_every_difference_from_the_default(preset):
    default, other = load(DEFAULT_ID), load(preset)
    rows = compare({DEFAULT_ID: default, preset: other}, DEFAULT_ID)
    expected = differing_rules(default, other)
    assert expected, "a preset that changes nothing is not a preset"
    assert {(row.kind, row.name) for row in differences(rows)} == expected
    every_rule = {(k, n) for k, rules in [("class", default.classes), ("product", default.products)] for n in rules}
    assert every_rule <= {(row.kind, row.name) for row in rows}


def test_a_changed_window_is_marked_in_the_preset_column_only():
    rows = {
        row.name: row for row in compare({DEFAULT_ID: load(DEFAULT_ID), "dermapen": load("dermapen-day3")}, DEFAULT_ID)
    }
    sheet, dermapen = rows["retinoid"].cells
    assert (sheet.window, sheet.changed) == ("until day 7", False)
    assert (dermapen.window, dermapen.changed) == ("until day 3", True)
    assert not rows["soothing"].differs and rows["soothing"].cells[1].window == ""


def test_a_rule_only_one_protocol_has_is_a_difference():
    rows = {
        row.name: row
        for row in compare({DEFAULT_ID: load(DEFAULT_ID), "skinpen": load("skinpen-24h-mineral")}, DEFAULT_ID)
    }
    missing, added = rows["chemical_sunscreen"].cells
    assert rows["chemical_sunscreen"].kind == "product" and rows["chemical_sunscreen"].differs
    assert missing.rule is None and added.changed and added.window == "until day 14"


def test_new_words_for_the_same_rule_are_not_a_difference():
    default = load(DEFAULT_ID)
    reworded = replace(
        default, classes={**default.classes, "aha": replace(default.classes["aha"], reason="Other words.")}
    )
    assert differences(compare({DEFAULT_ID: default, "reworded": reworded}, DEFAULT_ID)) == []


def test_the_baseline_must_be_one_of_the_protocols():
    with pytest.raises(KeyError, match="baseline"):
        compare({"a": load(DEFAULT_ID)}, DEFAULT_ID)
