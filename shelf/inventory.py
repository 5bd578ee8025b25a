"""Inventory file (bytes) -> table of products with the product columns identified.

In:  the raw bytes of an upload or a file (CSV, TSV, semicolon CSV, XLSX), its file name, an
     optional explicit column mapping, and a row limit.
Out: an Inventory: every non-empty row as strings in the original columns (pandas DataFrame), a
     Columns mapping (which column holds name, brand, barcode, ingredients, category), whether
     the detection is sure (else the web asks staff to confirm the mapping), and notes for staff
     (encoding used, empty rows skipped, formula cells, ...).
Raises InventoryError with a sentence staff can act on when the file cannot be read at all.

Steps, in order: sniff the format from the bytes (never trust the extension), decode text
(UTF-8, UTF-8/16 with BOM, else cp1252 as Windows Excel writes), pick the delimiter, read every
cell as a string with pandas, find the header row, match headers against known spellings (from
data/label_words.toml), fall back to the cell contents to guess the ingredient column, drop empty
rows, normalise cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, fields

import pandas as pd

from checker.vocabulary import Vocabulary, load_vocabulary

FIELDS = ("name", "brand", "barcode", "ingredients", "category")
DEFAULT_MAX_ROWS = 250_000
# A file's shape is checked before pandas reads it: a small file with a very wide or very long
# row costs minutes of CPU and gigabytes in the steps after reading. Real inventories have a few
# dozen columns, and an ingredient list is a few thousand characters.
MAX_COLUMNS = 200
MAX_LINE_CHARS = 200_000
MAX_CELL_CHARS = 100_000
HEADER_SCAN_ROWS = 10  # a title or notes block above the header is common in clinic exports

_SCI_BARCODE = re.compile(r"^\d(?:[.,]\d+)?[eE]\+\d+$")  # 3.60052E+12: Excel rewrote the number


class InventoryError(ValueError):
    """The file cannot be read as an inventory; the message says why and what to do."""


@dataclass
class Columns:
    """Which original column holds each product field (None = not in the file)."""

    name: str | None = None
    brand: str | None = None
    barcode: str | None = None
    ingredients: str | None = None
    category: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Inventory:
    frame: pd.DataFrame  # original columns, every cell a stripped string, empty rows dropped
    columns: Columns
    sure: bool  # False: ask staff to confirm the mapping before importing
    encoding: str
    file_format: str  # "csv", "tsv", "semicolon", "xlsx"
    notes: list[str] = field(default_factory=list)
    source_rows: list[int] = field(default_factory=list)  # spreadsheet row number of each frame row

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)

    def __len__(self) -> int:
        return len(self.frame)

    def require_ingredients(self) -> None:
        """Raise InventoryError when no column holds the ingredient lists."""
        if not self.columns.ingredients:
            raise InventoryError(
                "No ingredient column was found. Name it 'ingredients', 'INCI' or 'composition', or "
                f"choose it by hand. The file's columns are: {', '.join(self.headers)}."
            )


# --- format and text ---------------------------------------------------------------------------


def sniff_format(raw: bytes) -> str:
    """'xlsx' or 'text' from the first bytes; refuses other binary formats with advice."""
    if raw.startswith(b"PK\x03\x04"):
        return "xlsx"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InventoryError("This is an old Excel .xls file. Save it as .xlsx or CSV and upload again.")
    if raw.startswith(b"%PDF"):
        raise InventoryError("This is a PDF, not a spreadsheet. Upload a CSV or XLSX export of the inventory.")
    return "text"


def detect_encoding(raw: bytes) -> str:
    """BOMs first, then strict UTF-8, then cp1252 (what Windows Excel writes as "CSV")."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return encoding
    try:
        raw.decode("utf-8")  # validation only; the text is not kept (large files)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name); cp1252's five undefined bytes become U+FFFD, not an error.
    Refuses binary data (NUL characters in the text)."""
    encoding = detect_encoding(raw)
    text = raw.decode(encoding, errors="replace")
    _refuse_binary(text[:65536])
    return text, encoding


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise InventoryError(
            "This file is not a spreadsheet (it contains binary data). Upload a CSV or XLSX export of the inventory."
        )


def pick_delimiter(text: str) -> str:
    """The delimiter of the header region: csv.Sniffer first, else the most frequent candidate."""
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


_FORMAT_OF = {",": "csv", ";": "semicolon", "\t": "tsv", "|": "pipe"}


def _read_text(raw: bytes, limit: int) -> tuple[pd.DataFrame, str, str]:
    encoding = detect_encoding(raw)
    sample = raw[:65536].decode(encoding, errors="ignore")  # a cut character at the end is fine
    _refuse_binary(sample)
    _refuse_long_lines(raw, encoding)
    delimiter = pick_delimiter(sample)
    _refuse_wide_rows(sample, delimiter)
    try:
        # pandas decodes the bytes itself: no second full copy of a large file as a str
        frame = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            dtype=str,
            encoding=encoding,
            encoding_errors="replace",
            keep_default_na=False,
            skip_blank_lines=True,
            nrows=limit,
        )
    except pd.errors.EmptyDataError:
        raise InventoryError("The file is empty.") from None
    except (pd.errors.ParserError, csv.Error) as error:
        raise InventoryError(
            f"This file could not be read as a spreadsheet ({_first_line(error)}). "
            "Check that it is a CSV export with one product per row."
        ) from None
    return frame, encoding, _FORMAT_OF[delimiter]


def _refuse_long_lines(raw: bytes, encoding: str) -> None:
    """A line longer than MAX_LINE_CHARS (in bytes: a character is at least one byte, two in UTF-16)."""
    width = 2 if encoding == "utf-16" else 1
    newline = "\n".encode(encoding if encoding != "utf-16" else "utf-16-le")
    start, number = 0, 1
    while start < len(raw):
        end = raw.find(newline, start)
        end = len(raw) if end < 0 else end
        if end - start > MAX_LINE_CHARS * width:
            raise InventoryError(
                f"Line {number} of the file is longer than {MAX_LINE_CHARS:,} characters; an inventory row "
                "is far shorter. Check that this is a CSV export with one product per row."
            )
        start, number = end + len(newline), number + 1


def _refuse_wide_rows(sample: str, delimiter: str) -> None:
    """More than MAX_COLUMNS columns in the rows where the header is looked for."""
    rows = csv.reader(io.StringIO(sample), delimiter=delimiter)
    for number, row in enumerate(rows, 1):
        _refuse_width(len(row))
        if number > HEADER_SCAN_ROWS:
            break


def _refuse_width(columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise InventoryError(
            f"The file has {columns:,} columns; an inventory has at most {MAX_COLUMNS}. "
            "Check that this is a CSV export with one product per row, and the right delimiter."
        )


def _refuse_long_cells(frame: pd.DataFrame) -> None:
    longest = int(frame.map(len).to_numpy().max()) if frame.size else 0
    if longest > MAX_CELL_CHARS:
        raise InventoryError(
            f"A cell of the file holds {longest:,} characters; an ingredient list is at most a few thousand "
            f"and a cell may hold {MAX_CELL_CHARS:,}. Check the file's quoting, or split the cell."
        )


def max_unpacked_bytes(rows: int) -> int:
    """How large a workbook may unpack to for this many rows (a zip bomb inflates a 1 MB upload to
    gigabytes): 5 kB a row, at least 100 MB, several times what a real inventory unpacks to."""
    return max(100_000_000, rows * 5_000)


def _read_xlsx(raw: bytes, limit: int) -> tuple[pd.DataFrame, list[str]]:
    notes = []
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not sheets:
                raise InventoryError("This file is a ZIP archive but not an Excel workbook.")
            _refuse_unusual_compression(archive)
            # zipfile never inflates a stored or deflated member past its declared size, so the
            # declared sizes bound the work.
            unpacked, cap = sum(info.file_size for info in archive.infolist()), max_unpacked_bytes(limit)
            if unpacked > cap:
                raise InventoryError(
                    f"This workbook unpacks to {unpacked / 1e6:,.0f} MB, more than the "
                    f"{cap / 1e6:,.0f} MB an inventory of this size can take; it may be damaged "
                    "or deliberately compressed. Save it as CSV, or split it."
                )
            formulas = _count_formulas(archive, sheets[0])
    except zipfile.BadZipFile:
        raise InventoryError(
            "This file looks like an Excel workbook but is damaged. Save it again as .xlsx or CSV."
        ) from None
    if formulas:
        # We read the value the spreadsheet saved and never evaluate a formula ourselves.
        notes.append(
            f"{formulas} cell(s) hold formulas: their last saved values were used; "
            "a formula that was never calculated reads as empty."
        )
    if len(sheets) > 1:
        notes.append(f"The workbook has {len(sheets)} sheets; only the first was read.")
    try:
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=str, engine="openpyxl", nrows=limit)
    except Exception as error:  # openpyxl raises many types for damaged workbooks
        raise InventoryError(f"This Excel file could not be read ({_first_line(error)}).") from None
    return frame.fillna(""), notes


def _refuse_unusual_compression(archive: zipfile.ZipFile) -> None:
    """Excel stores or deflates every part; BZIP2 and LZMA members inflate far past their declared
    size in one step (a 13 kB file reached a gigabyte), so they are refused unread."""
    for info in archive.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InventoryError(
                "This workbook uses a compression Excel never writes; it may be damaged or deliberately "
                "compressed. Save it again as .xlsx or CSV."
            )


def _count_formulas(archive: zipfile.ZipFile, sheet: str) -> int:
    """Formula cells (<f>) in a sheet, read in 1 MB pieces rather than all at once."""
    count, tail = 0, b""
    with archive.open(sheet) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += len(re.findall(rb"<f[ >]", data))
            tail = data[-2:]  # shorter than a match, so no match is counted twice
    return count


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


# --- headers -------------------------------------------------------------------------------------


def normalise_header(header: str) -> str:
    """'Product Name (EN)' -> 'product_name_en'; 'Ingrédients' -> 'ingredients'."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def column_spellings(vocabulary: Vocabulary) -> dict[str, frozenset[str]]:
    """The header spellings of each field in the vocabulary, normalised as headers are."""
    return {what: frozenset(normalise_header(s) for s in vocabulary.columns[what]) for what in FIELDS}


