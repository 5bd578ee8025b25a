"""Inventory rows -> one verdict per product, for the report, the stored shelf and the tags.

In:  an Inventory (from inventory.read_inventory), optionally a Checker and a progress callback.
Out: a Batch: one RowResult per non-empty row (verdict, safe_from_day, flagged ingredients,
     classes, unrecognised count, the last day of a caution, the reason in words staff can act on
     when it could not be checked), summary counts in the
     severity order of checker/verdicts.py, and the checker versions the verdicts came from.

Verdicts are for the whole recovery window (day=None, the worst case), because a shelf tag and a
stored row must not depend on which patient asks; the counter lookup re-checks one product for a
given day. Identical labels (shades of one product) are judged once per batch. With workers > 1
(the CLI and the benchmark; not web requests, which must not fork a threaded server) the distinct
labels are judged in forked processes that share the already loaded checker data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from checker import Checker, InputError, Report, get_checker
from checker.verdicts import SEVERITY, UNCHECKED, VERDICT_OF_FLAG, VERDICTS

from .inventory import Inventory, barcode_problem


@dataclass(frozen=True)
class Verdict:
    """What one label comes to, independent of which row it sits in."""

    verdict: str
    safe_from_day: int | None = None
    flagged: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    unrecognised: int = 0
    reason: str = ""  # why it could not be checked ('' when it was)
    caution_until_day: int | None = None  # first day no caution applies (None: no caution, or one with no end)


@dataclass
class RowResult:
    row: int  # position in the inventory frame (0-based)
    source_row: int  # row number in the spreadsheet (1-based) for staff
    name: str
    brand: str
    barcode: str
    category: str
    ingredients: str
    result: Verdict
    note: str = ""  # a problem with the row that did not stop the check

    @property
    def verdict(self) -> str:
        return self.result.verdict


@dataclass
class Batch:
    rows: list[RowResult]
    versions: dict
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        return summarise(row.verdict for row in self.rows)


def summarise(verdicts) -> dict[str, int]:
    """Counts per verdict in the fixed display order, zeros included."""
    counts = Counter(verdicts)
    return {verdict: counts.get(verdict, 0) for verdict in VERDICTS}


def _flag_text(flag: str, until_day: int | None) -> str:
    return flag if until_day is None else f"{flag} until day {until_day}"


def verdict_of(report: Report, text: str = "") -> Verdict:
    """A Report (whole window) -> the compact Verdict stored per product; `text` is the label it
    was made from, quoted in the reason when nothing in it was recognised."""
    flagged = [item for item in report.items if item.flag != "none"]
    names = [f"{item.display_name} ({_flag_text(item.flag, item.until_day)})" for item in flagged]
    names += [f"{p.rule.label} ({_flag_text(p.rule.flag, p.rule.until_day)})" for p in report.judgement.products]
    names = _deciding_part(report) + names
    classes = sorted({c for item in flagged for c in item.classes})
    unrecognised = len(report.unrecognized)
    if not report.recognised:
        return Verdict(UNCHECKED, unrecognised=unrecognised, reason=unrecognised_reason(report, text))
    return Verdict(
        report.verdict,
        report.safe_from_day,
        tuple(dict.fromkeys(names)),
        tuple(classes),
        unrecognised,
        caution_until_day=caution_end(report),
    )


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def unrecognised_reason(report: Report, text: str) -> str:
    """Why a label with nothing recognised could not be checked, in words staff can act on."""
    if not report.items:
        return f"no ingredient list in this row: {_quoted(text)}" if text.strip() else "no ingredient list in this row"
    names = ", ".join(_quoted(name, 40) for name in report.unrecognized[:3])
    more = f" and {len(report.unrecognized) - 3} more" if len(report.unrecognized) > 3 else ""
    return f"no ingredient in this row is known ({names}{more}): check that the ingredients column holds the INCI list"


def caution_end(report: Report) -> int | None:
    """The first day on which no caution of the label applies any more; None without a caution
    or when one of them never ends (the reason then says so)."""
    windows = [item.until_day for item in report.items if item.flag == "caution"]
    windows += [p.rule.until_day for p in report.judgement.products if p.rule.flag == "caution"]
    if not windows or any(w is None for w in windows):
        return None
    return max(windows)


_FLAG_OF_VERDICT = {verdict: flag for flag, verdict in VERDICT_OF_FLAG.items()}


def _deciding_part(report: Report) -> list[str]:
    """A kit is one shelf line with the worst verdict: name the product in it that decides."""
    parts = report.judgement.parts
    if not parts:
        return []
    views = [(part, part.judgement.on(None)) for part in parts]
    part, view = max(views, key=lambda pv: (SEVERITY[_FLAG_OF_VERDICT[pv[1].verdict]], pv[1].safe_from_day or 0))
    window = f" until day {view.safe_from_day}" if view.verdict == "avoid" and view.safe_from_day else ""
    return [f"kit of {len(parts)}, decided by {part.name} ({view.verdict}{window})"]


def judge_label(ingredients: str, name: str = "", checker: Checker | None = None, category: str = "") -> Verdict:
    """One product's ingredient text (+ name and category, evidence of its type) -> Verdict; never raises."""
    if not ingredients.strip():
        return Verdict(UNCHECKED, reason="no ingredient list in this row")
    try:
        report = (checker or get_checker()).check(ingredients, name=name or None, category=category or None)
    except InputError as error:
        return Verdict(UNCHECKED, reason=str(error))
    return verdict_of(report, ingredients)


