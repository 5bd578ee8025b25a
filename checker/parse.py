"""Label text -> ingredient tokens.

In:  the text a user pasted or a page gave us: an INCI list, often with a product name, headings
     ("Ingredients:", US Drug Facts blocks), marketing bullets, footnotes, "formulated without"
     disclaimers, HTML remnants, mojibake, OCR noise, one ingredient per line or comma-separated.
Out: a ParsedLabel: the tokens in label order (raw text as printed + cleaned name), and the
     context: the text that is not part of the list (product name, Drug Facts "Purpose", marketing),
     which the product-level rules (SPF, "foundation") read.

The work is an ordered list of small, pure steps (see `parse`); each is testable alone. Every
regular expression here is linear (no nested quantifiers) so hostile input cannot stall it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy

from .vocabulary import load_vocabulary

MAX_CHARS = 1_000_000
MAX_TOKEN_CHARS = 200


class InputError(ValueError):
    """The input cannot be checked at all (not text, empty, too long)."""


@dataclass(frozen=True)
class Token:
    text: str  # as printed on the label (trimmed)
    name: str  # cleaned: no percentages, footnote marks, bullets, 'nano'
    position: int  # 1-based order in the list
    may_contain: bool = False  # listed under 'May contain' / '+/-' (shade ranges)
    rank: int = 0  # order among the label's top-level entries: a blend's parts share one rank

    def __post_init__(self):
        if not self.rank:
            object.__setattr__(self, "rank", self.position)


@dataclass
class ParsedLabel:
    tokens: list[Token]
    context: str = ""
    notes: list[str] = field(default_factory=list)
    title: str = ""  # the text before the first ingredient heading (usually the product name)


# Every word list (headings, claims, bullets, ...) comes from data/label_words.toml.
_WORDS = load_vocabulary()

# --- 1. text hygiene --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKS = re.compile("[®™©℠¹²³⁴⁵⁶⁷⁸⁹⁰]")
_MOJIBAKE_HINT = re.compile("[ÃÂ][\u0080-\u00bf]|â[\u0080-\u00bf€]|Ã|ï»¿")
# Label text pasted with HTML remnants (a retailer's tab): line-ending tags become line breaks.
_LINE_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d|/ul|/ol)\b[^>]{0,200}>", re.I)
_TAG = re.compile(r"<[^<>]{0,500}>")
_HTML_HINT = re.compile(r"</?(?:br|div|p|li|ul|ol|b|strong|span|td|tr|table|h\d|em|i)\b[^>]{0,200}>", re.I)


def clean_text(text: str) -> str:
    """Fix mojibake ('CrÃ¨me'), drop control and bidi characters, turn HTML into lines."""
    if not text.isascii():
        # ftfy is thorough but slow; only text that shows mojibake's fingerprints needs it.
        if _MOJIBAKE_HINT.search(text):
            text = ftfy.fix_text(text)
        # NFKC folds full-width letters ('Ｒｅｔｉｎｏｌ'); marks it would turn into letters or
        # digits ('™' -> 'TM', '¹' -> '1') go first.
        text = unicodedata.normalize("NFKC", _MARKS.sub(" ", text)).replace("、", ",")
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _HTML_HINT.search(text):
        text = html.unescape(_TAG.sub(" ", _LINE_TAG.sub("\n", text)))
    return text


_QUOTED_ITEM = re.compile(r"'([^'\n]{0,300})'|\"([^\"\n]{0,300})\"")


def unwrap_list_literal(text: str) -> str:
    """ "['glycerin', 'niacinamide']" (a list exported by a scraper) -> 'glycerin, niacinamide'."""
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]") and ("', '" in stripped or '", "' in stripped)):
        return text
    return ", ".join(a or b for a, b in _QUOTED_ITEM.findall(stripped))


# --- 2. disclaimers and negative lists -----------------------------------------------------------

# "Clean at Sephora products are formulated without: ... Retinyl Palmitate ..." names what the
# product does NOT contain; everything from such a phrase up to the next list heading is dropped.
_NEGATIVE = _WORDS.claim_block
_NEGATIVE_WORDS = _WORDS.claim_block_hints
_DISCLAIMER = _WORDS.disclaimer
_DISCLAIMER_WORDS = _WORDS.disclaimer_hints


def cut_disclaimers(text: str) -> tuple[str, str]:
    """Remove 'formulated without' blocks and 'lists may change' notices; return (text, removed)."""
    removed = []

    def keep(match: re.Match) -> str:
        removed.append(match.group(0))
        return " "

    lowered = text.lower()
    # Plain substring tests first: most labels have neither, and these regexes scan every position.
    if any(word in lowered for word in _DISCLAIMER_WORDS):
        text = _DISCLAIMER.sub(keep, text)
    match = _NEGATIVE.search(text) if any(word in lowered for word in _NEGATIVE_WORDS) else None
    while match:
        start = _sentence_start(text, match.start())
        heading = _LIST_HEADING.search(text, match.end())
        end = heading.start() if heading else len(text)
        removed.append(text[start:end])
        text = text[:start] + "\n" + text[end:]
        match = _NEGATIVE.search(text, start + 1)
    return text, " ".join(removed)


_FOOTNOTE_LINE = _WORDS.footnote
# A formula or batch note inside a name, or a supplier code after the last item: not an ingredient.
_BATCH_CODE = _WORDS.batch_code
_FOOTNOTE_WORDS = _WORDS.footnote_hints


def cut_footnotes(text: str) -> tuple[str, str, frozenset[str]]:
    """Remove numbered footnotes printed in the list; return (text, removed, their digits)."""
    lowered = text.lower()
    if not any(word in lowered for word in _FOOTNOTE_WORDS):
        return text, "", frozenset()
    removed, marks = [], set()

    def keep(match: re.Match) -> str:
        removed.append(match.group(0))
        marks.add(match.group("mark"))
        return " "

    return _FOOTNOTE_LINE.sub(keep, text), " ".join(removed), frozenset(marks)


def cut_batch_codes(text: str) -> str:
    """'PEG-100 STEARATE (F.I.L. N292333/1).' -> 'PEG-100 STEARATE.'; 'Linalool. [8007630008]' -> 'Linalool.'"""
    parts, last = [], 0
    for match in _BATCH_CODE.finditer(text):
        parts.append(text[last : match.start()].rstrip(" \t"))  # the full stop after it ends the name
        last = match.end()
    return "".join(parts) + text[last:] if parts else text


def unmark(name: str, marks: frozenset[str]) -> str:
    """'Limonene1' -> 'Limonene' and 'Parfüm (Parfüm) 1' -> 'Parfüm (Parfüm)' when the label has
    a footnote 1: the digit glued to a word (or standing after it) is the footnote's mark."""
    if len(name) > 2 and name[-1] in marks and (name[-2].islower() or name[-2] in " )"):
        return name[:-1].rstrip()
    return name


