"""Settings from environment variables, with defaults that suit a development machine.

Every setting is documented in README.md ("Web app and API"); `settings()` reads them at app
creation, not at import, so tests and the CLI can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MEGABYTE = 1_000_000


def _int(environ, name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number (got {value!r})") from None


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in <instance>/secret_key, so every worker process signs alike."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker's key wins, none reads half a file
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _flag(environ, name: str) -> bool:
    return environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _on_unless_off(environ, name: str) -> bool:
    return environ.get(name, "").strip().lower() not in ("0", "false", "no", "off")


def settings(environ=None) -> dict:
    """Flask config from the environment (os.environ unless given)."""
    environ = os.environ if environ is None else environ
    max_bytes = _int(environ, "AFTERCHECK_MAX_BYTES", MEGABYTE)
    return {
        # None: create_app uses instance_secret_key(), one random key shared by all workers.
        "SECRET_KEY": environ.get("SECRET_KEY") or None,
        # None: the checker's own default (AFTERCHECK_PROTOCOL, else data/protocol.toml).
        "AFTERCHECK_PROTOCOL": environ.get("AFTERCHECK_PROTOCOL") or None,
        "MAX_CONTENT_LENGTH": max_bytes,
        # Werkzeug caps form fields at 500 kB by default; a pasted label may use the whole limit.
        "MAX_FORM_MEMORY_SIZE": max_bytes,
        "AFTERCHECK_PICKER_DAYS": _int(environ, "AFTERCHECK_PICKER_DAYS", 14),
        "AFTERCHECK_CORS_ORIGINS": environ.get("AFTERCHECK_CORS_ORIGINS", "*"),
        # --- shelf check (staff; README "Shelf check (staff)") ---
        # None: a SQLite file instance/aftercheck.sqlite next to the app.
        "DATABASE_URL": environ.get("DATABASE_URL") or None,
        "SHELF_MAX_UPLOAD": _int(environ, "SHELF_MAX_UPLOAD", 50 * MEGABYTE),
        "SHELF_MAX_ROWS": _int(environ, "SHELF_MAX_ROWS", 20_000),
        "SHELF_LOOKUP_PUBLIC": _flag(environ, "SHELF_LOOKUP_PUBLIC"),
        "STAFF_PASSWORD_HASH": environ.get("STAFF_PASSWORD_HASH") or None,
        "STAFF_ACCOUNTS": environ.get("STAFF_ACCOUNTS") or "{}",
        "STAFF_MAX_FAILURES": _int(environ, "STAFF_MAX_FAILURES", 5),
        "STAFF_LOCKOUT_SECONDS": _int(environ, "STAFF_LOCKOUT_SECONDS", 900),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Off: the cookie is still Secure on every HTTPS request (web/auth.py); on: always.
        "SESSION_COOKIE_SECURE": _flag(environ, "SESSION_COOKIE_SECURE"),
        # --- several workers or servers (README "Deploying") ---
        # Proxies in front of the app (load balancer, nginx): trust that many X-Forwarded-* hops.
        "AFTERCHECK_PROXY_COUNT": _int(environ, "AFTERCHECK_PROXY_COUNT", 0),
        # Rate limits (web/limits.py): memory:// counts per worker process; redis://host:6379 or
        # memcached://host:11211 share the counts between workers and servers.
        "RATELIMIT_ENABLED": _on_unless_off(environ, "RATELIMIT_ENABLED"),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": environ.get("RATELIMIT_LOGIN") or "10 per minute",
        "RATELIMIT_URL_IMPORT": environ.get("RATELIMIT_URL_IMPORT") or "20 per minute",
        "RATELIMIT_HTML_IMPORT": environ.get("RATELIMIT_HTML_IMPORT") or "60 per minute",
        "RATELIMIT_PHOTO": environ.get("RATELIMIT_PHOTO") or "20 per minute",
        # --- photo of a label (web/photo.py) ---
        # Phone photos are 2-8 MB (JPEG, HEIC); a 48 MP camera's PNG can be larger.
        "AFTERCHECK_PHOTO_MAX_BYTES": _int(environ, "AFTERCHECK_PHOTO_MAX_BYTES", 15 * MEGABYTE),
        "AFTERCHECK_PHOTO_MAX_PIXELS": _int(environ, "AFTERCHECK_PHOTO_MAX_PIXELS", 50_000_000),
    }