PARALLEL_MIN_LABELS = 500  # below this, starting processes costs more than it saves
_CHUNK = 100
_worker_checker: Checker | None = None


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def _judge_chunk(labels: list[tuple[str, str, str]]) -> list[Verdict]:
    return [judge_label(ingredients, name, _worker_checker, category) for ingredients, name, category in labels]


def _judge_labels(
    labels: list[tuple[str, str, str]], checker: Checker, workers: int, progress: Callable[[int], None] | None
) -> list[Verdict]:
    """Distinct (ingredients, name, category) triples -> Verdicts in the same order; progress per label."""
    chunks = [labels[i : i + _CHUNK] for i in range(0, len(labels), _CHUNK)]
    if workers > 1 and len(labels) >= PARALLEL_MIN_LABELS and "fork" in multiprocessing.get_all_start_methods():
        global _worker_checker
        _worker_checker = checker  # inherited by the forked workers, not pickled
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = []
            for verdicts in pool.imap(_judge_chunk, chunks):
                results += verdicts
                if progress:
                    progress(len(verdicts))
        return results
    results = []
    for chunk in chunks:
        results += [judge_label(ingredients, name, checker, category) for ingredients, name, category in chunk]
        if progress:
            progress(len(chunk))
    return results


def judge_inventory(
    inventory: Inventory,
    checker: Checker | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> Batch:
    """Judge every row. `progress(n)` is called with the number of distinct labels judged since
    the last call (their total is `distinct_labels(inventory)`)."""
    checker = checker or get_checker()
    frame, cols = inventory.frame, inventory.columns
    column = {
        what: frame[getattr(cols, what)].tolist() if getattr(cols, what) else [""] * len(frame)
        for what in ("name", "brand", "barcode", "category", "ingredients")
    }
    keys = list(zip(column["ingredients"], column["name"], column["category"], strict=False))
    distinct = list(dict.fromkeys(keys))
    memo = dict(zip(distinct, _judge_labels(distinct, checker, workers, progress), strict=False))
    rows = [
        RowResult(
            i,
            inventory.source_rows[i] if inventory.source_rows else i + 2,
            column["name"][i],
            column["brand"][i],
            column["barcode"][i],
            column["category"][i],
            column["ingredients"][i],
            memo[keys[i]],
            barcode_problem(column["barcode"][i]) or "",
        )
        for i in range(len(frame))
    ]
    return Batch(rows, dict(checker.versions), list(inventory.notes))


def distinct_labels(inventory: Inventory) -> int:
    """How many different labels judge_inventory will judge (the progress bar's length)."""
    cols = inventory.columns
    ingredients = inventory.frame[cols.ingredients] if cols.ingredients else None
    names = inventory.frame[cols.name] if cols.name else None
    if ingredients is None:
        return int(names.nunique()) if names is not None else min(1, len(inventory))
    keys = ingredients if names is None else ingredients + "\x00" + names
    if cols.category:
        keys = keys + "\x00" + inventory.frame[cols.category]
    return int(keys.nunique())
