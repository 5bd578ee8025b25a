"""shelf.export: original columns kept, verdict columns added, nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from shelf_helpers import fixture

from shelf import export
from shelf.batch import judge_inventory
from shelf.export import neutralise
from shelf.inventory import read_inventory


@pytest.fixture(scope="module")
def judged():
    inventory = read_inventory(fixture("clinic.csv"))
    return inventory, judge_inventory(inventory)


class TestNeutralise:
    @pytest.mark.parametrize(
        "cell, safe",
        [
            ("=1+1", "'=1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5", "-5"),
            ("+3.5", "+3.5"),
            ("Water", "Water"),
            ("", ""),
            (7, 7),
        ],
    )
    def test_cells(self, cell, safe):
        """Formula starters get an apostrophe; plain numbers do not."""
        assert neutralise(cell) == safe


class TestCsv:
    def test_original_columns_then_verdict_columns(self, judged):
        inventory, batch = judged
        data = export.to_csv(inventory.headers, export.batch_rows(batch, inventory.frame), batch.versions)
        assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][:5] == ["name", "brand", "barcode", "ingredients", "category"]
        assert rows[0][5:] == export.ADDED_COLUMNS
        serum = rows[1]
        assert serum[:3] == ["Night Renewal Serum", "Lumen", "0012345678905"]  # leading zero kept
        assert serum[5:10] == ["Avoid", "7", "Retinol (avoid until day 7)", "0", ""]
        assert len(rows) == 10

    def test_rows_name_the_protocol_and_version(self, judged, checker):
        inventory, batch = judged
        rows = export.batch_rows(batch, inventory.frame)
        text = export.to_csv(inventory.headers, rows, batch.versions, checker.protocol.name).decode("utf-8-sig")
        checked_with = {row[-1] for row in list(csv.reader(io.StringIO(text)))[1:]}
        assert checked_with == {
            f"protocol {checker.protocol.name} {batch.versions['protocol']}; data {batch.versions['ingredients']}"
        }

    def test_injection_neutralised(self, judged):
        """The supplier's '=HYPERLINK(...)' name is exported as text."""
        inventory, batch = judged
        text = export.to_csv(inventory.headers, export.batch_rows(batch, inventory.frame), batch.versions).decode(
            "utf-8-sig"
        )
        row = next(r for r in csv.reader(io.StringIO(text)) if "HYPERLINK" in r[0])
        assert row[0].startswith("'=HYPERLINK")
        assert not any(cell.startswith(("=", "+", "@")) for r in csv.reader(io.StringIO(text)) for cell in r)


class TestXlsx:
    def test_workbook_has_text_not_formulas(self, judged, tmp_path):
        inventory, batch = judged
        path = tmp_path / "report.xlsx"
        export.write(str(path), inventory.headers, export.batch_rows(batch, inventory.frame), batch.versions)
        sheet = load_workbook(path).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][5] == "verdict" and rows[1][5] == "Avoid" and rows[1][6] == 7
        evil = next(r for r in rows if r[0] and "HYPERLINK" in r[0])
        assert evil[0].startswith("'=")
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    def test_control_characters_do_not_break_the_workbook(self):
        """openpyxl refuses control characters; they become spaces."""
        from shelf.batch import Verdict

        data = export.to_xlsx(["name"], [(["bad\x01name"], Verdict("neutral"), "")], {})
        assert load_workbook(io.BytesIO(data)).active["A2"].value == "bad name"
