"""Protocol file (TOML) -> the clinic's rules.

In:  a protocol file from data/protocols/ (or a clinic's own copy): per ingredient class a flag and its window in
     days, product-level rules (sunscreen, makeup, ...), the 1%-line markers, the fuzzy-matching
     thresholds, and the patient timeline.
Out: a Protocol. A malformed file raises ProtocolError naming the file and the line.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from .verdicts import FLAGS, SEVERITY

# The default protocol shipped with Aftercheck (the clinic's aftercare sheet): its [fuzzy] and
# [concentration] values stand in for keys a clinic's copy leaves out.
SHIPPED_PATH = Path(__file__).resolve().parent.parent / "data" / "protocols" / "clinic-sheet.toml"


class ProtocolError(ValueError):
    """The protocol file is malformed; the message names the line."""


@dataclass(frozen=True)
class Rule:
    name: str
    flag: str
    until_day: int | None
    label: str
    reason: str

    def applies_on(self, day: int | None) -> bool:
        """With no day the whole window is judged (worst case)."""
        return day is None or self.until_day is None or day < self.until_day


def _rank(rule: Rule) -> tuple[int, float]:
    return SEVERITY[rule.flag], float("inf") if rule.until_day is None else rule.until_day


@dataclass(frozen=True)
class Clause:
    classes: tuple[str, ...] = ()
    min_count: int = 1
    max_position: int | None = None
    requires: tuple[str, ...] = ()  # each of these classes must be among the hits
    text_patterns: tuple[re.Pattern, ...] = ()
    name_only: bool = False  # text_patterns read only the product name, not the whole label
    type: str | None = None  # the product stage found this product type (data/product_types.toml)
    before_line: bool = False  # only ingredients above the 1% line or in a 'may contain' shade list count
    unless_types: tuple[str, ...] = ()  # the clause does not apply to products of these types


@dataclass(frozen=True)
class Concentration:
    """When an ingredient's position is outweighed; each key is explained in data/protocol.toml [concentration]."""

    stated_is_active: bool
    sold_for_types: tuple[str, ...]
    sold_for_classes: tuple[str, ...]
    rinse_off_trace: dict


@dataclass(frozen=True)
class ProductRule(Rule):
    when: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Fuzzy:
    """The matcher's tuning: how close a guessed name must be (rapidfuzz ratios, 0-100) and when a
    long token is read as names run together. Each key is explained in data/protocol.toml [fuzzy]."""

    threshold: float
    flag_threshold: float
    look_alike_score: float
    plain_slack: float
    margin: float
    min_length: int
    max_words: int
    candidates: int
    max_guesses_per_label: int
    max_guesses_per_page: int
    run_on_words: int
    long_name_words: int
    long_name_known: int
    run_on_min_names: int
    run_on_cover: float
    run_on_name_words: int
    run_on_pattern_words: int


