"""Server-side staff sessions: the signed cookie holds a random token, the database says if it still counts.

In:  the app's shelf database (table staff_sessions, shelf/store.py), the user name and password hash
     of a staff login, the settings STAFF_SESSION_HOURS and STAFF_SESSION_IDLE_MINUTES.
Out: `start(user, password_hash)` -> the token for the cookie; `user_of(token, accounts)` -> the user
     name while the session counts, else None; `end(token)` (logout).

A session counts while it is not revoked (logout), younger than STAFF_SESSION_HOURS, used within
STAFF_SESSION_IDLE_MINUTES (0: no idle limit), and its account still has the password hash it
logged in with: a changed password or an account removed from the settings ends its sessions.
So a copied cookie stops working at logout, unlike a cookie that holds the login itself.
Only a digest of the token is stored: the table cannot be replayed as cookies.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from flask import current_app
from sqlalchemy import delete, insert, select, update

from shelf.store import StaffSession

from .current import current_shelf

# When the idle limit is on, last_seen is written at most this often (a page view is not a write).
TOUCH_EVERY_S = 60
clock = time.time  # tests move it forward


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _limits() -> tuple[float, float]:
    """(lifetime, idle limit) in seconds; an idle limit of 0 means none."""
    config = current_app.config
    return config["STAFF_SESSION_HOURS"] * 3600, config["STAFF_SESSION_IDLE_MINUTES"] * 60


def start(user: str, password_hash: str) -> str:
    """A new session for `user`; returns the token to keep in the cookie."""
    token, now = secrets.token_urlsafe(32), int(clock())
    lifetime, _idle = _limits()
    with current_shelf().engine.begin() as connection:
        connection.execute(delete(StaffSession).where(StaffSession.created < now - lifetime))  # housekeeping
        connection.execute(
            insert(StaffSession).values(
                id=_digest(token),
                user=user,
                credential=_digest(password_hash),
                created=now,
                last_seen=now,
                revoked=False,
            )
        )
    return token


def user_of(token: str, accounts: dict[str, str]) -> str | None:
    """The session's user while it counts (see the module docstring), else None."""
    now = clock()
    lifetime, idle = _limits()
    engine = current_shelf().engine
    with engine.connect() as connection:
        row = connection.execute(select(StaffSession).where(StaffSession.id == _digest(token))).first()
    if row is None or row.revoked or now - row.created >= lifetime or (idle and now - row.last_seen >= idle):
        return None
    if row.user not in accounts or row.credential != _digest(accounts[row.user]):
        return None
    if idle and now - row.last_seen >= min(TOUCH_EVERY_S, idle / 4):
        with engine.begin() as connection:
            connection.execute(update(StaffSession).where(StaffSession.id == row.id).values(last_seen=int(now)))
    return row.user


def end(token: str) -> None:
    """Revoke the session: its cookie, wherever it was copied, no longer logs anyone in."""
    with current_shelf().engine.begin() as connection:
        connection.execute(update(StaffSession).where(StaffSession.id == _digest(token)).values(revoked=True))
