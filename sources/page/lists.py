"""A candidate's text -> the list in it, scored by how many of its items the checker recognises.

In:  the text of a page section or text block, and the Checker whose matcher scores it.
Out: `Scorer(checker).score(text)` -> Scored: the paragraphs that read as an ingredient list
     (controls' text, marketing bullets, "free from" claims and disclaimers left out; shade lists
     in one field merged, names broken over two paragraphs joined), their
     token count and how many tokens were recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from checker import Checker
from checker.match import Guesses
from checker.parse import InputError, cut_disclaimers, parse
from checker.vocabulary import load_vocabulary

from .shades import join_broken_names, merge_shades

_WORDS = load_vocabulary()  # data/label_words.toml
# Text a page's controls leave inside a section ("Read more", "Show less") and the ellipsis of a
# truncated preview.
_UI_NOISE = _WORDS.ui_noise
# "-Nine Signal Peptide Complex: Serves to bind moisture ..." is a marketing bullet, not an item.
_BULLET_LABEL_LINE = _WORDS.bullet_label_line
# "Free from retinol, parabens and fragrance" names what the product does not contain.
_CLAIM_LINE = _WORDS.claim_line
# A paragraph or bullet label that is only a list heading ("Inactive Ingredients").
_HEADING_LABEL = _WORDS.heading_alone


@dataclass(frozen=True)
class Scored:
    text: str  # the list as chosen: list paragraphs only
    tokens: int
    recognised: int

    @property
    def share(self) -> float:
        return self.recognised / self.tokens if self.tokens else 0.0


_EMPTY = Scored("", 0, 0)


class _Para(NamedTuple):
    text: str
    tokens: int
    recognised: int
    names: frozenset
    index: int  # position among the candidate's paragraphs


class Scorer:
    """Scores texts by the checker's recognition share; paragraphs are cached per extraction."""

    def __init__(self, checker: Checker):
        # One bounded budget of guesses per page read: a page of junk words costs no more.
        self.guesses = Guesses(checker.matcher, checker.protocol.fuzzy.max_guesses_per_page)
        self.cache: dict[str, tuple[int, int, frozenset]] = {}
        self.scores: dict[str, Scored] = {}  # pages repeat texts (a label per product tile)

    def paragraph(self, text: str) -> tuple[int, int, frozenset]:
        if text not in self.cache:
            try:
                tokens = parse(text).tokens
            except InputError:
                tokens = []
            recognised = sum(1 for t in tokens if self.guesses.match(t.name).recognised)
            self.cache[text] = (len(tokens), recognised, frozenset(t.name.lower() for t in tokens))
        return self.cache[text]

    def recognised(self, name: str) -> bool:
        return self.guesses.match(name).recognised

    def selection(self, text: str) -> Scored:
        """The user's selection as a whole: the user said it is the list, so nothing is left out."""
        tokens, recognised, _names = self.paragraph(_UI_NOISE.sub(" ", text).strip())
        return Scored(text.strip(), tokens, recognised)

    def score(self, text: str) -> Scored:
        """Keep the paragraphs that read as ingredient lists; score what is kept."""
        if text not in self.scores:
            self.scores[text] = self._score(text)
        return self.scores[text]

    def _score(self, text: str) -> Scored:
        text = _UI_NOISE.sub(" ", text)
        text, _removed = cut_disclaimers(text)
        lines = [line for line in text.split("\n") if not _is_noise_line(line)]
        paragraphs = [merge_shades(p.strip()) for p in "\n".join(lines).split("\n\n") if p.strip()]
        if len(paragraphs) > 1:
            paragraphs = join_broken_names(paragraphs, self.recognised)
        kept = []
        for index, para in enumerate(paragraphs):
            tokens, recognised, names = self.paragraph(para)
            if tokens and recognised * 2 >= tokens:
                kept.append(_Para(para, tokens, recognised, names, index))
        kept = _drop_strays(_drop_repeats(kept), paragraphs)
        if not kept:
            return _EMPTY
        return Scored(_join(k.text for k in kept), sum(k.tokens for k in kept), sum(k.recognised for k in kept))


def _join(paragraphs) -> str:
    """Paragraphs of one list; the parser ends a list line at a blank line, so names stay apart."""
    return "\n\n".join(paragraphs)


def _drop_repeats(kept: list[_Para]) -> list[_Para]:
    """A truncated preview next to the full list ("Read more") repeats its items: keep the full one."""
    unique = []
    for para in kept:
        if any(para.names < other.names for other in kept) or any(para.names == u.names for u in unique):
            continue
        unique.append(para)
    return unique


def _drop_strays(kept: list[_Para], paragraphs: list[str]) -> list[_Para]:
    """Short paragraphs (a heading such as 'Niacinamide 10% + Zinc 1%') count only next to the
    list itself, as the actives line above an INCI list does; list headings in between are skipped."""
    long = [k for k in kept if k.tokens >= 3]
    if not long:
        return kept
    bridges = {i for i, p in enumerate(paragraphs) if _HEADING_LABEL.match(p.rstrip(": "))}

    def near_list(index: int) -> bool:
        for step in (-1, 1):
            j = index + step
            while j in bridges:
                j += step
            if any(k.index == j for k in long):
                return True
        return False

    return [k for k in kept if k.tokens >= 3 or near_list(k.index)]


def _is_noise_line(line: str) -> bool:
    bullet = _BULLET_LABEL_LINE.match(line)
    if bullet and not _HEADING_LABEL.match(bullet.group("label")):
        return True
    return bool(_CLAIM_LINE.match(line))
