"""US Drug Facts panel -> its actives (name, stated strength, purpose) and a list the parser reads.

In:  label text that may hold a Drug Facts panel in any common layout: dot leaders
     ("Avobenzone 3% ...... Sunscreen"), a Purpose column, "Uses"/"Warnings"/"Directions" sections
     between the active and the inactive block, headings with or without a colon, on one line or many.
Out: `read_drug_facts(text)` -> DrugFacts or None (no "Active ingredient(s)" heading followed by a
     stated strength). DrugFacts.list_text is "Active ingredients: A 3%, B 10%\\nInactive ingredients:
     ..." for the parser; context holds the rest (Uses, Warnings ...), which is not the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import load_vocabulary

_ACTIVE = re.compile(r"(?<![A-Za-z])active\s+ingredients?(?:\s*\([^)\n]{0,40}\))?\s*:?", re.I)
_INACTIVE = re.compile(r"(?<![A-Za-z])inactive\s+ingredients?(?:\s*\([^)\n]{0,40}\))?\s*:?", re.I)
# Sections of the panel; a capital letter is required so that words inside the text do not end it.
_SECTION = re.compile(
    r"(?<![\w-])(?:Uses?|USES?|Warnings?|WARNINGS?|Directions|DIRECTIONS|Other [Ii]nformation|OTHER INFORMATION|"
    r"Questions(?: or comments)?\??|QUESTIONS\??|Keep out of reach|KEEP OUT OF REACH|Do not use|Stop use|"
    r"When using|Ask a doctor)(?![\w-])"
)
_PURPOSE_HEADING = re.compile(r"(?<![A-Za-z])purposes?(?![A-Za-z])\s*:?", re.I)
_LEADER = re.compile(r"[.…·_]{2,}")
# From the start of a run of digits only, so that a search stays linear.
_STRENGTH = re.compile(r"(?<!\d)(\d+(?:[.,]\d+)?)\s*%")
# Purposes a one-line panel may put between one active and the next (lines need no such list).
_KNOWN_PURPOSES = load_vocabulary().drug_facts_purpose


@dataclass(frozen=True)
class Active:
    name: str
    strength: float
    purpose: str


@dataclass(frozen=True)
class DrugFacts:
    actives: tuple[Active, ...]
    list_text: str
    context: str

    @property
    def purposes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.purpose for a in self.actives if a.purpose))


def read_drug_facts(text: str) -> DrugFacts | None:
    if "ctive" not in text and "CTIVE" not in text:  # most labels: no panel, no regex
        return None
    active = _ACTIVE.search(text)
    if not active:
        return None
    inactive = _INACTIVE.search(text, active.end())
    section = _SECTION.search(text, active.end())
    ends = [m.start() for m in (inactive, section) if m]
    region_end = min(ends) if ends else len(text)
    actives = _actives(text[active.end() : region_end])
    if not actives:
        return None
    purposes = ", ".join(dict.fromkeys(a.purpose for a in actives if a.purpose))
    context = [text[: active.start()], f"Purpose: {purposes}" if purposes else ""]
    list_text = "Active ingredients: " + ", ".join(f"{a.name} {a.strength:g}%" for a in actives)
    if inactive:
        context.append(text[region_end : inactive.start()])
        after = _SECTION.search(text, inactive.end())
        list_text += "\nInactive ingredients: " + text[inactive.end() : after.start() if after else len(text)]
        if after:
            context.append(text[after.start() :])
    else:
        context.append(text[region_end:])
    return DrugFacts(tuple(actives), list_text, "\n".join(c for c in context if c.strip()))


def _actives(region: str) -> list[Active]:
    region = _LEADER.sub("  ", _PURPOSE_HEADING.sub(" ", region))
    lines = [line.strip() for line in region.split("\n") if line.strip()]
    if len(lines) > 1:
        return _actives_by_line(lines)
    return _actives_in_line(region)


def _actives_by_line(lines: list[str]) -> list[Active]:
    """One active per line, its purpose after the strength (or alone on the next line)."""
    out: list[Active] = []
    for line in lines:
        strength = _STRENGTH.search(line)
        if strength:
            name = _tidy(line[: strength.start()])
            if name:
                out.append(Active(name, _number(strength.group(1)), _tidy(line[strength.end() :])))
        elif out and not out[-1].purpose and len(line.split()) <= 4:
            out[-1] = Active(out[-1].name, out[-1].strength, _tidy(line))
    return out


def _actives_in_line(region: str) -> list[Active]:
    """'Zinc Oxide 20% Sunscreen Octinoxate 7.5% Sunscreen' or 'A 1.3%, B 17%.'"""
    out: list[Active] = []
    start = 0
    for strength in _STRENGTH.finditer(region):
        name = _tidy(region[start : strength.start()])
        start = strength.end()
        purpose = _KNOWN_PURPOSES.match(region, start)
        if purpose:
            start = purpose.end()
        if name:
            out.append(Active(name, _number(strength.group(1)), purpose.group(1) if purpose else ""))
    return out


def _tidy(text: str) -> str:
    return " ".join(text.strip(" \t,;:.|-()").split())


def _number(text: str) -> float:
    return float(text.replace(",", "."))
