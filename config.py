"""Settings from environment variables, with defaults that suit a development machine.

Every setting is documented in README.md ("Web app and API"); `settings()` reads them at app
creation, not at import, so tests and the CLI can set the environment first.
"""
from __future__ import annotations

import os
import secrets

MEGABYTE = 1_000_000


def _int(environ, name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number (got {value!r})") from None


def settings(environ=None) -> dict:
    """Flask config from the environment (os.environ unless given)."""
    environ = os.environ if environ is None else environ
    max_bytes = _int(environ, "AFTERCHECK_MAX_BYTES", MEGABYTE)
    return {
        # Only sessions need it; a random key is safe but differs per worker process, so set one
        # in production as soon as a blueprint stores anything in the session.
        "SECRET_KEY": environ.get("SECRET_KEY") or secrets.token_hex(32),
        # None: the checker's own default (AFTERCHECK_PROTOCOL, else data/protocol.toml).
        "AFTERCHECK_PROTOCOL": environ.get("AFTERCHECK_PROTOCOL") or None,
        "MAX_CONTENT_LENGTH": max_bytes,
        # Werkzeug caps form fields at 500 kB by default; a pasted label may use the whole limit.
        "MAX_FORM_MEMORY_SIZE": max_bytes,
        "AFTERCHECK_PICKER_DAYS": _int(environ, "AFTERCHECK_PICKER_DAYS", 14),
        "AFTERCHECK_CORS_ORIGINS": environ.get("AFTERCHECK_CORS_ORIGINS", "*"),
    }