# Exact spellings per field (a sure match) and fragments that make a header a likely (not certain)
# match ("clean_ingreds", "INCI text"), from data/label_words.toml.
SPELLINGS = column_spellings(load_vocabulary())
FRAGMENTS = load_vocabulary().column_fragments


def header_score(header: str, what: str) -> int:
    """2 = a known spelling, 1 = contains a telling fragment, 0 = no match."""
    key = normalise_header(header)
    if key in SPELLINGS[what]:
        return 2
    return 1 if key and any(fragment in key for fragment in FRAGMENTS[what]) else 0


def _row_score(cells: list[str]) -> int:
    return sum(max(header_score(c, what) for what in FIELDS) for c in cells if c)


def find_header_row(frame: pd.DataFrame) -> int:
    """Index of the row among the first few that looks most like a header (0 when none does)."""
    scores = [_row_score(list(frame.iloc[i])) for i in range(min(HEADER_SCAN_ROWS, len(frame)))]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores and max(scores) else 0


def _unique_headers(cells: list[str]) -> list[str]:
    """Blank headers get 'column N'; repeated ones get ' (2)', so every column has one name."""
    seen: dict[str, int] = {}
    headers = []
    for number, cell in enumerate(cells, 1):
        header = str(cell).strip() or f"column {number}"
        seen[header] = seen.get(header, 0) + 1
        headers.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return headers


