"""Staff login for the pages that change the stored shelf.

In:  STAFF_PASSWORD_HASH (one shared staff password, user name "staff") and/or STAFF_ACCOUNTS
     (JSON {"name": "<werkzeug hash>"}); hashes come from `flask staff hash-password`. Both are read
     and checked when the app is created: a malformed value stops start-up, naming the setting.
Out: `/staff/login` and `/staff/logout`, the `staff_required` decorator, `is_staff()`.

Session cookies are HttpOnly and SameSite=Lax (config.py), and Secure whenever the request came
over HTTPS (or always with SESSION_COOKIE_SECURE=1). The cookie holds only a token of a server-side
session (web/sessions.py), so logout, a changed password or STAFF_SESSION_HOURS end it for every
copy of the cookie. Every form here is a Flask-WTF form, so it carries a CSRF token.

Lockout (`Lockout`): after STAFF_MAX_FAILURES wrong passwords within STAFF_LOCKOUT_SECONDS, logins
are refused for that address and user name, and for that address altogether. Once a user name has
had that many failures from anywhere, only addresses that have already failed for it are held back:
a correct password from any other address still logs in, so nobody can lock staff out from afar.
The counter lives in this process: with several gunicorn workers an attacker gets that many tries
per worker, still a handful per window. With no account configured nobody can log in.

A wrong user name costs as long as a wrong password: it is checked against a dummy hash made with
the method (and cost) of one of the configured accounts, so timing does not tell names apart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

import click
from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import Forbidden
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from . import sessions

bp = Blueprint("auth", __name__, url_prefix="/staff", cli_group="staff")
log = logging.getLogger("aftercheck.auth")
SHARED_USER = "staff"
HASH_METHODS = ("pbkdf2", "scrypt")  # what werkzeug's generate_password_hash makes


class LoginForm(FlaskForm):
    username = StringField("Name", validators=[Length(max=100)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when the request is HTTPS, even if the setting is off."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


@bp.record_once
def _install_session_interface(state) -> None:
    state.app.session_interface = HttpsAwareSessionInterface()


@bp.record_once
def _load_accounts(state) -> None:
    """Read the accounts when the app is created: a malformed setting stops start-up, not a request."""
    state.app.extensions["aftercheck_staff"] = StaffAccounts.from_config(state.app.config)


# --- accounts and lockout ---------------------------------------------------------------------------


class StaffAccountsError(ValueError):
    """STAFF_PASSWORD_HASH or STAFF_ACCOUNTS cannot be used as it is."""


def _hash_method(password_hash: str) -> str:
    """'pbkdf2:sha256:600000' of a werkzeug hash; StaffAccountsError when it is not one."""
    parts = password_hash.split("$")
    if len(parts) != 3 or not all(parts) or parts[0].split(":")[0] not in HASH_METHODS:
        raise StaffAccountsError("not a password hash from `flask staff hash-password`")
    return parts[0]


@dataclass(frozen=True)
class StaffAccounts:
    """User name -> password hash, and one dummy hash per hash method in use (for unknown names)."""

    hashes: dict[str, str]
    dummies: dict[str, str]

    @classmethod
    def from_config(cls, config) -> StaffAccounts:
        hashes = {}
        if config.get("STAFF_PASSWORD_HASH"):
            hashes[SHARED_USER] = _checked(config["STAFF_PASSWORD_HASH"], "STAFF_PASSWORD_HASH")
        hashes.update(_named_accounts(config.get("STAFF_ACCOUNTS") or "{}"))
        methods = {_hash_method(value) for value in hashes.values()}
        return cls(hashes, {method: generate_password_hash("not a password", method) for method in sorted(methods)})

    def dummy_for(self, name: str, key: str) -> str:
        """The dummy hash an unknown `name` is checked against: always the same one for a name,
        made with the method of one of the accounts (chosen with the secret key, not guessable)."""
        methods = sorted(self.dummies)
        pick = hmac.new(key.encode(), name.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()[0]
        return self.dummies[methods[pick % len(methods)]]


def _checked(value: str, setting: str) -> str:
    try:
        _hash_method(value.strip())
    except StaffAccountsError as error:
        raise StaffAccountsError(f"{setting}: {error}") from None
    return value.strip()


def _named_accounts(raw) -> dict[str, str]:
    """STAFF_ACCOUNTS as {lower-case name: hash}; StaffAccountsError naming what is wrong."""
    example = '{"alice": "<hash from flask staff hash-password>"}'
    try:
        accounts = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as error:
        raise StaffAccountsError(f"STAFF_ACCOUNTS is not valid JSON ({error}); write it as {example}") from None
    if not isinstance(accounts, dict):
        raise StaffAccountsError(f"STAFF_ACCOUNTS must be a JSON object, e.g. {example}")
    named = {}
    for name, value in accounts.items():
        key = str(name).strip().lower()
        if not key or len(key) > 100:
            raise StaffAccountsError(f"STAFF_ACCOUNTS: the user name {str(name)[:40]!r} must have 1 to 100 characters")
        if not isinstance(value, str):
            raise StaffAccountsError(f"STAFF_ACCOUNTS: the value for {key!r} must be a password hash string")
        named[key] = _checked(value, f"STAFF_ACCOUNTS[{key!r}]")
    return named


def staff_accounts() -> dict[str, str]:
    """User name -> password hash, as read at start-up."""
    return current_app.extensions["aftercheck_staff"].hashes


class Lockout:
    """Wrong-password times per key in a sliding window; keys for an address, a user name, and both."""

    MAX_KEYS = 10_000  # past this many keys, keys without a recent failure are dropped

    def __init__(self, clock=time.monotonic):
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    @staticmethod
    def keys(address: str | None, name: str) -> tuple[str, str, str]:
        return f"addr:{address}", f"user:{name}", f"pair:{address}|{name}"

    def _recent(self, key: str, window: float, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def wait(self, address: str | None, name: str, limit: int, window: float) -> int:
        """Seconds until this address may try this name again (0 = now).

        Held back: an address with `limit` failures (any names), a pair with `limit` failures, and
        an address that failed for a name which has had `limit` failures from anywhere."""
        addr, user, pair = self.keys(address, name)
        now = self._clock()
        with self._lock:
            by_addr, by_user, by_pair = (self._recent(key, window, now) for key in (addr, user, pair))
            held = [times for times in (by_addr, by_pair) if len(times) >= limit]
            if len(by_user) >= limit and by_pair:
                held.append(by_pair)
        return max((int(window - (now - times[0])) + 1 for times in held), default=0)

    def fail(self, address: str | None, name: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > self.MAX_KEYS:
                self._failures = {key: times for key, times in self._failures.items() if now - times[-1] < 3600}
            for key in self.keys(address, name):
                self._failures.setdefault(key, []).append(now)

    def clear(self, address: str | None, name: str) -> None:
        """A correct password: forget this pair's failures (not the name's, counted from elsewhere)."""
        addr, _user, pair = self.keys(address, name)
        with self._lock:
            for key in (addr, pair):
                self._failures.pop(key, None)


def _lockout() -> Lockout:
    return current_app.extensions.setdefault("aftercheck_lockout", Lockout())


def is_staff() -> bool:
    """A staff member's session that still counts (web/sessions.py); asked once per request."""
    if "staff_user" not in g:
        token = session.get("staff_session")
        g.staff_user = _session_user(token) if isinstance(token, str) else None
    return g.staff_user is not None


