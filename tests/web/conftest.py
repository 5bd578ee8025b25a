"""Fixtures for the web tests: an app with a staff account and a shelf database, and a logged-in client."""

import re

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from shelf.store import forget_shelves

STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_staff_app(tmp_path):
    """An app with one staff password (a cheap hash) and a SQLite shelf; `**config` on top."""

    def make(**config):
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-" + "x" * 20,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
                "STAFF_PASSWORD_HASH": generate_password_hash(STAFF_PASSWORD, method="pbkdf2:sha256:1000"),
                **config,
            }
        )

    yield make
    forget_shelves()


@pytest.fixture
def make_staff_client(make_staff_app):
    """A test client of such an app, logged in as staff through the login form."""

    def make(**config):
        client = make_staff_app(**config).test_client()
        page = client.get("/staff/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert client.post("/staff/login", data={"csrf_token": csrf, "password": STAFF_PASSWORD}).status_code == 302
        return client

    return make


@pytest.fixture
def staff_client(make_staff_client):
    return make_staff_client()
