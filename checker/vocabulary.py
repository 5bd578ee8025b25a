"""data/label_words.toml -> the compiled patterns and pre-filter word lists the parser, the page
reader and the inventory reader use.

In:  the vocabulary file (default data/label_words.toml): words and phrases grouped by what they
     find, per language where they are language-specific.
Out: `load_vocabulary(path=None)` -> Vocabulary, loaded once per path: every pattern built from the
     words, and next to each pattern the literal hints derived from the same words (a text holding
     none of them cannot match, so the pattern is not run). A malformed file raises VocabularyError.

The words are data; the shape around them (where a heading may start, how far a notice runs, the
bounds that keep every pattern linear-time) is here. Alternations are factored by shared leading
words, as a hand-written pattern would be ('please\\s+(?:be\\s+aware|note)'), so each word is tried once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from .datafile import read_toml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "label_words.toml"
COLUMN_FIELDS = ("name", "brand", "barcode", "ingredients", "category")


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the file and the table."""


@dataclass(frozen=True)
class Vocabulary:
    # label text (checker/parse.py)
    list_heading: re.Pattern  # "Ingredients:", "Inactive ingredients (Canada)"
    list_heading_hints: tuple[str, ...]
    other_heading: re.Pattern  # "Purpose:", "Keep out of reach of children."
    claim_block: re.Pattern  # "formulated without", "free from:"
    claim_block_hints: tuple[str, ...]
    disclaimer: re.Pattern  # "Please note: ingredient lists may change ..." to the sentence's end
    disclaimer_hints: tuple[str, ...]
    footnote: re.Pattern  # "1, erhalten aus natürlichen ätherischen Ölen" (group 'mark': the digit)
    footnote_hints: tuple[str, ...]
    batch_code: re.Pattern  # "(F.I.L. N292333/1)", "[8007630008]"
    may_contain: re.Pattern  # "May contain:", "[+/-]"
    may_contain_hints: tuple[str, ...]
    claim_suffix: re.Pattern  # "Paraben-free"
    claim_suffixes: tuple[str, ...]
    name_colon_claim: re.Pattern  # a sentence "- Vitamin E: softens" with no list in it
    sentence_end: re.Pattern
    bullet_lead: re.Pattern
    lead_noise: re.Pattern
    drug_facts_purpose: re.Pattern  # "Sunscreen" after an active's strength on a one-line panel
    # ingredient names (checker/match.py)
    leading_qualifier: re.Pattern  # "Organic ", "Certified Organic "
    # translated names: a word of a name as some shops print it -> the INCI words (checker/match.py)
    name_parts: dict[str, str]
    # product pages (sources/page/)
    page_label: re.Pattern  # the whole text of a tab or title: "Ingredients", "What's inside"
    page_label_hint: re.Pattern
    attribute_hint: re.Pattern  # id="pdp-ingredients", class="inci-list"
    attribute_hint_words: tuple[str, ...]
    brand_byline: re.Pattern  # "Visit the Weleda Store": the group that took part holds the brand
    heading_alone: re.Pattern  # a paragraph or bullet label that is only a list heading
    bullet_label_line: re.Pattern  # "- Peptide Complex: binds moisture"
    claim_line: re.Pattern  # "Free from parabens", "✓ Without alcohol"
    ui_noise: re.Pattern  # "Read more", "…"
    # inventory files (shelf/inventory.py): spellings as written in the file, per product field
    columns: dict[str, tuple[str, ...]]
    column_fragments: dict[str, tuple[str, ...]]

    def patterns(self) -> dict[str, re.Pattern]:
        """Every compiled pattern, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), re.Pattern)}


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """The vocabulary in `path` (default data/label_words.toml), read and compiled once."""
    return _load(Path(path or DEFAULT_PATH).resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Vocabulary:
    return _build(_Tables(path, read_toml(path, VocabularyError)))


class _Tables:
    """Reads the file's tables; a missing table or key, or a list that is not all text, names both."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def table(self, name: str) -> dict:
        node = self.data
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise VocabularyError(f"{self.path}: no [{name}] table")
        return node

    def words(self, name: str, key: str) -> tuple[str, ...]:
        """One key's list, without repeats."""
        values = self.table(name).get(key)
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise VocabularyError(f"{self.path}: [{name}] {key} must be a list of words")
        return tuple(dict.fromkeys(v.strip() for v in values))

    def languages(self, name: str) -> tuple[str, ...]:
        """Every language's list together (the lists other than signs, fragments ...), in file order."""
        keys = [k for k, v in self.table(name).items() if isinstance(v, list) and k not in _NOT_LANGUAGES]
        if not keys:
            raise VocabularyError(f"{self.path}: [{name}] has no words")
        return tuple(dict.fromkeys(w for k in keys for w in self.words(name, k)))


