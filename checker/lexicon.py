"""Ingredient knowledge -> lookup tables, built once.

In:  data/ingredients.csv (one row per ingredient: inci, synonyms, classes, trace_classes,
     trace_after_position, note, source) and data/families.csv (name, pattern, classes, note, keep_whole: regular
     expressions that recognise whole families such as PEG-n or botanical extracts; keep_whole "true" for a family
     whose long names are genuine, never names run together).
Out: a Lexicon with an exact-name table (normalised name -> Entry and whether it was the INCI
     name or a synonym), the compiled family patterns, and the OCR-folded names for fuzzy matching.

`key()` and `ocr_fold()` are the normalisations every other stage uses, so they live here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace


class LexiconError(ValueError):
    """The ingredient or family data file is malformed (the message names the line)."""


@dataclass(frozen=True)
class Entry:
    inci: str
    classes: tuple[str, ...]
    trace_classes: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    trace_after: int | None = None  # past this position it is read at its trace_classes anyway


@dataclass(frozen=True)
class Family:
    name: str
    pattern: re.Pattern
    classes: tuple[str, ...]
    note: str
    keep_whole: bool = False  # its long names are genuine: a ferment's lists what was fermented


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def key(name: str) -> str:
    """Normalise a name for look-up: lower case, words of letters or digits, single spaces.

    'PEG-100 Stearate' and 'Peg100  stearate' both give 'peg 100 stearate'; 'Caprylic/Capric
    Triglyceride' gives 'caprylic capric triglyceride'.
    """
    lowered = name.lower()
    if not lowered.isascii():  # 'Rétinol', 'Glycérine': accents do not change the ingredient
        lowered = "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))
    lowered = _NON_ALNUM.sub(" ", lowered)
    return " ".join(_LETTER_DIGIT.sub(" ", lowered).split())


# Characters OCR confuses fold to one representative (l -> i, rn -> m, and a lone 1 or 0 between
# letters -> i or o) so that 'Retlnol', 'Retin0l' and 'Retinol' compare equal before the edit
# distance is taken. Real numbers ('PEG-100', 'Peptide-10') are left alone.
_OCR_DIGIT = re.compile(r"(?<=[a-z]) ?([10]) ?(?=[a-z])")


def ocr_fold(normalised: str) -> str:
    folded = _OCR_DIGIT.sub(lambda m: "i" if m.group(1) == "1" else "o", normalised)
    return folded.replace("rn", "m").replace("l", "i")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _read_csv(path: Path, columns: list[str]) -> list[SimpleNamespace]:
    """The rows of a data file, every cell a string ('' when empty).

    Read with the standard csv module: importing pandas took most of the checker's start-up, a
    cost every command-line run and library user paid for two small files."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, restval="")
            rows = [SimpleNamespace(**{k: v or "" for k, v in row.items() if k is not None}) for row in reader]
            header = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read as CSV: {exc}") from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise LexiconError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    return rows


class Lexicon:
    """Every name we know, ready for exact, pattern and fuzzy look-up."""

    def __init__(self, entries: list[Entry], names: dict[str, tuple[Entry, str]], families: list[Family]):
        self.entries = entries
        self.names = names  # normalised name -> (entry, "exact" | "synonym")
        self.families = families
        self.family_by_name = {f.name: f for f in families}
        # Fuzzy matching compares OCR-folded names; several names may fold to one string.
        folded: dict[str, list[str]] = {}
        for name in names:
            folded.setdefault(ocr_fold(name), []).append(name)
        self.folded_names = list(folded)
        self.folded_originals = [folded[n] for n in self.folded_names]

    @property
    def classes(self) -> set[str]:
        used = {c for e in self.entries for c in e.classes + e.trace_classes}
        return used | {c for f in self.families for c in f.classes}

    @classmethod
    def load(cls, ingredients_path: Path, families_path: Path) -> Lexicon:
        entries, names = _load_entries(Path(ingredients_path))
        return cls(entries, names, _load_families(Path(families_path)))


def _load_entries(path: Path) -> tuple[list[Entry], dict[str, tuple[Entry, str]]]:
    rows = _read_csv(path, ["inci", "synonyms", "classes", "trace_classes", "trace_after_position", "note", "source"])
    entries: list[Entry] = []
    names: dict[str, tuple[Entry, str]] = {}
    owner_line: dict[str, int] = {}
    for offset, row in enumerate(rows):
        line = offset + 2  # the header is line 1
        if not row.inci.strip():
            raise LexiconError(f"{path}: line {line}: empty inci name")
        classes = _split(row.classes)
        if not classes:
            raise LexiconError(f"{path}: line {line}: {row.inci!r} has no class")
        trace_after = row.trace_after_position.strip()
        if trace_after and not trace_after.isdigit():
            raise LexiconError(f"{path}: line {line}: trace_after_position must be a whole number")
        entry = Entry(
            row.inci.strip(),
            classes,
            _split(row.trace_classes),
            row.note.strip(),
            row.source.strip(),
            int(trace_after) if trace_after else None,
        )
        entries.append(entry)
        for name, method in [(entry.inci, "exact")] + [(s, "synonym") for s in _split(row.synonyms)]:
            normalised = key(name)
            if not normalised:
                continue
            if normalised in names and names[normalised][0].inci != entry.inci:
                raise LexiconError(
                    f"{path}: line {line}: name {name!r} of {entry.inci!r} is already used on line "
                    f"{owner_line[normalised]} by {names[normalised][0].inci!r}"
                )
            if normalised not in names or method == "exact":
                names[normalised] = (entry, method)
                owner_line[normalised] = line
    return entries, names


_YES_NO = {"true": True, "false": False, "": False}


def _load_families(path: Path) -> list[Family]:
    rows = _read_csv(path, ["name", "pattern", "classes", "note"])
    families = []
    for offset, row in enumerate(rows):
        try:
            pattern = re.compile(row.pattern)
        except re.error as exc:
            raise LexiconError(f"{path}: line {offset + 2}: bad pattern for {row.name!r}: {exc}") from exc
        classes = _split(row.classes)
        if not classes:
            raise LexiconError(f"{path}: line {offset + 2}: family {row.name!r} has no class")
        # keep_whole is optional: a file without the column keeps no family whole
        keep_whole = _YES_NO.get(getattr(row, "keep_whole", "").strip().lower())
        if keep_whole is None:
            raise LexiconError(f"{path}: line {offset + 2}: keep_whole must be true, false or empty")
        families.append(Family(row.name, pattern, classes, row.note, keep_whole))
    return families
