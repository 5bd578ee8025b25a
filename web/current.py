"""The app's own Checker and stored Shelf, for views and start-up.

In:  the app's settings: AFTERCHECK_PROTOCOL (None: the shipped protocol) and DATABASE_URL (None: a
     SQLite file instance/aftercheck.sqlite).
Out: `current_checker()` and `current_shelf()` inside a request or app context; `shelf_url(app)`.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from checker import Checker, get_checker
from shelf.store import Shelf, open_shelf


def current_checker() -> Checker:
    """The cached Checker for this app's protocol file."""
    return get_checker(current_app.config["AFTERCHECK_PROTOCOL"])


def shelf_url(app: Flask) -> str:
    """The stored shelf's database URL: DATABASE_URL, else a SQLite file in the instance folder."""
    return app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'aftercheck.sqlite'}"


def current_shelf() -> Shelf:
    """This app's stored shelf (the database is migrated on first use)."""
    return open_shelf(shelf_url(current_app))