def _byline(phrases) -> re.Pattern:
    """'visit the {brand} store' phrases -> one pattern; the group that took part is the brand."""
    shapes = []
    for phrase in phrases:
        before, _, after = phrase.partition("{brand}")
        shapes.append(rf"{_word(before)}(?P<brand{len(shapes)}>[^\n]{{1,60}}?){_word(after)}")
    return re.compile("(?i)^(?:" + "|".join(shapes) + ")$")


def _name_parts(t: _Tables) -> dict[str, str]:
    """[name_parts.<language>] word = "inci words", keyed as the matcher normalises names."""
    from .lexicon import key  # the matcher looks names up by this normalisation

    parts = {}
    for language, table in t.table("name_parts").items():
        if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
            raise VocabularyError(f"{t.path}: [name_parts.{language}] must map words to INCI words")
        parts.update({key(word): key(inci) for word, inci in table.items()})
    return parts


_NOT_LANGUAGES = {"signs", "bracketed_signs", "fragments", "marks", "ticks"}


# --- from words to patterns ----------------------------------------------------------------------


def _word(word: str) -> str:
    """One word of a phrase as a pattern; a word ending in ':' may have spaces before the colon."""
    return re.escape(word[:-1]) + r"\s*:" if word.endswith(":") and len(word) > 1 else re.escape(word)


def _alternatives(phrases) -> str:
    """One alternation of the phrases, a space standing for any run of whitespace, factored by
    shared leading words ('please\\s+(?:be\\s+aware|note)') so that each word is tried once.
    Longer words come first and a phrase that goes on is tried before its end ('uses' before
    'use', 'inci list' before 'inci'): where two phrases match, the longer one is taken."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for word in phrase.lower().split():
            node = node.setdefault(word, {})
        node[""] = {}  # a phrase ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    parts = []
    for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
        child = node[word]
        rest = {w: c for w, c in child.items() if w}
        after = _trie_pattern(rest)
        if len(rest) > 1:
            after = f"(?:{after})"
        if not rest:
            parts.append(_word(word))
        elif "" in child:  # a phrase ends here and another goes on
            parts.append(rf"{_word(word)}(?:\s+{after})?")
        else:
            parts.append(rf"{_word(word)}\s+{after}")
    return "|".join(parts)


def _literals(words) -> str:
    """An alternation of literal words factored by shared leading characters
    ('composi(?:ción|tion)'): with case ignored, a flat alternation tries every word at every
    position."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[:1], []).append(word)
    parts = []
    for group in by_first.values():
        if len(group) == 1:
            parts.append(re.escape(group[0]))
            continue
        prefix = os.path.commonprefix(group)
        parts.append(f"{re.escape(prefix)}(?:{_literals([w[len(prefix) :] for w in group])})")
    return "|".join(parts)


def _characters(chars) -> str:
    """The inside of a character class holding exactly these characters."""
    return "".join(re.escape(c) for c in chars)


