"""The Checker: loads the data once and runs parse -> match -> judge -> report.

In:  paths to data/ingredients.csv, data/families.csv and the protocol file (defaults: the
     files shipped in data/; `get_checker` also takes a shipped protocol's id, see protocols.py). The caller chooses the protocol: the web app from its settings, the
     command line from --protocol or AFTERCHECK_PROTOCOL; nothing here reads the environment.
Out: `Checker.check(text, day=None, name=None, category=None)` -> Report. The product stage
     (checker/product.py) sits between parsing and judging: a kit's products are each parsed and
     judged on their own list and the kit takes the worst. `Checker.with_protocol(protocol)` judges
     by another protocol over the same data (checker/stricter.py makes one for a patient). Nothing
     here knows about Flask.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import __version__
from .judge import FiredProduct, Judgement, Part, judge
from .lexicon import Entry, Lexicon
from .match import Guesses, Match, Matcher
from .parse import InputError, ParsedLabel, Token, parse
from .product import LabelPart, ProductFacts, facts_for, split_product
from .product_types import load_types
from .protocol import SHIPPED_PATH, Protocol, ProtocolError
from .protocols import resolve
from .report import Report, build_report

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_DAY = 3650


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


class Checker:
    def __init__(
        self,
        protocol_path: Path | None = None,
        ingredients_path: Path | None = None,
        families_path: Path | None = None,
        types_path: Path | None = None,
    ):
        protocol_path = Path(protocol_path or SHIPPED_PATH)
        ingredients_path = Path(ingredients_path or DATA_DIR / "ingredients.csv")
        families_path = Path(families_path or DATA_DIR / "families.csv")
        self.protocol = Protocol.load(protocol_path)
        self.lexicon = Lexicon.load(ingredients_path, families_path)
        undefined = sorted(self.lexicon.classes - set(self.protocol.classes))
        if undefined:
            raise ProtocolError(
                f"{protocol_path}: no [classes.*] rule for class(es) used in the "
                f"ingredient data: {', '.join(undefined)}"
            )
        self.matcher = Matcher(self.lexicon, self.protocol.flag_of, self.protocol.fuzzy)
        self.types = load_types(types_path)
        unknown_types = sorted(
            {c.type for r in self.protocol.products.values() for c in r.when if c.type} - set(self.types.names)
        )
        if unknown_types:
            raise ProtocolError(f"{protocol_path}: product rule(s) name unknown type(s): {', '.join(unknown_types)}")
        self.versions = {
            "code": __version__,
            "ingredients": f"{_digest(ingredients_path)}+{_digest(families_path)}",
            "protocol": f"{self.protocol.version} ({self.protocol.digest})",
        }

    def with_protocol(self, protocol: Protocol) -> Checker:
        """A Checker that judges by another protocol (e.g. one made stricter for a patient) over this
        one's data: the lexicon and product types are shared, not loaded again."""
        undefined = sorted(self.lexicon.classes - set(protocol.classes))
        if undefined:
            raise ProtocolError(f"{protocol.name}: no [classes.*] rule for class(es) {', '.join(undefined)}")
        # Built field by field, not copied: a copy would also carry anything set on this instance.
        other = object.__new__(Checker)
        other.protocol, other.lexicon, other.types = protocol, self.lexicon, self.types
        other.matcher = Matcher(self.lexicon, protocol.flag_of, protocol.fuzzy)
        other.versions = {**self.versions, "protocol": f"{protocol.version} ({protocol.digest})"}
        return other

    def check(self, text: str, day: int | None = None, name: str | None = None, category: str | None = None) -> Report:
        """Judge one label. `day` is days since treatment (0 = treatment day), None for the
        whole window; `name` is the product name and `category` the retailer's or inventory's
        category when known (both are evidence of what the product is)."""
        if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= MAX_DAY):
            raise InputError(f"day must be a whole number from 0 to {MAX_DAY}")
        if not isinstance(text, str):
            raise InputError("the label must be text")
        parts = split_product(text, name or "", self._is_ingredient)
        notes: list[str] = []
        judged = [self._judge_part(part, name, category or "", notes) for part in parts]
        judgement = judged[0] if not parts[0].in_kit else _kit(parts, judged)
        meta = {
            "name": self.protocol.name,
            "version": self.protocol.version,
            "disclaimer": self.protocol.disclaimer,
            "versions": self.versions,
        }
        return build_report(judgement, day, meta, list(dict.fromkeys(notes)))

    def _judge_part(self, part: LabelPart, name: str | None, category: str, notes: list[str]) -> Judgement:
        parsed = parse(part.text)
        matched = self._match_tokens(parsed)
        notes.extend(parsed.notes)
        title = part.name if part.in_kit else (name or parsed.title)
        extra = part.drug_facts.context if part.drug_facts else ""
        context = "\n".join(filter(None, [name if not part.in_kit else title, parsed.context, extra]))
        facts = facts_for(
            part, title, category, "\n".join(filter(None, [parsed.context, extra])), self.types, self._entry
        )
        return judge(matched, self.protocol, context, title, facts)

    def _entry(self, name: str) -> Entry | None:
        """An ingredient known by this exact name or synonym (no guessing)."""
        match = self.matcher.known(name)
        return match.entry if match.method in ("exact", "synonym") else None

    def _is_ingredient(self, name: str) -> bool:
        return self._entry(name) is not None

    def _match_tokens(self, parsed: ParsedLabel) -> list[tuple[Token, Match]]:
        """Match every token; a long unrecognised token that is several names run together
        (commas lost on the label or by OCR) is split into them."""
        matched: list[tuple[Token, Match]] = []
        split_count = 0
        fuzzy = self.protocol.fuzzy
        guesses = Guesses(self.matcher, fuzzy.max_guesses_per_label)
        for token in parsed.tokens:
            match = guesses.match(token.name)
            parts = None
            words = len(token.name.split())
            if not match.recognised and words >= fuzzy.run_on_words:
                parts = self.matcher.split_run_on(token.name)
            elif (
                match.method in ("pattern", "fuzzy") and words >= fuzzy.long_name_words and not self._keeps_whole(match)
            ):
                # 'Propylene Glycol Dimethicone Glycerin Ascorbic Acid ... Extract' ends like a
                # botanical; several names known by name inside it say it is a run-on.
                parts = self.matcher.split_run_on(token.name, min_exact=fuzzy.long_name_known)
            if not parts:
                # positions shift only after a split: most labels keep their tokens as they are
                matched.append(
                    (token if token.position == len(matched) + 1 else replace(token, position=len(matched) + 1), match)
                )
                continue
            split_count += 1
            for part in parts:
                sub = Token(part, part, len(matched) + 1, token.may_contain, token.rank)
                matched.append((sub, guesses.match(part)))
        if split_count:
            parsed.notes.append(f"split {split_count} run-on name(s) where commas seem to be missing")
        if guesses.refused:
            parsed.notes.append(
                f"{len(guesses.refused)} unrecognised name(s) were not compared with known names for a near spelling: "
                f"a label has far fewer than {guesses.limit} names we do not know"
            )
        return matched

    def _keeps_whole(self, match: Match) -> bool:
        """A family whose long names are genuine (ferments list what was fermented) is never split."""
        family = self.lexicon.family_by_name.get(match.matched_name) if match.method == "pattern" else None
        return family is not None and family.keep_whole


def _kit(parts: list[LabelPart], judged: list[Judgement]) -> Judgement:
    """A kit: every product's ingredients in label order, every product rule with the product it
    fired for; the verdict and safe_from_day are the worst of the products (Judgement.on)."""
    items, products = [], []
    for part, judgement in zip(parts, judged, strict=True):
        for item in judgement.items:
            items.append(replace(item, token=replace(item.token, position=len(items) + 1)))
        products += [FiredProduct(p.rule, f"{part.name}: {p.evidence}", p.items) for p in judgement.products]
    facts = ProductFacts(types={"kit": f"{len(parts)} products, each with its own list"})
    return Judgement(items, products, facts, [Part(p.name, j) for p, j in zip(parts, judged, strict=True)])


def get_checker(protocol: str | Path | None = None) -> Checker:
    """The shared Checker for a protocol (None: the default; a shipped id; or a file's path),
    built on first use and kept."""
    return _checker_for(resolve(protocol).resolve())


@lru_cache(maxsize=8)
def _checker_for(protocol_path: Path) -> Checker:
    return Checker(protocol_path)