def _session_user(token: str) -> str | None:
    try:
        return sessions.user_of(token, staff_accounts())
    except SQLAlchemyError as error:  # no database, no staff pages: not a 500 on every page
        log.warning("staff session not checked: %s: %s", type(error).__name__, str(error)[:200])
        return None


@bp.app_context_processor
def _staff_context() -> dict:
    return {"is_staff": is_staff, "logout_form": LogoutForm}


def staff_required(view):
    """Only a logged-in staff member gets the view; others go to the login page (or 403)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if is_staff():
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        raise Forbidden("Staff only: log in first.")

    return wrapped


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never an open redirect to another host."""
    parts = urlsplit(target or "")
    if (
        not target
        or parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return url_for("shelf.index")
    return target


# --- views -------------------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The staff login form; a correct password starts a fresh session."""
    form = LoginForm(next=request.args.get("next", ""))
    accounts = staff_accounts()
    if not accounts:
        return render_template(
            "shelf/login.html",
            form=None,
            error="Staff login is not set up on this "
            "server: set STAFF_PASSWORD_HASH or STAFF_ACCOUNTS (see the README).",
        ), 503
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        error = "The form expired or was not sent from this page; please try again." if form.csrf_token.errors else None
        return render_template(
            "shelf/login.html", form=form, error=error, shared=SHARED_USER in accounts and len(accounts) == 1
        ), status
    name = (form.username.data or SHARED_USER).strip().lower()
    config, address = current_app.config, request.remote_addr
    wait = _lockout().wait(address, name, config["STAFF_MAX_FAILURES"], config["STAFF_LOCKOUT_SECONDS"])
    if wait:
        return render_template(
            "shelf/login.html",
            form=form,
            error=f"Too many wrong passwords. Try again in {max(1, round(wait / 60))} minute(s).",
        ), 429
    known = name in accounts
    stored = (
        accounts[name] if known else current_app.extensions["aftercheck_staff"].dummy_for(name, config["SECRET_KEY"])
    )
    if not check_password_hash(stored, form.password.data) or not known:
        _lockout().fail(address, name)
        return render_template(
            "shelf/login.html",
            form=form,
            error="Wrong name or password.",
            shared=SHARED_USER in accounts and len(accounts) == 1,
        ), 401
    _lockout().clear(address, name)
    session.clear()  # no session fixation: a new session (and CSRF token) after login
    session["staff_session"] = sessions.start(name, accounts[name])
    return redirect(_safe_next(form.next.data))


@bp.post("/logout")
def logout():
    """End the staff session, on the server too: a copy of the cookie no longer logs anyone in."""
    if LogoutForm().validate_on_submit():
        token = session.get("staff_session")
        if isinstance(token, str):
            sessions.end(token)
        session.clear()
    return redirect(url_for("patient.index"))


@bp.cli.command("hash-password")
@click.password_option()
def hash_password(password: str) -> None:
    """Print the hash to put in STAFF_PASSWORD_HASH or STAFF_ACCOUNTS."""
    click.echo(generate_password_hash(password))
