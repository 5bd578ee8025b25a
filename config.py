"""Settings: the one place that reads the environment, with defaults that suit a development machine.

In:  environment variables (os.environ unless given), each one a row of SETTINGS: name, type, default.
Out: `settings()` -> the Flask config dict, read at app creation (not at import, so tests and the
     CLI can set the environment first); app code reads `current_app.config[...]` only.

Every setting is documented in the settings tables of README.md / docs/*.md; a test checks it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MEGABYTE = 1_000_000
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    type: type  # str, int, float or bool
    default: object
    keys: tuple[str, ...] = ()  # config keys it fills (default: its own name)
    empty_is_default: bool = True  # False: an empty value is kept as ''

    def read(self, environ):
        raw = environ.get(self.name)
        if raw is None or (not raw.strip() and self.empty_is_default):
            return self.default
        if self.type is str:
            return raw
        value = raw.strip()
        if self.type is bool:  # anything but a yes or a no keeps the default
            return True if value.lower() in _TRUE else False if value.lower() in _FALSE else self.default
        try:
            return self.type(value)
        except ValueError:
            kind = "a whole number" if self.type is int else "a number"
            raise ValueError(f"{self.name} must be {kind} (got {value!r})") from None


SETTINGS = (
    # None: create_app uses instance_secret_key(), one random key shared by all workers.
    Setting("SECRET_KEY", str, None),
    # A shipped protocol's id (data/protocols/<id>.toml) or a protocol file; None: clinic-sheet.
    Setting("AFTERCHECK_PROTOCOL", str, None),
    # The longest real label is a few kB; each byte checked costs CPU, so the cap bounds one check's
    # cost (docs/measurements.md#attack-mix). A pasted label may use the whole limit as one form field.
    Setting("AFTERCHECK_MAX_BYTES", int, 250_000, keys=("MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE")),
    Setting("AFTERCHECK_PICKER_DAYS", int, 14),
    # The result page's first screen says part of the label was not recognised when at least this
    # share of its ingredients (0 to 1) was not.
    Setting("AFTERCHECK_UNRECOGNISED_SHARE", float, 0.1),
    # An empty value allows no origin.
    Setting("AFTERCHECK_CORS_ORIGINS", str, "*", empty_is_default=False),
    # --- page import (web/importer.py) ---
    # The body cap of the import endpoints (pages are bigger than labels) and the fetch byte cap.
    Setting("AFTERCHECK_MAX_PAGE_BYTES", int, 3_000_000),
    Setting("AFTERCHECK_EXTRACT_BUDGET_S", float, 1.0),
    # On: URL import may reach private addresses (intranet deployments only).
    Setting("AFTERCHECK_IMPORT_ALLOW_PRIVATE", bool, False),
    # The address people reach the service at, baked into the bookmarklet. None: the request's
    # own origin on a loopback host only (development); elsewhere no bookmarklet is offered.
    Setting("AFTERCHECK_PUBLIC_ORIGIN", str, None),
    # --- shelf check (staff) ---
    # None: a SQLite file instance/aftercheck.sqlite next to the app.
    Setting("DATABASE_URL", str, None),
    Setting("SHELF_MAX_UPLOAD", int, 50 * MEGABYTE),
    Setting("SHELF_MAX_ROWS", int, 20_000),
    Setting("SHELF_LOOKUP_PUBLIC", bool, False),
    Setting("STAFF_PASSWORD_HASH", str, None),
    Setting("STAFF_ACCOUNTS", str, "{}"),
    Setting("STAFF_MAX_FAILURES", int, 5),
    Setting("STAFF_LOCKOUT_SECONDS", int, 900),
    # A staff login ends after this many hours (web/sessions.py), and after this many minutes
    # without a request (0: no idle limit).
    Setting("STAFF_SESSION_HOURS", float, 8.0),
    Setting("STAFF_SESSION_IDLE_MINUTES", int, 0),
    # Off: the cookie is still Secure on every HTTPS request (web/auth.py); on: always.
    Setting("SESSION_COOKIE_SECURE", bool, False),
    # --- several workers or servers ---
    # Proxies in front of the app (load balancer, nginx): trust that many X-Forwarded-* hops.
    Setting("AFTERCHECK_PROXY_COUNT", int, 0),
    # Rate limits (web/limits.py): memory:// counts per worker process; redis://host:6379 or
    # memcached://host:11211 share the counts between workers and servers.
    Setting("RATELIMIT_ENABLED", bool, True),
    Setting("RATELIMIT_STORAGE_URI", str, "memory://"),
    Setting("RATELIMIT_LOGIN", str, "10 per minute"),
    Setting("RATELIMIT_URL_IMPORT", str, "20 per minute"),
    Setting("RATELIMIT_HTML_IMPORT", str, "12 per minute"),
    Setting("RATELIMIT_PHOTO", str, "20 per minute"),
    Setting("RATELIMIT_LARGE_CHECK", str, "6 per minute"),
    # --- slow work (web/slow_work.py) ---
    # URL imports and photos one worker process runs at once; fewer than gunicorn's threads per
    # worker (gunicorn.conf.py), so the threads left always serve checks.
    Setting("AFTERCHECK_SLOW_WORK_SLOTS", int, 2),
    # --- photo of a label (web/photo.py) ---
    # Phone photos are a few megabytes (JPEG, HEIC); a 48 MP camera's PNG can be larger.
    Setting("AFTERCHECK_PHOTO_MAX_BYTES", int, 15 * MEGABYTE),
    Setting("AFTERCHECK_PHOTO_MAX_PIXELS", int, 50_000_000),
    # --- logging (web/logs.py) ---
    # The level of the app's own log ("aftercheck" logger): DEBUG, INFO, WARNING, ERROR.
    Setting("AFTERCHECK_LOG_LEVEL", str, "INFO"),
    # A request that takes at least this long is logged (0: every request).
    Setting("AFTERCHECK_SLOW_REQUEST_MS", int, 1000),
)

# Fixed, not settings: the session cookie's flags and the rate-limit headers.
FIXED = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "RATELIMIT_HEADERS_ENABLED": True,
}


def settings(environ=None) -> dict:
    """Flask config from the environment (os.environ unless given)."""
    environ = os.environ if environ is None else environ
    config = dict(FIXED)
    for setting in SETTINGS:
        value = setting.read(environ)
        for key in setting.keys or (setting.name,):
            config[key] = value
    return config


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
