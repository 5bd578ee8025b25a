"""data/product_types.toml -> what a product is, from its name, its category and its label text.

In:  the product types file (default data/product_types.toml), then per product: the name, the
     category (a retailer's or an inventory's), the label text outside the list, and the Drug Facts
     purposes.
Out: `load_types(path=None)` -> TypeVocabulary (read once per path); `TypeVocabulary.detect(...)`
     -> {type: evidence sentence} for every type the words support, in the file's order. A negation
     ("No SPF", "after sun") in the name or the category cancels its type, whatever else says it.
     Types from ingredients (the signature classes) are added by the judge, which knows the positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .datafile import read_toml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "product_types.toml"


class TypesError(ValueError):
    """The product types file is malformed; the message names the file and the type."""


@dataclass(frozen=True)
class ProductType:
    name: str
    label: str
    words: re.Pattern | None  # in the name or the category
    category: re.Pattern | None  # in the category only
    label_patterns: re.Pattern | None  # in the label text outside the list
    purposes: tuple[str, ...]
    negations: re.Pattern | None
    signature: tuple[str, ...]
    leave_on: bool


def _phrases(phrases) -> re.Pattern | None:
    """Whole-word phrases, case ignored, a space standing for spaces or hyphens."""
    if not phrases:
        return None
    parts = sorted({r"[\s-]+".join(map(re.escape, p.lower().split())) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I)


def _words(table: dict) -> list[str]:
    words = table.get("words", {})
    return [w for lang in words.values() for w in lang] if isinstance(words, dict) else list(words)


@dataclass(frozen=True)
class TypeVocabulary:
    types: tuple[ProductType, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    def detect(self, name: str = "", category: str = "", context: str = "", purposes=()) -> dict[str, str]:
        """Every type the words support, with the evidence for it in words people read."""
        found: dict[str, str] = {}
        for kind in self.types:
            if self._negated(kind, name, category):
                continue
            evidence = self._evidence(kind, name, category, context, purposes)
            if evidence:
                found[kind.name] = evidence
        return found

    @staticmethod
    def _negated(kind: ProductType, name: str, category: str) -> bool:
        """A negation in the name or category cancels the type unless the name still says it once
        the negation is blanked ('No Foundation Foundation Serum' is a foundation)."""
        if not kind.negations or not any(kind.negations.search(text) for text in (name, category)):
            return False
        return not (kind.words and kind.words.search(_cleared(kind, name)))

    @staticmethod
    def _evidence(kind: ProductType, name: str, category: str, context: str, purposes) -> str | None:
        if name:
            cleared = _cleared(kind, name)
            # the claim as printed ('SPF 40') says more than the bare word ('SPF')
            hit = (kind.label_patterns and kind.label_patterns.search(cleared)) or (
                kind.words and kind.words.search(cleared)
            )
            if hit:
                return f"'{hit.group(0).strip()}' in the product name"
        if category and kind.words and kind.words.search(_cleared(kind, category)):
            return f"category: {category}"
        if category and kind.category and kind.category.search(_cleared(kind, category)):
            return f"category: {category}"
        for purpose in purposes:
            if purpose.lower().strip() in kind.purposes:
                return f"Drug Facts: Purpose {purpose.strip()}"
        if context and kind.label_patterns and (hit := kind.label_patterns.search(_cleared(kind, context))):
            return f"'{hit.group(0).strip()}' on the label"
        return None


def _cleared(kind: ProductType, text: str) -> str:
    """The text with this type's negations blanked, so 'contour des yeux' is not read as 'contour'."""
    return kind.negations.sub(" ", text) if kind.negations else text


def load_types(path: Path | str | None = None) -> TypeVocabulary:
    """The product types in `path` (default data/product_types.toml), read and compiled once."""
    return _load(Path(path or DEFAULT_PATH).resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> TypeVocabulary:
    data = read_toml(path, TypesError)
    types = []
    for name, table in data.get("types", {}).items():
        if not isinstance(table, dict) or not isinstance(table.get("label"), str):
            raise TypesError(f"{path}: [types.{name}] needs a label")
        try:
            patterns = table.get("label_patterns", [])
            label_patterns = re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None
        except re.error as exc:
            raise TypesError(f"{path}: [types.{name}] bad label pattern: {exc}") from exc
        types.append(
            ProductType(
                name=name,
                label=table["label"],
                words=_phrases(_words(table)),
                category=_phrases(table.get("category", [])),
                label_patterns=label_patterns,
                purposes=tuple(p.lower() for p in table.get("purposes", [])),
                negations=_phrases(table.get("not", [])),
                signature=tuple(table.get("signature", [])),
                leave_on=bool(table.get("leave_on", True)),
            )
        )
    if not types:
        raise TypesError(f"{path}: no [types.*] tables")
    return TypeVocabulary(tuple(types))
