"""shelf.inventory refuses files whose shape would cost minutes of CPU or gigabytes, before reading
them: too many columns, a very long line or cell, workbook parts compressed as Excel never does."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from shelf.inventory import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    InventoryError,
    normalise_ingredients,
    read_inventory,
)

ROW = 'Hydra Cream,Maison Claire,3600000000001,"Water, Glycerin, Squalane"\n'


def test_a_real_sized_file_reads():
    inventory = read_inventory(("name,brand,barcode,ingredients\n" + ROW * 3).encode(), "shelf.csv")
    assert len(inventory.frame) == 3


def test_too_many_columns_are_refused_before_reading():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n"
    with pytest.raises(InventoryError, match="columns"):
        read_inventory((header + "x\n").encode(), "wide.csv")


def test_quoted_commas_are_not_columns():
    ingredients = ", ".join(f"Ingredient {i}" for i in range(MAX_COLUMNS + 50))
    raw = f'name,ingredients\nLong Serum,"{ingredients}"\n'.encode()
    assert read_inventory(raw, "long.csv").frame["ingredients"][0] == ingredients


def test_a_line_longer_than_the_limit_is_refused():
    raw = ("name,ingredients\nOne," + "x" * (MAX_LINE_CHARS + 1) + "\n").encode()
    with pytest.raises(InventoryError, match="Line 2"):
        read_inventory(raw, "long.csv")


def test_a_cell_spread_over_many_short_lines_is_refused():
    cell = "Water,\n" * (MAX_CELL_CHARS // 7 + 10)
    raw = f'name,ingredients\nOne,"{cell}"\n'.encode()
    with pytest.raises(InventoryError, match="cell"):
        read_inventory(raw, "tall.csv")


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_unusual_compression_is_refused(method):
    """A sheet that declares a small size but is BZIP2- or LZMA-compressed is refused unread."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "xl/worksheets/sheet1.xml", "<worksheet>" + " " * 100_000 + "</worksheet>", compress_type=method
        )
    with pytest.raises(InventoryError, match="compression"):
        read_inventory(buffer.getvalue(), "bomb.xlsx")


def test_a_huge_list_literal_is_read_in_linear_memory():
    """ast.literal_eval took about 200 bytes a character on a list literal; the reader stays near
    the size of the text itself."""
    cell = "[" + ", ".join(["'water'"] * 200_000) + "]"
    tracemalloc.start()
    try:
        text = normalise_ingredients(cell)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == ", ".join(["water"] * 200_000)
    assert peak < 30 * len(cell)
