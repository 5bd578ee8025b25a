"""The product stage, between parsing and judging: a label becomes one product or a kit of several.

In:  the label text, the product name and category when known (a page, an inventory row, the API),
     the product types vocabulary (data/product_types.toml) and a look-up of ingredient names.
Out: `split_product(text, name, category, lookup)` -> [LabelPart]: the text each product's list is
     parsed from (a Drug Facts panel rewritten as plain active and inactive lists), its name and its
     Drug Facts actives. `facts_for(part, parsed_context, ...)` -> ProductFacts: the product's types
     with the evidence for each (name, category, label claims, Drug Facts purposes), the strengths it
     states, its OTC actives and whether it stays on the skin. The judge adds the types its
     ingredients show (an acne active) and weighs position against all of this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .drug_facts import DrugFacts, read_drug_facts
from .kits import split_kit
from .lexicon import Entry
from .parse import clean_name
from .product_types import TypeVocabulary
from .strengths import Stated, stated_in_name


@dataclass(frozen=True)
class LabelPart:
    name: str  # the product's own name in a kit; the given name otherwise
    text: str  # what the parser reads
    drug_facts: DrugFacts | None = None
    in_kit: bool = False


@dataclass
class ProductFacts:
    types: dict[str, str] = field(default_factory=dict)  # type -> evidence, in the vocabulary's order
    stated: tuple[Stated, ...] = ()
    otc: frozenset[str] = frozenset()  # Drug Facts actives, as cleaned lower-case names
    rinse_off_types: frozenset[str] = frozenset()
    signatures: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> ingredient classes
    order: tuple[str, ...] = ()  # every type, in the vocabulary's order

    def add(self, kind: str, evidence: str) -> None:
        """A type the ingredients show; the first evidence for a type stays."""
        if kind not in self.types:
            found = {**self.types, kind: evidence}
            self.types = {k: found[k] for k in sorted(found, key=lambda k: self._rank(k))}

    def _rank(self, kind: str) -> int:
        return self.order.index(kind) if kind in self.order else len(self.order)

    @property
    def leave_on(self) -> bool:
        return not self.rinse_off_types.intersection(self.types)

    @property
    def type(self) -> str:
        """The type the report names first; 'skincare' when nothing says more."""
        return next(iter(self.types), "skincare")

    def stated_for(self, entry: Entry | None) -> Stated | None:
        if not self.stated or entry is None:
            return None
        return next((s for s in self.stated if s.entry.inci == entry.inci), None)


def split_product(text: str, name: str, is_ingredient: Callable[[str], bool]) -> list[LabelPart]:
    """One part per product: a kit's products each with their own list, else the label whole."""
    kit = split_kit(text, is_ingredient)
    if kit:
        return [LabelPart(p.name, *_drug_facts_text(p.text), in_kit=True) for p in kit]
    return [LabelPart(name, *_drug_facts_text(text))]


def _drug_facts_text(text: str) -> tuple[str, DrugFacts | None]:
    facts = read_drug_facts(text)
    return (facts.list_text, facts) if facts else (text, None)


def facts_for(
    part: LabelPart,
    name: str,
    category: str,
    context: str,
    types: TypeVocabulary,
    lookup: Callable[[str], Entry | None],
) -> ProductFacts:
    """`name` is the product name (a kit part's own name for a part); `context` the label text outside its
    list, a Drug Facts panel's sections included."""
    drug = part.drug_facts
    purposes = drug.purposes if drug else ()
    found = types.detect(name, category, context, purposes)
    return ProductFacts(
        types=found,
        stated=tuple(stated_in_name(name, lookup)),
        otc=frozenset(clean_name(a.name).lower() for a in drug.actives) if drug else frozenset(),
        rinse_off_types=frozenset(t.name for t in types.types if not t.leave_on),
        signatures={t.name: t.signature for t in types.types if t.signature},
        order=types.names,
    )
