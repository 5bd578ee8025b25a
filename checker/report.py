"""Judgement + day -> Report: what the user and the API see.

In:  a Judgement (from judge) and the treatment day (or None for the whole window).
Out: a Report with `to_dict()` (the JSON contract other parts rely on: verdict, day,
     safe_from_day, ingredients, unrecognized, reasons, product) and `to_text()` (the CLI summary:
     verdict first, then flagged ingredients with reasons, then what was not recognised).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .judge import Item, Judgement, Part
from .verdicts import CLI_WORDS


@dataclass
class Report:
    judgement: Judgement
    day: int | None
    verdict: str
    safe_from_day: int | None
    reasons: list[str]
    protocol: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def recognised(self) -> bool:
        return self.judgement.recognised

    @property
    def items(self) -> list[Item]:
        return self.judgement.items

    @property
    def unrecognized(self) -> list[str]:
        return [i.token.text for i in self.items if not i.match.recognised]

    @property
    def summary(self) -> str:
        """One line for a banner: the first reason, or why nothing was flagged."""
        if not self.recognised:
            return "No ingredient on this label was recognised, so it could not be checked."
        if self.verdict == "neutral":
            return "Nothing on this label is flagged by the aftercare protocol."
        return self.reasons[0] if self.reasons else ""

    def ingredient_dict(self, item: Item) -> dict:
        match = item.match
        return {
            "text": item.token.text,
            "position": item.token.position,
            "inci": item.display_name if match.recognised else None,
            "classes": list(item.classes),
            "flag": item.flag_on(self.day),
            "until_day": item.until_day if item.flag != "none" else None,
            "match": None
            if not match.recognised
            else {
                "method": match.method,
                "score": match.score,
                **({"family": match.matched_name} if match.method == "pattern" else {}),
                **(
                    {"runner_up": match.runner_up.inci, "runner_up_score": match.runner_up_score}
                    if match.runner_up is not None
                    else {}
                ),
            },
            "note": _note(item, self.day),
        }

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "day": self.day,
            "safe_from_day": self.safe_from_day,
            "ingredients": [self.ingredient_dict(item) for item in self.items],
            "unrecognized": self.unrecognized,
            "reasons": self.reasons,
            "product_rules": [
                {
                    "rule": p.rule.name,
                    "flag": p.rule.flag,
                    "until_day": p.rule.until_day,
                    "label": p.rule.label,
                    "evidence": p.evidence,
                }
                for p in self.judgement.products
            ],
            "product": self.product_dict(),
            "summary": self.summary,
            "notes": self.notes,
            "protocol": self.protocol,
        }

    def product_dict(self) -> dict:
        """What the product is and why: its types with their evidence, and a kit's products."""
        facts = self.judgement.facts
        out = {
            "type": facts.type,
            "types": list(facts.types),
            "evidence": [f"{kind}: {evidence}" for kind, evidence in facts.types.items()],
            "leave_on": facts.leave_on,
            "stated_strengths": [s.phrase for s in facts.stated],
        }
        if self.judgement.parts:
            out["parts"] = [_part_dict(part, self.day) for part in self.judgement.parts]
        return out

    def to_text(self) -> str:
        day = "the whole recovery window" if self.day is None else f"day {self.day} after treatment"
        lines = [f"Verdict: {CLI_WORDS[self.verdict]}  ({day})"]
        if self.safe_from_day:
            lines.append(f"Safe to use from day {self.safe_from_day}.")
        product = self.product_dict()
        if product["types"]:
            lines.append("Product: " + "; ".join(product["evidence"]))
        for part in product.get("parts", []):
            lines.append(f"  * {part['name']}: {CLI_WORDS[part['verdict']]}")
        lines += [f"  - {reason}" for reason in self.reasons]
        flagged = [i for i in self.items if i.flag != "none"]
        if flagged:
            lines.append("Flagged ingredients:")
            for item in flagged:
                how = item.match.method + (f" {item.match.score:.0f}%" if item.match.method == "fuzzy" else "")
                window = f" until day {item.until_day}" if item.until_day is not None else ""
                lines.append(
                    f"  {item.token.position:>3}. {item.token.text}: {item.flag_on(self.day)}"
                    f" ({item.flag}{window}; {how}) - {_note(item, self.day)}"
                )
        recognised = sum(1 for i in self.items if i.match.recognised)
        lines.append(f"Recognised {recognised} of {len(self.items)} ingredients.")
        if self.unrecognized:
            lines.append("Not recognised (not checked): " + "; ".join(self.unrecognized))
        if self.protocol.get("disclaimer"):
            lines.append(self.protocol["disclaimer"])
        return "\n".join(lines)


def _part_dict(part: Part, day: int | None) -> dict:
    view = part.judgement.on(day)
    return {
        "name": part.name,
        "type": part.judgement.facts.type,
        "evidence": [f"{kind}: {evidence}" for kind, evidence in part.judgement.facts.types.items()],
        "verdict": view.verdict,
        "safe_from_day": view.safe_from_day,
        "reason": view.reasons[0] if view.reasons and view.verdict != "neutral" else "",
        "ingredients": [item.token.text for item in part.judgement.items],
    }


def _note(item: Item, day: int | None) -> str:
    if item.flag != "none" and item.flag_on(day) == "none":
        return f"{item.note}; {item.flag} only until day {item.until_day}, so fine on day {day}".lstrip("; ")
    return item.note


def build_report(judgement: Judgement, day: int | None, protocol: dict, notes: list[str]) -> Report:
    view = judgement.on(day)
    return Report(judgement, day, view.verdict, view.safe_from_day, view.reasons, protocol, notes)