def detect_columns(frame: pd.DataFrame) -> tuple[Columns, bool]:
    """Match headers to fields; guess the ingredient column from contents when no header says so.
    Sure only when the ingredient column and a name or barcode column matched a known spelling
    and no two columns tie for a field."""
    columns, sure, taken = Columns(), True, set()
    for what in ("ingredients", "barcode", "name", "brand", "category"):
        scored = sorted(
            ((header_score(h, what), h) for h in frame.columns if h not in taken), key=lambda pair: -pair[0]
        )
        if not scored or scored[0][0] == 0:
            continue
        best, header = scored[0]
        if what == "ingredients" and best < 2:
            sure = False
        if len(scored) > 1 and scored[1][0] == best and best == 2:
            sure = False  # two columns both called e.g. 'name' and 'product'
        setattr(columns, what, header)
        taken.add(header)
    if columns.ingredients is None:
        columns.ingredients, sure = guess_ingredient_column(frame, taken), False
    if columns.name is None and columns.barcode is None:
        sure = False
    return columns, sure


def guess_ingredient_column(frame: pd.DataFrame, exclude: set[str] = frozenset()) -> str | None:
    """The column whose cells look most like INCI lists (several commas), or None."""
    sample = frame.head(200)
    best, best_commas = None, 2.0  # two separators or fewer on average is not an INCI list
    for header in frame.columns:
        if header in exclude:
            continue
        commas = sample[header].str.count(r"[,;]").mean() if len(sample) else 0
        if commas > best_commas:
            best, best_commas = header, commas
    return best


# --- cells -----------------------------------------------------------------------------------------


# One quoted item of a list literal, then a comma or the end (from the start of a run of spaces
# only, so that a search stays linear): "'water', \"aloe's juice\"".
_QUOTED_ITEM = re.compile(r"""(?<!\s)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(?:,|$)""")


