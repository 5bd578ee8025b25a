"""OCR text -> the same text with the slips an INCI list makes obvious put right.

In:  the cleaned text of a reading (lines in reading order) and a Checker (its lexicon and matcher).
Out: `correct(text, checker) -> Correction`: .text, and .changes (what was changed, for a log or
     the user: 'Polysorbate 6O -> Polysorbate 60').

Every change is one the ingredient lexicon vouches for, in this order:
- a word cut by a hyphen at a line's end is joined when the whole word is known ('Hydro-/genated');
- a word the vocabulary (every word of every known name) does not know is tried with the confusion
  pairs of data/ocr_confusions.toml ('rn' for 'm', '0' for 'o' ...) and replaced when exactly one
  known word comes out, or cut in two known words when the space between them was lost;
- a piece between commas that is not a known name but splits into known names gets its commas
  back ('Disodium EDTA Camellia Extract'), and a full stop between two known names is a comma;
- at a line's end: a known name followed by a known name lost its comma; a known name followed by
  a line with no known name in it ends the list (a blank line, which the parser reads as the end),
  so the last ingredient is not joined to the claims or the address after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from checker.datafile import read_toml
from checker.parse import clean_name

CONFUSIONS_PATH = Path(__file__).resolve().parents[2] / "data" / "ocr_confusions.toml"
STRONG = ("exact", "synonym")
MIN_FUZZY = 92  # a fuzzy match this close counts as known when deciding where names end
MAX_SPLIT_WORDS = 14  # longer pieces are prose, not names run together
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9!|]+")
_PIECE = re.compile(r"[^,;]+")
_SEPARATOR = re.compile(r"(?<!\d),|;|:")  # not the comma of '1,2-Hexanediol'
_STOP_BETWEEN = re.compile(r"(?<=[A-Za-z)])\.\s+(?=[A-Za-z(])")


@dataclass
class Correction:
    text: str
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    pairs: tuple[tuple[str, str], ...]
    min_length: int
    min_half: int
    keep: frozenset[str]


@lru_cache(maxsize=4)
def load_rules(path: Path = CONFUSIONS_PATH) -> Rules:
    data = read_toml(path)
    return Rules(
        tuple((a, b) for a, b in data["pairs"]),
        int(data["min_length"]),
        int(data["min_half"]),
        frozenset(w.lower() for w in data["keep"]),
    )


class Corrector:
    """Corrections against one checker's lexicon; the vocabulary is built once."""

    def __init__(self, checker, rules: Rules | None = None):
        self.matcher = checker.matcher
        self.rules = rules or load_rules()
        self.vocabulary = frozenset(word for name in checker.lexicon.names for word in name.split())

    # --- how well a piece of text is known ---

    def strength(self, piece: str) -> int:
        """2 a known name, 1 a family pattern or a close fuzzy match, 0 unknown."""
        name = clean_name(piece)
        if not name:
            return 0
        match = self.matcher.match(name)
        if not match.recognised:
            return 0
        if match.method in STRONG:
            return 2
        return 1 if match.method == "pattern" or match.score >= MIN_FUZZY else 0

    def known_word(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.vocabulary or lower in self.rules.keep or lower.isdigit()

    # --- words ---

    def fix_word(self, word: str) -> str:
        """The known word this printed word stands for, or the word itself."""
        if any(c.isdigit() for c in word) and not word.isdigit():  # '6O', '2O': a number misread
            digits = [c for c in _substitutions(word.lower(), self.rules.pairs) if c.isdigit()]
            return digits[0] if len(set(digits)) == 1 else word
        if len(word) < self.rules.min_length or self.known_word(word) or not any(c.isalpha() for c in word):
            return word
        lower = word.lower()
        found = {c for c in _substitutions(lower, self.rules.pairs) if c in self.vocabulary}
        if not found and len(lower) >= 6:
            found = {
                c2
                for c in _substitutions(lower, self.rules.pairs)
                for c2 in _substitutions(c, self.rules.pairs)
                if c2 in self.vocabulary
            }
        if len(found) == 1:
            return _same_case(found.pop(), word)
        halves = [
            (lower[:i], lower[i:])
            for i in range(self.rules.min_half, len(lower) - self.rules.min_half + 1)
            if lower[:i] in self.vocabulary and lower[i:] in self.vocabulary
        ]
        if len(halves) == 1:
            return _same_case(" ".join(halves[0]), word)
        return word

    # --- pieces between commas ---

    def split_piece(self, piece: str) -> str:
        """A piece that is names run together -> the names with commas between them."""
        words = piece.split()
        if len(words) < 2 or len(words) > MAX_SPLIT_WORDS or self.strength(piece) == 2 or _prose(words):
            return piece
        parts = self._parts(tuple(words))
        if not parts or len(parts) < 2:
            return piece
        lead = piece[: len(piece) - len(piece.lstrip())]
        return lead + ", ".join(" ".join(part) for part in parts)

    def _parts(self, words: tuple[str, ...], depth: int = 0) -> list[tuple[str, ...]] | None:
        """The words cut into known names, every one a name known by name, or a family pattern
        of two words or more next to a known name of two words or more; None if they cannot be."""
        best = None
        for cut in range(1, len(words)):
            left, right = words[:cut], words[cut:]
            if right[0].startswith("(") or self.strength(" ".join(left)) == 0:  # 'Name (Other Name)' is one
                continue
            right_parts = [right] if self.strength(" ".join(right)) else None
            if right_parts is None and depth < 2:
                right_parts = self._parts(right, depth + 1)
            if right_parts and self._convincing([left, *right_parts]):
                best = [left, *right_parts]
                break
        return best

    def _convincing(self, parts: list) -> bool:
        strengths = [self.strength(" ".join(p)) for p in parts]
        if all(s == 2 for s in strengths):
            return True
        return all(len(p) >= 2 for p in parts) and any(s == 2 for s in strengths)

    # --- the whole text ---

    def correct(self, text: str) -> Correction:
        changes: list[str] = []
        lines = _join_hyphens(text.split("\n"), self, changes)
        lines = [_WORD.sub(lambda m: self._word(m.group(0), changes), line) for line in lines]
        lines = [self._line(line, changes) for line in lines]
        return Correction(self._line_ends(lines, changes), changes)

    def _word(self, word: str, changes: list[str]) -> str:
        fixed = self.fix_word(word)
        if fixed != word:
            changes.append(f"{word} -> {fixed}")
        return fixed

    def _line(self, line: str, changes: list[str]) -> str:
        def stop(match: re.Match) -> str:
            before = _SEPARATOR.split(line[: match.start()])[-1]
            after = re.split(r"[,;.]", line[match.end() :])[0]
            if self.strength(before) and self.strength(after):
                changes.append(f"'.' -> ',' after {before.strip()}")
                return ", "
            return match.group(0)

        line = _STOP_BETWEEN.sub(stop, line)

        def split(match: re.Match) -> str:
            piece = match.group(0)
            fixed = self.split_piece(piece)
            if fixed != piece:
                changes.append(f"commas put back in {piece.strip()}")
            return fixed

        return _PIECE.sub(split, line)

    def _line_ends(self, lines: list[str], changes: list[str]) -> str:
        out: list[str] = []
        for i, line in enumerate(lines):
            out.append(line)
            if i + 1 >= len(lines) or not line.strip() or not lines[i + 1].strip():
                continue
            if line.rstrip()[-1:] in ",;/-(":
                continue
            last = _SEPARATOR.split(line)[-1]
            first = re.split(r"[,;.]", lines[i + 1])[0]
            joined, known = self.strength(f"{last} {first}"), self.strength(last)
            if not known or joined == 2:  # a name wrapped onto the next line
                continue
            if self.strength(first) and len(first.split()) <= 6 and self._convincing([last.split(), first.split()]):
                out[-1] = line.rstrip() + ","
                changes.append(f"comma put back after {last.strip()}")
            elif not joined and not any(self.strength(p) for p in re.split(r"[,;.]", lines[i + 1])):
                out[-1] = line.rstrip().rstrip(".") + ".\n"
                changes.append(f"list ends after {last.strip()}")
        return "\n".join(out)


def _prose(words: list[str]) -> bool:
    """A sentence ends inside the piece ('blackheads. -Retinol'): marketing text, not names run
    together (a full stop between two names was made a comma already)."""
    return any(word[-1] in ".:!?" for word in words[:-1])


def _join_hyphens(lines: list[str], corrector: Corrector, changes: list[str]) -> list[str]:
    """'Hydro-' at a line's end + 'genated' -> 'Hydrogenated' when that is a known word."""
    out = list(lines)
    for i in range(len(out) - 1):
        head = re.search(r"([A-Za-z]+)-\s*$", out[i])
        tail = re.match(r"\s*([a-z]+)", out[i + 1])
        if not head or not tail:
            continue
        joined = head.group(1) + tail.group(1)
        if corrector.known_word(joined) and not corrector.known_word(tail.group(1)):
            out[i] = out[i][: head.start()] + joined
            out[i + 1] = out[i + 1][tail.end() :].lstrip()
            changes.append(f"{head.group(1)}- {tail.group(1)} -> {joined}")
    return [line for line in out if line.strip() or not line]


def _substitutions(word: str, pairs: tuple[tuple[str, str], ...]):
    for printed, meant in pairs:
        start = word.find(printed)
        while start >= 0:
            yield word[:start] + meant + word[start + len(printed) :]
            start = word.find(printed, start + 1)


def _same_case(fixed: str, like: str) -> str:
    letters = [c for c in like if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return fixed.upper()
    if like[:1].isupper():
        return " ".join(w[:1].upper() + w[1:] for w in fixed.split())
    return fixed


@lru_cache(maxsize=4)
def _corrector(checker) -> Corrector:
    return Corrector(checker)


def correct(text: str, checker) -> Correction:
    """The text with OCR slips put right against `checker`'s lexicon."""
    return _corrector(checker).correct(text)
