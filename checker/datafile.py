"""Reading one of the TOML data files (data/*.toml): a path in, its tables out.

In:  the file's path, and the error class of the module that reads it (VocabularyError, TypesError ...).
Out: `read_toml(path, error)` -> the file's tables as a dict; a file that cannot be read or is not
     TOML raises `error` naming the file, so a broken data file stops start-up with a message that
     says which file, not with a traceback. (The protocol file has its own reader: its errors name
     the line.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def read_toml(path: Path | str, error: type[Exception] = ValueError) -> dict:
    """The file's tables, or `error` naming the file."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot be read: {exc.strerror}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error(f"{path}: {exc}") from exc
