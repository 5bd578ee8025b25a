"""A patient's stricter plan: the clinic's Checker with the staff's changes applied (never laxer).

In:  the clinic's Checker and an override {"changes": {"classes": {...}, "products": {...}},
     "note": "No sauna for 72 hours"} as made by staff (the changes are checker/stricter.py's).
Out: `read_override(raw)` -> a validated Override (ProtocolError for anything laxer or malformed,
     InputError for a malformed note), `Override.checker(base)` -> the stricter Checker (kept for
     reuse: a patient reloads the plan), and `Override.protocol_note()` for the plan's protocol block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from checker import Checker, InputError
from checker.stricter import stricter

# Staff write one or two sentences for the patient ("No sauna for 72 hours"); the link carries it.
MAX_NOTE = 300


@dataclass(frozen=True)
class Override:
    changes: str  # JSON with sorted keys: hashable, and the same changes always read alike
    note: str = ""

    @property
    def as_dict(self) -> dict:
        return {"changes": json.loads(self.changes), **({"note": self.note} if self.note else {})}

    def checker(self, base: Checker) -> Checker:
        return _overridden(base, self.changes)

    def protocol_note(self) -> dict:
        """What the plan's protocol block says about it."""
        return {"override": {"stricter": True, **self.as_dict}}


def read_override(raw, base: Checker) -> Override:
    """An override as staff made it, checked against the clinic's protocol."""
    if not isinstance(raw, dict) or set(raw) - {"changes", "note"}:
        raise InputError('an override is {"changes": {"classes": ..., "products": ...}, "note"?}')
    note = raw.get("note") or ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise InputError(f"the override's note must be text of at most {MAX_NOTE} characters")
    override = Override(json.dumps(raw.get("changes") or {}, sort_keys=True), " ".join(note.split()))
    override.checker(base)  # refuses anything laxer now, not when the patient opens the plan
    return override


@lru_cache(maxsize=32)
def _overridden(base: Checker, changes: str) -> Checker:
    return base.with_protocol(stricter(base.protocol, json.loads(changes)))
