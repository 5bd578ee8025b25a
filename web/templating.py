"""What every template may use: date and match filters, the protocol, the flag words.

In:  the app (`register_template_helpers(app)`, called by create_app).
Out: filters `short_date` ('Sat 22 Nov'), `long_date`, `how_matched`, `class_labels`, `source_kind`
     (data/source_kinds.toml: the ingredient data's kind of source in patients' words); on every
     page `protocol` (its name, version, disclaimer, treatment) and `flag_words` (flag -> badge word).
"""

from __future__ import annotations

from datetime import date

from flask import Flask

from checker.datafile import read_toml
from checker.engine import DATA_DIR
from checker.verdicts import BADGE_WORDS

from .current import current_checker

SOURCE_KINDS = read_toml(DATA_DIR / "source_kinds.toml")["kinds"]


def short_date(value: date) -> str:
    """'Sat 22 Nov'."""
    return f"{value:%a} {value.day} {value:%b}"


def long_date(value: date) -> str:
    """'Saturday 22 November', with the year when it is not this year."""
    text = f"{value:%A} {value.day} {value:%B}"
    return text if value.year == date.today().year else f"{text} {value.year}"


def how_matched(match: dict | None) -> str:
    """'exact', 'synonym', 'pattern', 'fuzzy 87%' (from an ingredient's match in the report)."""
    if not match:
        return "not recognised"
    if match["method"] == "fuzzy":
        return f"fuzzy {match['score']:.0f}%"
    return match["method"]


def class_labels(classes: list[str]) -> str:
    """The protocol's readable labels for ingredient classes."""
    known = current_checker().protocol.classes
    return ", ".join(known[c].label if c in known else c.replace("_", " ") for c in classes)


def source_kind(kind: str) -> str:
    """'CIR' -> 'the Cosmetic Ingredient Review, ...'; a kind the file does not know, as written."""
    return SOURCE_KINDS.get(kind, kind)


def protocol_context() -> dict:
    """Every page shows the disclaimer and which protocol it follows."""
    return {"protocol": current_checker().protocol, "flag_words": BADGE_WORDS}


def register_template_helpers(app: Flask) -> None:
    for helper in (short_date, long_date, how_matched, class_labels, source_kind):
        app.add_template_filter(helper)
    app.context_processor(protocol_context)