def _hints(phrases, common=()) -> tuple[str, ...]:
    """A word each phrase cannot be found without, in lower case: its longest word that is not one
    of the `common` words (a list heading word is on most labels, so it would spare nothing). A
    hint that holds another hint goes: wherever it is, the shorter one is too."""
    common = {c.lower() for c in common}
    words = set()
    for phrase in phrases:
        candidates = phrase.lower().rstrip(":").split()
        words.add(max([w for w in candidates if w not in common] or candidates, key=len))
    return tuple(sorted(w for w in words if not any(other != w and other in w for other in words)))


def _sign(sign: str) -> str:
    """'+/-' -> '\\+\\s*/\\s*\\-': spaces may stand between a sign's characters."""
    return r"\s*".join(re.escape(c) for c in sign)


def _bracketed(sign: str) -> str:
    """The sign in square brackets, in round brackets, alone ('[+/-]', '(+/-)', '+/-')."""
    return rf"\[\s*{_sign(sign)}\s*\]|\(\s*{_sign(sign)}\s*\)|{_sign(sign)}"


# A heading may carry a bracketed note: "Ingredients (Canada):".
_HEADING_NOTE = r"(?:\s*\([^)\n]{0,40}\))?"
# Where a heading may start: at a line start or after a space or full stop.
_HEADING_START = r"(?:^|(?<=[\s.]))"


