"""The shipped protocols, one file each in data/protocols/, and a clinic's choice among them.

In:  a choice: None or '' (the default: the clinic's aftercare sheet), a shipped protocol's id (its
     file name without .toml, e.g. 'clinic-sheet'), or the path of a clinic's own protocol file.
Out: `shipped()` -> {id: path} of the files in data/protocols/, and `resolve(choice)` -> the path of
     the protocol file to load. An id that names no shipped file raises ProtocolError listing them.
"""

from __future__ import annotations

from pathlib import Path

from .protocol import SHIPPED_PATH, ProtocolError

PROTOCOLS_DIR = SHIPPED_PATH.parent
DEFAULT_ID = SHIPPED_PATH.stem


def shipped() -> dict[str, Path]:
    """Every protocol file shipped in data/protocols/, by id, in name order."""
    return {path.stem: path for path in sorted(PROTOCOLS_DIR.glob("*.toml"))}


def resolve(choice: str | Path | None) -> Path:
    """The protocol file a choice names: the default, a shipped id, or a path."""
    if choice is None or not str(choice).strip():
        return SHIPPED_PATH
    if isinstance(choice, Path):
        return choice
    choice = choice.strip()
    presets = shipped()
    if choice in presets:
        return presets[choice]
    # An id is a bare name; anything with a folder or a suffix is a clinic's own file.
    if "/" in choice or "\\" in choice or choice.endswith(".toml"):
        return Path(choice)
    raise ProtocolError(f"no shipped protocol named {choice!r}; the shipped ones are: {', '.join(presets)}")
