"""Small builders shared by the shelf tests."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inventory"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def xlsx(rows: list[list], formulas: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook with `rows` on the first sheet; `formulas` puts formulas into cells
    ({'B3': '=1+1'}), which openpyxl saves without a calculated value, like a web export does."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, formula in (formulas or {}).items():
        sheet[cell] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