def _sentence_start(text: str, index: int) -> int:
    """Start of the sentence or line holding `index`, so the 'Clean at X' lead-in goes too."""
    window_start = max(0, index - 200)
    cut = max(text.rfind("\n", window_start, index), text.rfind(". ", window_start, index))
    return window_start if cut < 0 else cut + 1


# --- 3. sections: which parts of the text are the list ---------------------------------------

# A list heading ("Ingredients:", "Inactive ingredients (Canada)") and the headings of the text
# around the list (Drug Facts "Purpose:"); each ends in a colon or stands alone on its line.
_LIST_HEADING = _WORDS.list_heading
_HEADING_WORDS = _WORDS.list_heading_hints
_OTHER_HEADING = _WORDS.other_heading


def split_sections(text: str) -> tuple[list[str], str]:
    """Return (list bodies, context). Without any list heading the whole text is the list;
    with one, the context starts with the text before the first heading."""
    # Most labels have no heading; a cheap literal scan saves the heading regex on them.
    lowered = text.lower()
    if not any(word in lowered for word in _HEADING_WORDS):
        return [text], ""
    marks = [(m.start(), m.end(), "list") for m in _LIST_HEADING.finditer(text)]
    if not marks:
        return [text], ""
    marks += [(m.start(), m.end(), "other") for m in _OTHER_HEADING.finditer(text)]
    marks.sort()
    bodies, context = [], [text[: marks[0][0]]]
    for i, (start, end, kind) in enumerate(marks):
        body_end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if body_end < end:  # overlapping headings: keep the first
            continue
        (bodies if kind == "list" else context).append(text[end:body_end])
        context.append(text[start:end])
    return bodies, "\n".join(context)