def _build(t: _Tables) -> Vocabulary:
    list_words = t.languages("headings.list")
    list_heading = (
        rf"(?:(?:{_alternatives(t.languages('headings.list_qualifiers'))})\s+)?"
        rf"(?:{_alternatives(list_words)})"
        rf"(?:\s+(?:{_alternatives(t.languages('headings.list_suffixes'))}))?"
    )
    # Openers go on along their line, up to a colon: "Keep out of reach of children:".
    other_heading = (
        rf"(?:{_alternatives(t.languages('headings.other'))}|"
        rf"(?:{_alternatives(t.languages('headings.other_openers'))})[^\n:]{{0,40}})"
    )
    block = t.languages("claims.block")
    block_words = t.languages("claims.block_words")
    disclaimers = t.languages("disclaimers")
    footnotes = t.languages("footnotes")
    may_phrases = t.languages("may_contain")
    signs, bracketed = t.words("may_contain", "signs"), t.words("may_contain", "bracketed_signs")
    may_signs = "|".join([_bracketed(s) for s in bracketed] + [_sign(s) for s in signs])
    suffixes = t.languages("claims.suffix")
    marks, ticks = _characters(t.words("bullets", "marks")), _characters(t.words("bullets", "ticks"))
    labels = t.languages("page.labels")
    stems, attribute_words = t.languages("page.attribute_stems"), t.languages("page.attribute_words")
    ui_noise, ui_signs = t.languages("ui_noise"), t.words("ui_noise", "signs")
    return Vocabulary(
        # A heading ends in a colon, or stands alone on its line.
        list_heading=re.compile(rf"(?im){_HEADING_START}(?P<h>{list_heading}){_HEADING_NOTE}\s*(?::|\n|$)"),
        list_heading_hints=_hints(list_words),
        other_heading=re.compile(rf"(?im){_HEADING_START}(?P<h>{other_heading}){_HEADING_NOTE}\s*(?::|$)"),
        claim_block=re.compile(f"{_alternatives(block)}|(?:{_alternatives(block_words)})\\b", re.I),
        claim_block_hints=_hints(block + block_words, common=list_words),
        # A notice runs to the end of its sentence or line.
        disclaimer=re.compile(rf"(?:{_alternatives(disclaimers)})[^\n.]{{0,400}}[.\n]?", re.I),
        disclaimer_hints=_hints(disclaimers, common=list_words),
        # The digit stands alone (not the end of 'Peptide-1' or '0.1'), then the phrase, to the end
        # of its sentence or line.
        footnote=re.compile(
            rf"(?<![\w.\-])(?P<mark>[1-9])\s*[,.:)]?\s*(?:{_alternatives(footnotes)})[^\n.]{{0,300}}\.?", re.I
        ),
        footnote_hints=_hints(footnotes),
        batch_code=re.compile(
            rf"[\[(]\s*(?:(?:{_alternatives(t.words('batch_codes', 'prefixes'))})\s*[A-Z]?\d[\w/.\-]{{0,30}}"
            r"|\d{6,20})\s*[\])]",
            re.I,
        ),
        may_contain=re.compile(rf"(?:{_alternatives(may_phrases)}|{may_signs})\s*:?", re.I),
        may_contain_hints=tuple(sorted(set(_hints(may_phrases)) | {s[0] for s in signs + bracketed})),
        claim_suffix=re.compile(rf"[\s-](?:{_alternatives(suffixes)})$", re.I),
        claim_suffixes=tuple(s.lower() for s in suffixes),
        name_colon_claim=re.compile(rf"^[{marks}\s]{{0,10}}[^:,;]{{1,80}}:[^,;:]{{1,120}}$"),
        # Sentence ends: ". " before a capital or a bullet, but not 'No. 1' or 'Denat., '.
        sentence_end=re.compile(rf"(?<=[A-Za-z)\]*])(?<!\bExt)(?<!\bNo)[.!?]\s+(?=[{marks}A-Z])"),
        bullet_lead=re.compile(rf"^\s*[{marks}]+\s*"),
        lead_noise=re.compile(rf"^(?:[{marks}.:\s]|\d{{1,2}}[.)]\s)+"),
        # from the start of a run of spaces only, so that a search stays linear
        drug_facts_purpose=re.compile(rf"(?<!\s)\s*({_alternatives(t.languages('drug_facts.purposes'))})\b", re.I),
        leading_qualifier=re.compile(
            rf"^(?:(?:{_alternatives(t.languages('qualifiers.prefixes'))})\s+)?"
            rf"(?:{_alternatives(t.languages('qualifiers.words'))})\s+",
            re.I,
        ),
        page_label=re.compile("(?i)^(?:" + "|".join(re.escape(w) for w in labels) + ")$"),
        brand_byline=_byline(t.languages("page.brand_bylines")),
        page_label_hint=re.compile(f"(?i){_literals(_hints(labels))}"),
        attribute_hint=re.compile(
            "(?i)"
            + "|".join(re.escape(w) for w in stems)
            + "|"
            + "|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in attribute_words)
        ),
        attribute_hint_words=_hints(stems + attribute_words),
        heading_alone=re.compile(rf"(?i)^\s*{list_heading}\s*$"),
        bullet_label_line=re.compile(rf"^\s*[{marks}{ticks}]\s*(?P<label>[^:\n]{{1,120}}):\s*\S+(?:[ \t]+\S+)+"),
        # "No parabens, sulfates or ...", "0% alcohol" and "Zero ..." are claims by their shape.
        claim_line=re.compile(
            rf"^\s*(?:[{marks}{ticks}]\s*)?(?:{_alternatives(t.languages('claims.line'))}|"
            r"no\s+(?:added\s+)?[a-z]+\s*(?:,|and|or)|0\s?%|zero\s+)\b",
            re.I,
        ),
        ui_noise=re.compile(
            rf"(?i)\b(?:{_alternatives(ui_noise)})\b\.*" + "".join(f"|{re.escape(s)}" for s in ui_signs)
        ),
        columns={f: t.languages(f"columns.{f}") for f in COLUMN_FIELDS},
        name_parts=_name_parts(t),
        column_fragments={f: t.words(f"columns.{f}", "fragments") for f in COLUMN_FIELDS},
    )


# The default vocabulary's patterns at module level, where checks that walk the checker's
# module-level patterns (linear time) find the page reader's too.
PATTERNS = load_vocabulary().patterns()
