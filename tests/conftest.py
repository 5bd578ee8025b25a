"""Shared fixtures: the app, its test client and CLI runner (as in Flask's tutorial), and the
databases the shelf tests run against (SQLite always; PostgreSQL when a server is given)."""

import os
import secrets

import pytest

from app import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def tesseract():
    """The test reads a photo with Tesseract: skipped without it (failed on CI)."""
    from photo_helpers import require_tesseract

    require_tesseract()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- databases -------------------------------------------------------------------------------------


def postgres_server_url() -> str:
    """AFTERCHECK_TEST_POSTGRES_URL, or skip (fail where CI requires PostgreSQL)."""
    url = os.environ.get("AFTERCHECK_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("AFTERCHECK_REQUIRE_POSTGRES") == "1" or os.environ.get("AFTERCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(
            "AFTERCHECK_TEST_POSTGRES_URL is not set, but this run requires the PostgreSQL tests "
            "(.ci/run starts a throwaway server and sets it)"
        )
    pytest.skip(
        "PostgreSQL tests need AFTERCHECK_TEST_POSTGRES_URL, e.g. "
        "postgresql+psycopg://user@127.0.0.1:5432/postgres (.ci/run starts a throwaway server)"
    )


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from shelf.store import forget_shelves

    server = postgres_server_url()
    name = "aftercheck_test_" + secrets.token_hex(6)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    forget_shelves()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each shelf test runs twice: on a SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shelf.sqlite'}"
    return request.getfixturevalue("postgres_url")