# --- 4. prose versus list ------------------------------------------------------------------

_SOFT_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_HARD_HYPHEN_BREAK = re.compile(r"-\n(?=[A-Z0-9])")
# 'Zinc Oxide 2.0%Water': a strength after a name ends that entry; one before a name ('0.5% Salicylic
# Acid') belongs to it and stays.
_PERCENT_RUN_ON = re.compile(r"(?<=[A-Za-z)])(\s?\d+(?:[.,]\d+)?\s?%)(?=\s?[A-Za-z])")
# Sentence ends: ". " before a capital or a bullet, but not 'No. 1' or 'Denat., '. Splitting
# too often is harmless: only prose sentences are dropped.
_SENTENCE_END = _WORDS.sentence_end
# "-Vitamin E: Softens": a name, a colon and a claim, with no list in the sentence.
_NAME_COLON_CLAIM = _WORDS.name_colon_claim
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET_LEAD = _WORDS.bullet_lead


_BRACKETED = re.compile(r"\([^()]{0,200}\)|\[[^\[\]]{0,200}\]")
_SEPARATORS = re.compile(r"[,;]")


def _outside_parens_separators(piece: str) -> int:
    return _SEPARATORS.subn("", _BRACKETED.sub(" ", piece))[1]


_PUNCTUATION = "()[]{}'\"-*•.,;:!?/&+%"
_SMALL_WORDS = {"and", "or", "of", "the", "in", "with", "from", "to", "for", "a", "an", "sh", "rh", "nano", "de", "la"}


def _word_counts(text: str) -> tuple[int, int]:
    """(lower-case words, words), small words aside; str.split, not a regex: it runs on every
    sentence of every label."""
    lower = total = 0
    for word in text.split():
        word = word.strip(_PUNCTUATION)
        if not word or not word[0].isalpha():
            continue
        if word[0].islower():
            if word in _SMALL_WORDS:
                continue
            lower += 1
        total += 1
    return lower, total


def _lower_share(piece: str) -> float | None:
    """Share of lower-case words (small words aside); None for an all-lower-case text."""
    if piece.lower() == piece:
        return None
    lower, total = _word_counts(piece)
    return lower / total if total >= 3 else None


def _is_prose(sentence: str, bare: str, counts: tuple[int, int] | None) -> bool:
    """Marketing copy or a footnote, not ingredients.

    In a Title Case label, most items of a prose sentence have lower-case words ('Soothes and
    moisturizes, leaving skin looking healthy'); one odd item does not make a list prose.
    Clauses of more than six words are prose unless every word is capitalised: then commas were
    lost ('Squalane Rosa Canina Fruit Oil Tocopherol') and the matcher splits the run-on names.
    A sentence that opens with a footnote mark is a footnote; 'Name: claim' with no list in it
    ('-Vitamin E: Softens') is a marketing bullet. Anything else is kept: a fragment OCR cut off
    with a full stop still holds ingredients. `counts` are the sentence's (lower-case words,
    words) in a Title Case label, None in an all-lower-case one.
    """
    if sentence.lstrip()[:1] in ("*", "†", "‡") or _NAME_COLON_CLAIM.match(sentence):
        return True
    share = counts[0] / counts[1] if counts and counts[1] >= 3 else None
    if share is None and bare.count(" ") < 6:
        return False  # a few words with no lower-case test to pass: a name, not a sentence
    items = _SEPARATORS.split(bare)
    # (a list whose words are nearly all capitalised needs no look at each item)
    if share is not None and share >= 0.15 and sum(1 for item in items if _has_lower_word(item)) * 2 > len(items):
        return True  # most items have lower-case words: a sentence, not a list
    long_items = sum(1 for item in items if len(item.rsplit(":", 1)[-1].split()) > 6)
    return long_items * 3 >= len(items) and not (share is not None and share <= 0.05)


def _has_lower_word(item: str) -> bool:
    return any((w := word.strip(_PUNCTUATION)) and w[0].islower() and w not in _SMALL_WORDS for word in item.split())


def _is_short_item(line: str) -> bool:
    stripped = _BULLET_LEAD.sub("", line).strip()
    return 0 < len(stripped) <= 80 and len(stripped.split()) <= 7 and not stripped.endswith(":")