def normalise_ingredients(cell: str) -> str:
    """A Python list literal "['water', 'glycerin']" (as some scraped data sets store it) becomes
    'water, glycerin'; anything else is returned unchanged (the checker does the rest).

    Read with one linear pattern, not ast.literal_eval: evaluating a 10 MB cell took gigabytes."""
    if not (cell.startswith("[") and cell.endswith("]") and ("'" in cell or '"' in cell)):
        return cell
    inner, items, at = cell[1:-1], [], 0
    while at < len(inner):
        match = _QUOTED_ITEM.match(inner, at)
        if not match or match.end() == at:
            return cell  # not a plain list of strings
        items.append((match.group(1) if match.group(1) is not None else match.group(2)).replace("\\'", "'"))
        at = match.end()
    return ", ".join(item.strip() for item in items) if items else cell


def barcode_problem(barcode: str) -> str | None:
    """Why a barcode cell cannot be a barcode (None when it looks fine)."""
    if _SCI_BARCODE.match(barcode):
        return (
            f"barcode '{barcode}' was turned into a number in scientific notation by a spreadsheet "
            "program; format the column as text and export again"
        )
    return None


def normalise_barcode(barcode: str) -> str:
    """Digits only, without leading zeros: a UPC-A (12 digits) and the same EAN-13 with a
    leading 0 are one product, and a scanner may send either. Non-numeric SKUs stay as typed."""
    stripped = re.sub(r"[\s-]", "", barcode)
    if stripped.endswith(".0") and stripped[:-2].isdigit():
        stripped = stripped[:-2]  # a numeric cell that came through as float
    if stripped.isdigit():
        return stripped.lstrip("0") or "0"
    return stripped.upper()


# --- entry point -------------------------------------------------------------------------------------


def read_inventory(
    raw: bytes, filename: str = "", columns: Columns | dict | None = None, max_rows: int = DEFAULT_MAX_ROWS
) -> Inventory:
    """Read an inventory file. `columns` overrides detection (from the mapping form or --map).
    Raises InventoryError for files that are not spreadsheets or exceed `max_rows` products."""
    if not raw or not raw.strip():
        raise InventoryError("The file is empty.")
    notes: list[str] = []
    limit = max_rows + HEADER_SCAN_ROWS + 1  # read one past the limit to know it was exceeded
    if sniff_format(raw) == "xlsx":
        frame, notes = _read_xlsx(raw, limit)
        encoding, file_format = "xlsx", "xlsx"
    else:
        frame, encoding, file_format = _read_text(raw, limit)
        if encoding != "utf-8":
            notes.append(f"Read as {encoding} text.")
    _refuse_width(frame.shape[1])
    frame = frame.astype(str).apply(lambda col: col.str.strip())
    _refuse_long_cells(frame)
    header_row = find_header_row(frame)
    headers = _unique_headers(list(frame.iloc[header_row])) if len(frame) else []
    frame = frame.iloc[header_row + 1 :]
    frame.columns = headers
    empty = (frame == "").all(axis=1)
    if empty.any():
        notes.append(f"Skipped {int(empty.sum())} empty row(s).")
    source_rows = [int(i) + 1 for i in frame.index[~empty]]  # 1-based spreadsheet row numbers
    frame = frame[~empty].reset_index(drop=True)
    if len(frame) > max_rows:
        raise InventoryError(
            f"The file has more than {max_rows:,} products; at most {max_rows:,} "
            "can be read at once. Split it into smaller files."
        )
    if len(frame) == 0:
        raise InventoryError("The file has a header but no product rows.")
    detected, sure = detect_columns(frame)
    inventory = Inventory(frame, detected, sure, encoding, file_format, notes, source_rows)
    if columns is not None:
        return apply_columns(inventory, columns)
    _normalise_ingredient_column(inventory)
    return inventory


def apply_columns(inventory: Inventory, columns: Columns | dict) -> Inventory:
    """The inventory with a mapping staff chose (counts as sure). Unknown fields or columns raise
    InventoryError; the ingredient column is normalised (list literals)."""
    chosen = columns.as_dict() if isinstance(columns, Columns) else dict(columns)
    headers = inventory.headers
    wrong = [f"{what}={col}" for what, col in chosen.items() if what not in FIELDS or (col and col not in headers)]
    if wrong:
        raise InventoryError(
            f"Unknown field or column in the mapping: {', '.join(wrong)}. "
            f"Fields are {', '.join(FIELDS)}; the file's columns are {', '.join(headers)}."
        )
    inventory.columns, inventory.sure = Columns(**{what: chosen.get(what) or None for what in FIELDS}), True
    _normalise_ingredient_column(inventory)
    return inventory


def _normalise_ingredient_column(inventory: Inventory) -> None:
    column = inventory.columns.ingredients
    if column:  # normalise_ingredients is idempotent, so a re-mapped column is safe to redo
        inventory.frame[column] = inventory.frame[column].map(normalise_ingredients)
