"""The Checker: loads the data once and runs parse -> match -> judge -> report.

In:  paths to data/ingredients.csv, data/families.csv and the protocol file (defaults: the
     files shipped in data/). The caller chooses the protocol: the web app from its settings, the
     command line from --protocol or AFTERCHECK_PROTOCOL; nothing here reads the environment.
Out: `Checker.check(text, day=None)` -> Report. Nothing here knows about Flask.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import __version__
from .judge import judge
from .lexicon import Lexicon
from .match import Match, Matcher
from .parse import InputError, ParsedLabel, Token, parse
from .protocol import Protocol, ProtocolError
from .report import Report, build_report

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_DAY = 3650
RUN_ON_WORDS = 6  # a token this long that is not a known name may be names run together
LONG_NAME_WORDS = 9  # longer than almost every real INCI name, even if a family pattern fits


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


class Checker:
    def __init__(
        self, protocol_path: Path | None = None, ingredients_path: Path | None = None, families_path: Path | None = None
    ):
        protocol_path = Path(protocol_path or DATA_DIR / "protocol.toml")
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
        self.matcher = Matcher(
            self.lexicon,
            self.protocol.flag_of,
            self.protocol.fuzzy_threshold,
            self.protocol.fuzzy_margin,
            self.protocol.fuzzy_min_length,
            self.protocol.fuzzy_flag_threshold,
        )
        self.versions = {
            "code": __version__,
            "ingredients": f"{_digest(ingredients_path)}+{_digest(families_path)}",
            "protocol": f"{self.protocol.version} ({self.protocol.digest})",
        }

    def check(self, text: str, day: int | None = None, name: str | None = None) -> Report:
        """Judge one label. `day` is days since treatment (0 = treatment day), None for the
        whole window; `name` is the product name or type when known (read by product rules)."""
        if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= MAX_DAY):
            raise InputError(f"day must be a whole number from 0 to {MAX_DAY}")
        parsed = parse(text)
        matched = self._match_tokens(parsed)
        context = "\n".join(filter(None, [name, parsed.context]))
        judgement = judge(matched, self.protocol, context, name or parsed.title)
        meta = {
            "name": self.protocol.name,
            "version": self.protocol.version,
            "disclaimer": self.protocol.disclaimer,
            "versions": self.versions,
        }
        return build_report(judgement, day, meta, parsed.notes)

    def _match_tokens(self, parsed: ParsedLabel) -> list[tuple[Token, Match]]:
        """Match every token; a long unrecognised token that is several names run together
        (commas lost on the label or by OCR) is split into them."""
        matched: list[tuple[Token, Match]] = []
        split_count = 0
        for token in parsed.tokens:
            match = self.matcher.match(token.name)
            parts = None
            words = len(token.name.split())
            if not match.recognised and words >= RUN_ON_WORDS:
                parts = self.matcher.split_run_on(token.name)
            elif match.method in ("pattern", "fuzzy") and words >= LONG_NAME_WORDS and match.matched_name != "ferment":
                # 'Propylene Glycol Dimethicone Glycerin Ascorbic Acid ... Extract' ends like a
                # botanical; several names known by name inside it say it is a run-on. (Ferments
                # are the exception: their long names list what was fermented.)
                parts = self.matcher.split_run_on(token.name, min_exact=3)
            if not parts:
                # positions shift only after a split: most labels keep their tokens as they are
                matched.append(
                    (token if token.position == len(matched) + 1 else replace(token, position=len(matched) + 1), match)
                )
                continue
            split_count += 1
            for part in parts:
                sub = Token(part, part, len(matched) + 1, token.may_contain, token.rank)
                matched.append((sub, self.matcher.match(part)))
        if split_count:
            parsed.notes.append(f"split {split_count} run-on name(s) where commas seem to be missing")
        return matched


@lru_cache(maxsize=4)
def get_checker(protocol_path: str | None = None) -> Checker:
    """The shared Checker for a protocol file, built on first use and kept."""
    return Checker(protocol_path)
