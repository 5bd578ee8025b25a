"""The four product files in ../shared/data imported as shelves: every row is accounted for.

Skipped when ../shared is not there (the files are never copied into this repository).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from shelf.batch import judge_inventory
from shelf.inventory import read_inventory
from shelf.store import forget_shelves, open_shelf

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
FILES = {  # file -> (encoding pandas needs, the ingredient column we expect to detect)
    "sephora_cosmetics_kaggle.csv": ("cp1252", "Ingredients"),
    "lookfantastic_skincare_products_clean.csv": ("utf-8", "clean_ingreds"),
    "sephora_skincare_scraped_2026_raw.csv": ("utf-8", "ingredients"),
    "sephora_skincare_scraped_2020_raw_html.csv": ("utf-8", "ingredients"),
}

pytestmark = [
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data not found at {SHARED}"),
    pytest.mark.slow,  # whole data sets
]


@pytest.mark.parametrize("name", sorted(FILES), ids=lambda name: name.removesuffix(".csv").replace("_skincare", ""))
def test_shared_file_as_shelf(name, tmp_path):
    """Rows in the file = products judged; verdict counts add up; stored = judged - merged duplicates."""
    encoding, ingredients = FILES[name]
    raw = (SHARED / name).read_bytes()
    expected_rows = len(pd.read_csv(SHARED / name, encoding=encoding, dtype=str))
    inventory = read_inventory(raw, name)
    assert inventory.columns.ingredients == ingredients
    assert inventory.encoding == ("cp1252" if encoding == "cp1252" else "utf-8")
    batch = judge_inventory(inventory)
    assert len(batch.rows) == len(inventory) == expected_rows
    assert sum(batch.summary.values()) == expected_rows
    assert batch.summary["avoid"] > 0 and batch.summary["neutral"] > 0
    unchecked = [row for row in batch.rows if row.verdict == "unchecked"]
    assert all(row.result.reason for row in unchecked)  # listed with a reason, never dropped
    try:
        shelf = open_shelf(f"sqlite:///{tmp_path / 'shelf.sqlite'}")
        report = shelf.replace(batch, inventory, source=name)
        assert shelf.count() == len(report.added) == expected_rows - report.merged
        assert sum(shelf.summary().values()) == shelf.count()
    finally:
        forget_shelves()


def test_list_literal_ingredients_are_read_as_lists():
    """lookfantastic's "['a', 'b']" cells are judged as ingredient lists, not one long name."""
    name = "lookfantastic_skincare_products_clean.csv"
    batch = judge_inventory(read_inventory((SHARED / name).read_bytes(), name))
    assert batch.summary["unchecked"] < len(batch.rows) * 0.05
