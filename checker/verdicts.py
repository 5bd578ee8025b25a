"""Verdict vocabulary: which verdicts and flags exist, their severity, and the words people read.

In:  data/verdicts.toml, read once when this module is imported: one [[verdict]] per verdict, the
     most severe first.
Out: VERDICTS (every verdict, most severe first, "unchecked" last), FLAGS and SEVERITY (ingredient
     flags, most severe first, and their rank: higher is more severe), VERDICT_OF_FLAG; the words
     per audience: CLI_WORDS, PAGE_WORDS, PAGE_LINES, SHELF_WORDS, TAG_WORDS (verdict -> word) and BADGE_WORDS
     (flag -> word); `tag_line(verdict, safe_from_day, treatment)`, the sentence on a shelf tag.
     A malformed file raises VerdictsError naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .datafile import read_toml

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "verdicts.toml"
UNCHECKED = "unchecked"
_TEXTS = ("page", "shelf", "tag", "tag_line")  # every verdict has these
_FLAG_TEXTS = ("cli", "badge")  # and a verdict that comes from a flag these


class VerdictsError(ValueError):
    """data/verdicts.toml is malformed."""


@dataclass(frozen=True)
class VerdictWords:
    name: str
    flag: str | None  # None: a verdict no ingredient flag gives ("unchecked")
    page: str
    shelf: str
    tag: str
    tag_line: str
    cli: str | None = None
    badge: str | None = None
    tag_line_forever: str | None = None
    page_line: str | None = None


def load(path: Path = VOCABULARY_FILE) -> tuple[VerdictWords, ...]:
    """The [[verdict]] tables of a vocabulary file, in the file's (severity) order."""
    rows = read_toml(path, VerdictsError).get("verdict", [])
    known = set(VerdictWords.__dataclass_fields__)
    words = []
    for row in rows:
        needed = _TEXTS + (_FLAG_TEXTS if row.get("flag") else ())
        missing = [key for key in ("name", *needed) if not isinstance(row.get(key), str) or not row[key]]
        unknown = sorted(set(row) - known)
        if missing or unknown:
            raise VerdictsError(f"{path}: verdict {row.get('name', '?')!r}: missing {missing}, unknown {unknown}")
        words.append(VerdictWords(**{"flag": None, **row}))
    names = [w.name for w in words]
    if len(set(names)) != len(names) or UNCHECKED not in names or "none" not in [w.flag for w in words]:
        raise VerdictsError(f"{path}: each verdict once, including {UNCHECKED!r} and the one for flag 'none'")
    return tuple(words)


VOCABULARY = load()
VERDICTS = tuple(w.name for w in VOCABULARY)
FLAGS = tuple(w.flag for w in VOCABULARY if w.flag)
# Higher is more severe; a label's verdict comes from its most severe flag (avoid > caution > ...).
SEVERITY = {flag: len(FLAGS) - 1 - rank for rank, flag in enumerate(FLAGS)}
VERDICT_OF_FLAG = {w.flag: w.name for w in VOCABULARY if w.flag}
CLI_WORDS = {w.name: w.cli for w in VOCABULARY if w.cli}
PAGE_WORDS = {w.name: w.page for w in VOCABULARY}
SHELF_WORDS = {w.name: w.shelf for w in VOCABULARY}
TAG_WORDS = {w.name: w.tag for w in VOCABULARY}
BADGE_WORDS = {w.flag: w.badge for w in VOCABULARY if w.flag}
# The result page's plain answer per verdict ({when}: "today", "on day N" ...); the page word when absent.
PAGE_LINES = {w.name: w.page_line or w.page for w in VOCABULARY}
_BY_NAME = {w.name: w for w in VOCABULARY}


def tag_line(verdict: str, safe_from_day: int | None, treatment: str) -> str:
    """The sentence on a shelf tag, e.g. 'OK after microneedling from day 7'."""
    words = _BY_NAME.get(verdict, _BY_NAME[UNCHECKED])
    if safe_from_day is None and words.tag_line_forever:
        return words.tag_line_forever.format(treatment=treatment)
    return words.tag_line.format(treatment=treatment, day=safe_from_day)
