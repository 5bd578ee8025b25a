"""Fixtures of the plan tests: a patient's five-product routine, a preset protocol, label fixtures."""

import re

import pytest
from plan_helpers import LABELS, ROUTINE

from checker import Checker
from checker.protocol import SHIPPED_PATH
from plan import read_products


@pytest.fixture
def routine():
    """A retinol serum, a mineral sunscreen, a tinted moisturiser, a peptide cream, a fragranced cleanser."""
    return read_products(ROUTINE)


def _set_window(text: str, table: str, until_day: int) -> str:
    """The protocol text with one table's until_day changed."""
    pattern = rf"(\[{re.escape(table)}\]\nflag = \"\w+\"\nuntil_day = )\d+"
    changed, count = re.subn(pattern, rf"\g<1>{until_day}", text)
    assert count == 1, table
    return changed


@pytest.fixture(scope="session")
def preset(tmp_path_factory):
    """A device maker's kind of protocol, written from the clinic sheet: sunscreen and makeup from day 1,
    fragrance from day 2, retinoids from day 3."""
    text = SHIPPED_PATH.read_text(encoding="utf-8")
    for table, day in [
        ("classes.uv_filter", 1),
        ("products.sunscreen", 1),
        ("products.makeup", 1),
        ("classes.fragrance", 2),
        ("classes.retinoid", 3),
    ]:
        text = _set_window(text, table, day)
    path = tmp_path_factory.mktemp("protocols") / "device-maker.toml"
    path.write_text(text.replace('version = "2026-11-24.1"', 'version = "preset-1"'), encoding="utf-8")
    return Checker(path)


@pytest.fixture
def label_text():
    """A label fixture's text by name: label_text('kit_three_products')."""
    return lambda name: (LABELS / f"{name}.txt").read_text(encoding="utf-8")