def list_pieces(body: str) -> tuple[list[str], list[str]]:
    """Split a list body into pieces that hold ingredients and pieces of prose.

    Comma lists: line breaks are only wrapping (hyphenated breaks are re-joined), sentences
    of marketing around the list are prose. One-per-line lists: every short line is an item.
    """
    if "%" in body:
        body = _PERCENT_RUN_ON.sub(r"\1, ", body)
    lines = [line for line in body.split("\n") if line.strip()]
    if not lines:
        return [], []
    if _outside_parens_separators(body) < 2 and len(lines) >= 2:
        items = [line for line in lines if _is_short_item(line)]
        prose = [line for line in lines if not _is_short_item(line)]
        return (["; ".join(items)] if items else []), prose
    joined = _HARD_HYPHEN_BREAK.sub("-", _SOFT_HYPHEN_BREAK.sub("", body)) if "-\n" in body else body
    sentences = [
        sentence
        for paragraph in _BLANK_LINE.split(joined)  # a blank line ends a line; a break only wraps
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split()))
    ]
    bares = [_BRACKETED.sub(" ", s) if "(" in s or "[" in s else s for s in sentences]
    # The lower-case test only means something on a label printed in Title Case or capitals.
    counts = None if joined.lower() == joined else [_word_counts(b) for b in bares]
    if counts:
        lower, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
        if total < 3 or lower >= total * 0.5:
            counts = None
    pieces, prose = [], []
    for i, sentence in enumerate(sentences):
        (prose if _is_prose(sentence, bares[i], counts[i] if counts else None) else pieces).append(sentence)
    return pieces, prose


# --- 5. tokens ------------------------------------------------------------------------------

_MAY_CONTAIN = _WORDS.may_contain
_MAY_CONTAIN_WORDS = _WORDS.may_contain_hints
_JOINER = re.compile(r"(?<!\s)\s+(?:&|and|\(and\)|\+)\s+", re.I)  # (?<!\s): runs are tried once


# A comma between digits belongs to a chemical name (1,2-Hexanediol, 2, 6-Naphthalate); it is
# hidden behind an invisible separator while splitting.
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\s?\d[-, ])")
_HIDDEN_COMMA = "\u2063"
# One token: bracketed groups (commas inside stay) or runs of anything but a separator.
_BLEND = re.compile(r"([\[(])([^\[\]()]{10,2000})[\])]")
_TOKEN = re.compile(r"(?:\([^()]*\)?|\[[^\[\]]*\]?|[^,;•·|\t(\[])+")


def split_tokens(piece: str) -> list[tuple[str, bool, int]]:
    """Split a list piece at separators outside brackets; keep '1,2-Hexanediol' whole.

    A blend that brackets a list of its own ('Botanical Blend [Aqua, Opuntia ..., Aloe ...]')
    gives its name and each part. Returns (token text, listed under 'may contain', entry number:
    the parts of one blend share it, as they share its place in the list).
    """
    piece = _DIGIT_COMMA.sub(_HIDDEN_COMMA, piece)
    # Every 'may contain' marker has one of these; most labels have none, and skip the regex.
    lowered = piece.lower()
    segments = _MAY_CONTAIN.split(piece) if any(word in lowered for word in _MAY_CONTAIN_WORDS) else [piece]
    tokens: list[tuple[str, bool, int]] = []
    entry = 0
    for index, segment in enumerate(segments):
        for text in _TOKEN.findall(segment):
            entry += 1
            for part in _blend_parts(text):
                if _HIDDEN_COMMA in part:
                    part = part.replace(_HIDDEN_COMMA, ",")
                # 'and'/'&' rarely appear; testing for them first skips a regex split per token
                if "&" in part or "+" in part or "nd" in part or "ND" in part:
                    tokens.extend((p.strip(), index > 0, entry) for p in _JOINER.split(part) if p.strip())
                elif part := part.strip():
                    tokens.append((part, index > 0, entry))
    return tokens


