"""Report rows -> CSV or XLSX download: the original columns kept, verdict columns added.

In:  the original headers and an iterable of (original cells, Verdict, note) per product
     (`batch_rows` and `shelf_rows` build it from a Batch or the stored shelf), the checker's versions
     and the protocol's name (both go into every row's `checked_with`).
Out: bytes of a UTF-8 (with BOM, so Excel picks the encoding) CSV, or of an XLSX workbook.

Every cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) is prefixed with an apostrophe: inventory text comes from suppliers and scraped pages,
and a download must not execute it (OWASP "CSV injection"). Plain numbers such as -5 or +3.5 stay
as they are, since they cannot carry a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from checker.verdicts import SHELF_WORDS

from .batch import Batch, Verdict

ADDED_COLUMNS = [
    "verdict",
    "safe_from_day",
    "flagged_ingredients",
    "unrecognised_count",
    "could_not_check_reason",
    "row_note",
    "checked_with",
]
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")

Row = tuple[list[str], Verdict, str]


def neutralise(cell):
    """A cell as text that no spreadsheet will evaluate (whole numbers stay numbers)."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    text = "" if cell is None else str(cell)
    if text.startswith(_DANGEROUS) and not _NUMBER.match(text):
        return "'" + text
    return text


def _table(headers: list[str], rows: Iterable[Row], versions: dict, protocol: str = "") -> Iterator[list[str]]:
    named = f"{protocol} " if protocol else ""
    checked_with = f"protocol {named}{versions.get('protocol', '?')}; data {versions.get('ingredients', '?')}"
    extra = [c if c not in headers else f"aftercheck_{c}" for c in ADDED_COLUMNS]
    yield [neutralise(h) for h in headers + extra]
    for cells, result, note in rows:
        padded = (list(cells) + [""] * len(headers))[: len(headers)]
        added = [
            SHELF_WORDS[result.verdict],
            "" if result.safe_from_day is None else result.safe_from_day,
            "; ".join(result.flagged),
            result.unrecognised,
            result.reason,
            note,
            checked_with,
        ]
        yield [neutralise(c) for c in padded + added]


def to_csv(headers: list[str], rows: Iterable[Row], versions: dict, protocol: str = "") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(_table(headers, rows, versions, protocol))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(headers: list[str], rows: Iterable[Row], versions: dict, protocol: str = "") -> bytes:
    workbook = Workbook(write_only=True)  # streams rows: 100,000 products stay within memory
    sheet = workbook.create_sheet("Aftercheck report")
    for line in _table(headers, rows, versions, protocol):
        # After neutralise no string starts with '='; control characters are not allowed in XLSX.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub(" ", c) if isinstance(c, str) else c for c in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(path: str, headers: list[str], rows: Iterable[Row], versions: dict, protocol: str = "") -> None:
    """Write CSV or XLSX by the file extension of `path`."""
    data = (to_xlsx if str(path).lower().endswith(".xlsx") else to_csv)(headers, rows, versions, protocol)
    with open(path, "wb") as handle:
        handle.write(data)


def batch_rows(batch: Batch, frame) -> Iterator[Row]:
    """(cells, verdict, note) for each row of a judged inventory."""
    values = frame.to_numpy().tolist()
    for row in batch.rows:
        yield values[row.row], row.result, row.note


def shelf_rows(products) -> Iterator[Row]:
    """(cells, verdict, note) for each stored product."""
    for product in products:
        yield product.cells, product.result, product.note
