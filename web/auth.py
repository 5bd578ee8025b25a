"""Staff login for the pages that change the stored shelf.

In:  STAFF_PASSWORD_HASH (one shared staff password, user name "staff") and/or STAFF_ACCOUNTS
     (JSON {"name": "<werkzeug hash>"}); hashes come from `flask staff hash-password`.
Out: `/staff/login` and `/staff/logout`, the `staff_required` decorator, `is_staff()`.

Session cookies are HttpOnly and SameSite=Lax (config.py), and Secure whenever the request came
over HTTPS (or always with SESSION_COOKIE_SECURE=1). Every form here is a Flask-WTF form, so
it carries a CSRF token. After STAFF_MAX_FAILURES wrong passwords from one address or for one
user name within STAFF_LOCKOUT_SECONDS, logins from there are refused until that time has passed.
The counter lives in this process: with several gunicorn workers an attacker gets that many
tries per worker, still a handful per window. With no account configured nobody can log in.
"""

from __future__ import annotations

import json
import threading
import time
from functools import wraps
from urllib.parse import urlsplit

import click
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

bp = Blueprint("auth", __name__, url_prefix="/staff", cli_group="staff")
SHARED_USER = "staff"
# Compared against when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password")


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


# --- accounts and lockout ---------------------------------------------------------------------------


def staff_accounts() -> dict[str, str]:
    """User name -> password hash, from the settings."""
    accounts = {}
    if current_app.config.get("STAFF_PASSWORD_HASH"):
        accounts[SHARED_USER] = current_app.config["STAFF_PASSWORD_HASH"]
    raw = current_app.config.get("STAFF_ACCOUNTS") or "{}"
    extra = json.loads(raw) if isinstance(raw, str) else dict(raw)
    accounts.update({str(name).strip().lower(): str(value) for name, value in extra.items()})
    return accounts


class Lockout:
    """Wrong-password counts per key (address, user name) in a sliding window."""

    def __init__(self):
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, window: float, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < window]
        self._failures[key] = times
        return times

    def wait(self, keys: list[str], limit: int, window: float) -> int:
        """Seconds until these keys may try again (0 = now)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                int(window - (now - times[0])) + 1
                for key in keys
                if len(times := self._recent(key, window, now)) >= limit
            ]
        return max(waits, default=0)

    def fail(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(time.monotonic())

    def clear(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def _lockout() -> Lockout:
    return current_app.extensions.setdefault("aftercheck_lockout", Lockout())


def is_staff() -> bool:
    return session.get("staff") in staff_accounts()


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
    keys = [f"addr:{request.remote_addr}", f"user:{name}"]
    config = current_app.config
    wait = _lockout().wait(keys, config["STAFF_MAX_FAILURES"], config["STAFF_LOCKOUT_SECONDS"])
    if wait:
        return render_template(
            "shelf/login.html",
            form=form,
            error=f"Too many wrong passwords. Try again in {max(1, round(wait / 60))} minute(s).",
        ), 429
    if not check_password_hash(accounts.get(name, _DUMMY_HASH), form.password.data) or name not in accounts:
        _lockout().fail(keys)
        return render_template(
            "shelf/login.html",
            form=form,
            error="Wrong name or password.",
            shared=SHARED_USER in accounts and len(accounts) == 1,
        ), 401
    _lockout().clear(keys)
    session.clear()  # no session fixation: a new session (and CSRF token) after login
    session["staff"] = name
    return redirect(_safe_next(form.next.data))


@bp.post("/logout")
def logout():
    """End the staff session."""
    if LogoutForm().validate_on_submit():
        session.clear()
    return redirect(url_for("patient.index"))


@bp.cli.command("hash-password")
@click.password_option()
def hash_password(password: str) -> None:
    """Print the hash to put in STAFF_PASSWORD_HASH or STAFF_ACCOUNTS."""
    click.echo(generate_password_hash(password))