def _blend_parts(text: str) -> list[str]:
    """'Blend [a, b, c, d]' -> ['Blend', 'a', 'b', 'c', 'd']; anything else stays whole.
    Three or more separators inside the brackets make it a list ('Iron Oxides (CI 77491,
    CI 77492, CI 77499)' stays one name)."""
    if "," not in text and ";" not in text:  # top-level separators are gone: any left are bracketed
        return [text]
    match = _BLEND.search(text)
    if not match or len(_SEPARATORS.findall(match.group(2))) < 3:
        return [text]
    head = text[: match.start()].strip()
    return ([head] if head else []) + [t for t in _TOKEN.findall(match.group(2))] + [text[match.end() :]]


_PERCENT = re.compile(
    r"\(?(?<!\s)\s{0,3}(?:<|≤|max\.?)?\s{0,3}(?<![\d.,])\d+(?:[.,]\d+)?\s{0,3}%\s{0,3}(?:w/w|w/v)?\s{0,3}\)?", re.I
)
_FOOTNOTE = re.compile(r"[*†‡§¹²³⁴⁵°^#]+|\(\s*\d{1,3}\s*/\s*\d{1,3}\s*\)|\(\s*[*†‡]+\s*\)")
_NANO = re.compile(r"[\[(]\s*nano\s*[\])]|\bnano\b", re.I)
_TRADEMARK = re.compile(r"[®™©℠]")
_LEAD_NOISE = _WORDS.lead_noise
_TRAIL_NOISE = re.compile(r"(?<![\s.:;,\-–—])[\s.:;,\-–—]+$")
_CLAIM = _WORDS.claim_suffix  # 'Retinol-free'
_CLAIM_WORDS = _WORDS.claim_suffixes
_CLAIM_TAIL = max(len(word) for word in _CLAIM_WORDS)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


@lru_cache(maxsize=100_000)
def clean_name(text: str) -> str:
    """'• Retinol (0.5%)*.' -> 'Retinol'; 'Kit: Water' -> 'Water'."""
    name = text.replace("\\", "/")  # 'Water\\Aqua\\Eau' is a slash name typed with backslashes
    if ":" in name:
        name = name.rsplit(":", 1)[1]
    name = _TRADEMARK.sub("", name)
    name = _PERCENT.sub(" ", name)
    name = _NANO.sub(" ", name)
    name = _FOOTNOTE.sub(" ", name)
    name = _EMPTY_BRACKETS.sub(" ", name)
    name = _LEAD_NOISE.sub("", name)
    name = _TRAIL_NOISE.sub("", name)
    name = " ".join(name.split())
    return unicodedata.normalize("NFC", name)


# --- the pipeline ----------------------------------------------------------------------------


def parse(text: str) -> ParsedLabel:
    """Label text -> ParsedLabel. Raises InputError only for input that is not checkable text."""
    if not isinstance(text, str):
        raise InputError("the label must be text")
    if len(text) > MAX_CHARS:
        raise InputError(f"the label is too long ({len(text):,} characters; at most {MAX_CHARS:,})")
    text = unwrap_list_literal(clean_text(text))
    if not text.strip():
        raise InputError("the label is empty")
    text, removed = cut_disclaimers(text)
    text = cut_batch_codes(text) if "(" in text or "[" in text else text
    text, footnotes, marks = cut_footnotes(text)
    bodies, context = split_sections(text)
    title = context.split("\n\n", 1)[0].strip()[:200] if context else ""
    tokens: list[Token] = []
    prose_all: list[str] = [context, footnotes]
    rank, last_entry = 0, None
    for body in bodies:
        pieces, prose = list_pieces(body)
        prose_all.extend(prose)
        for piece in pieces:
            for raw, may_contain, entry in split_tokens(piece):
                raw = raw[:MAX_TOKEN_CHARS]  # longer is prose or junk; bounding it bounds every regex
                name = unmark(clean_name(raw), marks) if marks else clean_name(raw)
                if name.upper() == name.lower():  # no letters at all: a stray number or symbol
                    continue
                if name[-_CLAIM_TAIL:].lower().endswith(_CLAIM_WORDS) and _CLAIM.search(name):  # a claim
                    prose_all.append(raw)
                    continue
                if (piece, entry) != last_entry:  # the parts of one blend share its rank
                    rank, last_entry = rank + 1, (piece, entry)
                tokens.append(Token(raw, name, len(tokens) + 1, may_contain, rank))
    notes = ["ignored a 'formulated without' / disclaimer block"] if removed.strip() else []
    return ParsedLabel(tokens, "\n".join(p for p in prose_all if p.strip()), notes, title)