@dataclass
class Protocol:
    name: str
    version: str
    disclaimer: str
    treatment: str  # what the aftercare follows, in words for people: "microneedling"
    classes: dict[str, Rule]
    products: dict[str, ProductRule]
    line_markers: tuple[str, ...]
    max_active_position: int
    fuzzy: Fuzzy
    concentration: Concentration
    timeline: list[dict] = field(default_factory=list)
    digest: str = ""
    source: str = ""  # what the rules are based on, in words for staff ("Clinic aftercare sheet: ...")
    _rule_cache: dict = field(default_factory=dict, repr=False)

    def flag_of(self, classes) -> str:
        """The most severe flag among the classes (unknown classes count as none)."""
        rule = self.rule_for(tuple(classes))
        return rule.flag if rule else "none"

    def rule_for(self, classes: tuple[str, ...]) -> Rule | None:
        """The rule that speaks for a set of classes: the most severe flag, then the longer window."""
        cached = self._rule_cache.get(classes, False)
        if cached is False:
            rules = [self.classes[c] for c in classes if c in self.classes]
            cached = self._rule_cache[classes] = max(rules, key=_rank, default=None)
        return cached

    @classmethod
    def load(cls, path: Path) -> Protocol:
        path = Path(path)
        try:
            raw_bytes = path.read_bytes()
            data = tomllib.loads(raw_bytes.decode("utf-8"))
        except OSError as exc:
            raise ProtocolError(f"{path}: cannot be read: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"{path}: not UTF-8 text: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ProtocolError(f"{path}: {exc}") from exc
        return _build(path, raw_bytes.decode("utf-8"), data, hashlib.sha256(raw_bytes).hexdigest()[:12])


def _line_of(source: str, needle: str) -> int:
    """Line number of the table header (or key) a semantic error belongs to."""
    for number, line in enumerate(source.splitlines(), 1):
        if needle in line:
            return number
    return 1


def _rule_fields(path, source, section, name, table) -> dict:
    where = f"[{section}.{name}]"

    def fail(message):
        raise ProtocolError(f"{path}: line {_line_of(source, where)}: {where} {message}")

    if not isinstance(table, dict):
        fail("must be a table")
    flag = table.get("flag")
    if flag not in FLAGS:
        fail(f"flag must be one of {', '.join(FLAGS)} (got {flag!r})")
    until = table.get("until_day")
    if until is not None and (not isinstance(until, int) or isinstance(until, bool) or until < 0):
        fail(f"until_day must be a whole number of days >= 0 (got {until!r})")
    for text_key in ("label", "reason"):
        if not isinstance(table.get(text_key), str) or not table[text_key].strip():
            fail(f"needs a non-empty {text_key}")
    return {"name": name, "flag": flag, "until_day": until, "label": table["label"], "reason": table["reason"]}


def _clauses(path, source, name, table) -> tuple[Clause, ...]:
    where = f"[products.{name}]"
    clauses = []
    for raw in table.get("when", []):
        if not isinstance(raw, dict) or not (raw.get("classes") or raw.get("text_patterns") or raw.get("type")):
            raise ProtocolError(
                f"{path}: line {_line_of(source, where)}: {where} each 'when' clause needs classes, type or text_patterns"
            )
        try:
            # One alternation per clause: a single search of the label instead of one per pattern.
            texts = raw.get("text_patterns", [])
            patterns = (re.compile("|".join(f"(?:{p})" for p in texts), re.I),) if texts else ()
            for p in texts:
                re.compile(p)  # so a bad pattern is reported on its own
        except re.error as exc:
            raise ProtocolError(f"{path}: line {_line_of(source, where)}: {where} bad text pattern: {exc}") from exc
        if raw.get("where", "label") not in ("label", "name"):
            raise ProtocolError(f'{path}: line {_line_of(source, where)}: {where} \'where\' must be "label" or "name"')
        clauses.append(
            Clause(
                tuple(raw.get("classes", [])),
                int(raw.get("min_count", 1)),
                raw.get("max_position"),
                tuple(raw.get("requires", [])),
                patterns,
                raw.get("where") == "name",
                raw.get("type"),
                bool(raw.get("before_line", False)),
                tuple(raw.get("unless_types", [])),
            )
        )
    if not clauses:
        raise ProtocolError(f"{path}: line {_line_of(source, where)}: {where} needs at least one 'when' clause")
    return tuple(clauses)


@lru_cache(maxsize=1)
def _shipped_fuzzy() -> dict:
    return tomllib.loads(SHIPPED_PATH.read_text(encoding="utf-8")).get("fuzzy", {})


@lru_cache(maxsize=1)
def _shipped_concentration() -> dict:
    return tomllib.loads(SHIPPED_PATH.read_text(encoding="utf-8")).get("concentration", {})


def _concentration(path: Path, source: str, table: dict, classes: dict) -> Concentration:
    """The [concentration] table; a key the file leaves out takes the shipped protocol's value."""

    def fail(message):
        raise ProtocolError(f"{path}: line {_line_of(source, '[concentration]')}: [concentration] {message}")

    if not isinstance(table, dict):
        fail("must be a table")
    unknown = sorted(set(table) - {f.name for f in fields(Concentration)})
    if unknown:
        fail(f"unknown key(s) {', '.join(unknown)}")
    values = table if path.resolve() == SHIPPED_PATH else {**_shipped_concentration(), **table}
    trace = values.get("rinse_off_trace", {})
    if not isinstance(trace, dict):
        fail("rinse_off_trace must be a table of class = class")
    named = list(values.get("sold_for_classes", [])) + list(trace) + list(trace.values())
    missing = [c for c in named if c not in classes]
    if missing:
        fail(f"names unknown class(es) {', '.join(missing)}")
    return Concentration(
        stated_is_active=bool(values.get("stated_is_active", True)),
        sold_for_types=tuple(values.get("sold_for_types", ())),
        sold_for_classes=tuple(values.get("sold_for_classes", ())),
        rinse_off_trace=dict(trace),
    )


def _fuzzy(path: Path, source: str, table: dict) -> Fuzzy:
    """The [fuzzy] table; a key the file leaves out takes the shipped protocol's value."""

    def fail(message):
        raise ProtocolError(f"{path}: line {_line_of(source, '[fuzzy]')}: [fuzzy] {message}")

    if not isinstance(table, dict):
        fail("must be a table")
    kinds = {f.name: f.type for f in fields(Fuzzy)}
    unknown = sorted(set(table) - set(kinds))
    if unknown:
        fail(f"unknown key(s) {', '.join(unknown)}; the keys are {', '.join(kinds)}")
    values = table if path.resolve() == SHIPPED_PATH else {**_shipped_fuzzy(), **table}
    out = {}
    for name, kind in kinds.items():
        value = values.get(name)
        if value is None:
            fail(f"needs {name}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            fail(f"{name} must be a number >= 0 (got {value!r})")
        if kind == "int" and value != int(value):
            fail(f"{name} must be a whole number (got {value!r})")
        out[name] = int(value) if kind == "int" else float(value)
    return Fuzzy(**out)


def _build(path: Path, source: str, data: dict, digest: str) -> Protocol:
    meta = data.get("protocol", {})
    classes = {
        name: Rule(**_rule_fields(path, source, "classes", name, table))
        for name, table in data.get("classes", {}).items()
    }
    if not classes:
        raise ProtocolError(f"{path}: line 1: no [classes.*] tables")
    products = {}
    for name, table in data.get("products", {}).items():
        fields = _rule_fields(path, source, "products", name, table)
        products[name] = ProductRule(**fields, when=_clauses(path, source, name, table))
        for clause in products[name].when:
            unknown = [c for c in clause.classes + clause.requires if c not in classes]
            if unknown:
                raise ProtocolError(
                    f"{path}: line {_line_of(source, f'[products.{name}]')}: "
                    f"[products.{name}] names unknown class(es) {', '.join(unknown)}"
                )
    position = data.get("position", {})
    fuzzy = data.get("fuzzy", {})
    markers = tuple(position.get("line_markers", ()))
    unknown = [m for m in markers if m not in classes]
    if unknown:
        raise ProtocolError(f"{path}: line {_line_of(source, 'line_markers')}: unknown class(es) {', '.join(unknown)}")
    return Protocol(
        name=meta.get("name", path.stem),
        version=str(meta.get("version", "unversioned")),
        disclaimer=meta.get("disclaimer", ""),
        treatment=str(meta.get("treatment") or "treatment"),
        classes=classes,
        products=products,
        line_markers=markers,
        max_active_position=int(position.get("max_active_position", 10)),
        fuzzy=_fuzzy(path, source, fuzzy),
        concentration=_concentration(path, source, data.get("concentration", {}), classes),
        timeline=list(data.get("timeline", [])),
        digest=digest,
        source=str(meta.get("source", "")),
    )
