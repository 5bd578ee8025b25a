"""Token name -> Match: which known ingredient it is, and how we know.

In:  a cleaned token name (from parse) and the Lexicon.
Out: a Match: the entry (or None), the method ("exact" | "synonym" | "pattern" | "fuzzy"), a score
     0-100, the family name for patterns, and for fuzzy matches the runner-up when it is close and
     would be flagged differently (the judge then flags the token caution instead of guessing).

Order, cheap and certain first: the whole name, the name without its bracketed common name,
the bracketed name, each part of a slash name ('Water/Aqua/Eau'); then family patterns
('PEG-100 Stearate', 'Genus species Leaf Extract'); then rapidfuzz against every known name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .lexicon import Entry, Lexicon, key, ocr_fold
from .protocol import Fuzzy
from .verdicts import SEVERITY
from .vocabulary import load_vocabulary


@dataclass(frozen=True)
class Match:
    entry: Entry | None
    method: str | None = None  # exact | synonym | pattern | fuzzy
    score: float = 0.0
    matched_name: str | None = None  # the known name or family the token was matched to
    runner_up: Entry | None = None  # fuzzy only: a close candidate with another flag
    runner_up_score: float = 0.0

    @property
    def recognised(self) -> bool:
        return self.entry is not None


NO_MATCH = Match(None)

_PAREN = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_LEADING_QUALIFIER = load_vocabulary().leading_qualifier  # "Organic ", "Certified Organic "
_NAME_PARTS = load_vocabulary().name_parts  # "samenol" -> "seed oil" (translated names)
_DIGITS = re.compile(r"\d+")


def _translated(normalised: str) -> str | None:
    """A normalised name with its translated words put back into INCI ('aloe barbadensis
    blattsaft' -> 'aloe barbadensis leaf juice'); None when no word is a translation."""
    words = normalised.split()
    if not any(word in _NAME_PARTS for word in words):
        return None
    return " ".join(_NAME_PARTS.get(word, word) for word in words)


def _variants(name: str) -> list[str]:
    """The spellings worth an exact look-up, most literal first."""
    inner = [a or b for a, b in _PAREN.findall(name)]
    outer = " ".join(_PAREN.sub(" ", name).split())
    bare = _LEADING_QUALIFIER.sub("", outer)
    out = [name, outer, bare] + inner
    seen, keys = set(), []
    for variant in out:
        normalised = key(variant)
        if normalised and normalised not in seen:
            seen.add(normalised)
            keys.append(normalised)
    return keys


class Matcher:
    """Matches names against one Lexicon, tuned by the protocol's [fuzzy] table; results are cached per name."""

    def __init__(self, lexicon: Lexicon, flag_of: Callable[[tuple[str, ...]], str], fuzzy: Fuzzy):
        self.lexicon = lexicon
        self.flag_of = flag_of
        self.fuzzy = fuzzy
        self.known = lru_cache(maxsize=200_000)(self._known)
        self.match = lru_cache(maxsize=200_000)(self._match)
        self.split_run_on = lru_cache(maxsize=20_000)(self._split_run_on)

    def _match(self, name: str) -> Match:
        """The known name, else the closest guess (see `known` for the cheap part alone)."""
        found = self.known(name)
        if found.recognised:
            return found
        keys = _variants(name)
        if not keys:
            return NO_MATCH
        plain = keys[1] if len(keys) > 1 else keys[0]
        return self._fuzzy(_translated(plain) or plain)

    def _known(self, name: str) -> Match:
        """Exact names and synonyms, family patterns and slash names; never a guess."""
        keys = _variants(name)
        if not keys:
            return NO_MATCH
        for k in keys[:3]:
            found = self._exact(k)
            if found:
                return found
        found = self._pattern(*keys[:3])  # the most specific family wins, whichever spelling shows it
        if found:
            return found
        for k in keys[3:]:  # the bracketed name alone: 'Parfum (Fragrance)' -> 'Fragrance'
            found = self._exact(k) or self._pattern(k)
            if found:
                return found
        if "/" in name:
            found = self._slash_parts(name)
            if found:
                return found
        translated = [t for t in map(_translated, keys) if t]  # 'Aloe Barbadensis-Blattsaft'
        for k in translated:
            found = self._exact(k)
            if found:
                return found
        return (self._pattern(*translated) if translated else None) or NO_MATCH

    def _split_run_on(self, name: str, min_exact: int = 0) -> list[str] | None:
        """'Squalane Rosa Canina Fruit Oil Tocopherol' (commas lost) -> the names in it.

        At each word, the longest known name (exact or synonym, up to `run_on_name_words` words),
        else the longest family-pattern name (up to `run_on_pattern_words`: 'Simmondsia Chinensis
        Oil'); unknown words are kept as their own parts so nothing is lost. None unless at least
        `run_on_min_names` names, `min_exact` of them known by name, cover at least `run_on_cover`
        of the words: a long genuine name is left whole.
        """
        fuzzy = self.fuzzy
        max_words, max_pattern_words = fuzzy.run_on_name_words, fuzzy.run_on_pattern_words
        words = key(name).split()
        parts: list[tuple[str, bool]] = []
        known = exact = covered = i = 0
        while i < len(words):
            end, by_name = self._longest_name(words, i, max_words, max_pattern_words)
            if end:
                parts.append((" ".join(words[i:end]), True))
                known, exact, covered, i = known + 1, exact + by_name, covered + end - i, end
                continue
            if parts and not parts[-1][1]:
                parts[-1] = (parts[-1][0] + " " + words[i], False)
            else:
                parts.append((words[i], False))
            i += 1
        if known < fuzzy.run_on_min_names or exact < min_exact or covered < fuzzy.run_on_cover * len(words):
            return None
        return [part.title() for part, _ in parts]

    def _longest_name(
        self, words: list[str], start: int, max_words: int, max_pattern_words: int
    ) -> tuple[int | None, bool]:
        for end in range(min(len(words), start + max_words), start, -1):
            if " ".join(words[start:end]) in self.lexicon.names:
                return end, True
        for end in range(min(len(words), start + max_pattern_words), start + 1, -1):
            if self._pattern(" ".join(words[start:end])):
                return end, False
        return None, False

    def _exact(self, normalised: str) -> Match | None:
        hit = self.lexicon.names.get(normalised)
        if hit:
            entry, method = hit
            return Match(entry, method, 100.0, entry.inci)
        return None

    def _pattern(self, *spellings: str) -> Match | None:
        for family in self.lexicon.families:
            if any(family.pattern.search(spelling) for spelling in spellings):
                entry = Entry(inci=None, classes=family.classes, note=family.note, source="family pattern")
                return Match(entry, "pattern", 100.0, family.name)
        return None

    def _slash_parts(self, name: str) -> Match | None:
        """'Water/Aqua/Eau': every known part; the most severe one speaks for the token."""
        found = [m for part in name.split("/") for k in _variants(part)[:2] if (m := self._exact(k))]
        if not found:
            return None
        return max(found, key=lambda m: SEVERITY[self.flag_of(m.entry.classes)])

    def _fuzzy(self, normalised: str) -> Match:
        fuzzy = self.fuzzy
        if len(normalised) < fuzzy.min_length or len(normalised.split()) > fuzzy.max_words:
            return NO_MATCH
        folded = ocr_fold(normalised)
        digits = _DIGITS.findall(folded)
        candidates = process.extract(
            folded,
            self.lexicon.folded_names,
            scorer=fuzz.ratio,
            limit=fuzzy.candidates,
            score_cutoff=fuzzy.threshold - fuzzy.margin,
        )
        # Numbers carry meaning (Peptide-3 vs Peptide-5, PEG-40 vs PEG-100): they must agree.
        # The score shown is the plain edit similarity to the closest real spelling.
        scored = []
        for choice, folded_score, index in candidates:
            if _DIGITS.findall(choice) != digits:
                continue
            for original in self.lexicon.folded_originals[index]:
                entry = self.lexicon.names[original][0]
                scored.append((folded_score, fuzz.ratio(normalised, original), entry))
        scored.sort(key=lambda s: (-s[0], -s[1]))
        if not scored or scored[0][0] < fuzzy.threshold:
            return NO_MATCH
        best_score, shown, best = scored[0]
        if (
            shown < fuzzy.threshold - fuzzy.plain_slack
        ):  # folding made it look closer than it is ('Nitrate' ~ 'Lactate')
            return NO_MATCH
        best_flag = self.flag_of(best.classes)
        # A flag from a guess needs a closer guess: either a near-exact spelling, or a name that
        # only differs by OCR look-alikes ('Retlnol'). 'Potassium Gluconate' is not 'Glycolate'.
        if best_flag in ("avoid", "caution") and shown < fuzzy.flag_threshold and best_score < fuzzy.look_alike_score:
            return NO_MATCH
        rival = next(
            (
                (s, shown_r, e)
                for s, shown_r, e in scored[1:]
                if e.inci != best.inci and self.flag_of(e.classes) != best_flag and s >= best_score - fuzzy.margin
            ),
            None,
        )
        return Match(
            best, "fuzzy", round(shown, 1), best.inci, rival[2] if rival else None, round(rival[1], 1) if rival else 0.0
        )


class Guesses:
    """Guessing at unknown names, bounded: the first `limit` different unknown names are compared
    with every known name, the rest are left unrecognised (and kept in `refused`). One per label,
    or per page read, so that a megabyte of junk costs a bounded amount of fuzzy matching."""

    def __init__(self, matcher: Matcher, limit: int):
        self.matcher, self.limit = matcher, limit
        self.tried: set[str] = set()
        self.refused: set[str] = set()

    def match(self, name: str) -> Match:
        found = self.matcher.known(name)
        if found.recognised:
            return found
        if name not in self.tried:
            if len(self.tried) >= self.limit:
                self.refused.add(name)
                return found
            self.tried.add(name)
        return self.matcher.match(name)
