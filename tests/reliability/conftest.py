"""Shared fixtures for the reliability tests: an app with staff login and its own SQLite shelf."""

from __future__ import annotations

import pytest
from reliability_helpers import HASH

from app import create_app
from shelf.store import forget_shelves


@pytest.fixture
def make_app(tmp_path):
    """create_app with a staff password and a shelf database in tmp_path; `config` on top."""

    def build(**config):
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "reliability-" + "k" * 24,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
                "STAFF_PASSWORD_HASH": HASH,
                **config,
            }
        )

    yield build
    forget_shelves()
