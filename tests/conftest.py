"""Shared fixtures: the app, its test client and CLI runner (as in Flask's tutorial), a stepping
clock for code with deadlines, the databases the shelf tests run against (SQLite always; PostgreSQL
when a server is given) and the Tesseract requirement of the photo tests.

Rules for the whole suite, so that it gives the same answer on a busy machine as on an idle one:
nothing is timed (hypothesis gets no deadline either); test ids are at most MAX_ID characters,
checked at collection. Markers (declared in pyproject.toml) are set here where they follow from the
test's place or fixtures: everything under tests/browser/ is `browser`, a test using `tesseract` is
`ocr`, the PostgreSQL variant of a database test is `postgres`. `slow` is set in the test modules.
"""

import os
import secrets
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from app import create_app

# Property tests draw the same examples on every run and never time an example: no deadline, no
# "too slow" health check (both depend on the machine's load). A failure is reproduced by rerunning.
settings.register_profile(
    "aftercheck", deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("aftercheck")

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
MAX_ID = 100  # characters in a test id, path included: ids stay readable in reports and shells


def pytest_make_parametrize_id(config, val, argname):
    """A long text or bytes parameter is named by its start, escaped, and its length."""
    if isinstance(val, (str, bytes)) and len(val) > 40:
        start = val[:12].decode("latin-1") if isinstance(val, bytes) else val[:12]
        return f"{start.encode('unicode_escape').decode('ascii')[:16]}...{len(val)}"
    return None


def pytest_collection_modifyitems(items):
    too_long = [item.nodeid for item in items if len(item.nodeid) > MAX_ID]
    if too_long:
        raise pytest.UsageError(
            f"{len(too_long)} test ids are longer than {MAX_ID} characters (shorten the name or give "
            "the parameters short ids=): " + ", ".join(nodeid[:120] for nodeid in too_long[:20])
        )
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
        if "tesseract" in item.fixturenames:
            item.add_marker(pytest.mark.ocr)


@pytest.fixture(scope="session")
def checker():
    """The shipped data and protocol, as `get_checker()` gives them."""
    from checker import get_checker

    return get_checker()


@pytest.fixture
def app():
    return create_app({"TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- a clock for deadlines ---------------------------------------------------------------------------


class SteppingClock:
    """Stands in for time.monotonic where code takes a `clock`: the first reading is 0 and every
    reading after it is `step` seconds later, however long the work in between really took."""

    def __init__(self, step: float):
        self.step, self.reads = step, 0

    def __call__(self) -> float:
        self.reads += 1
        return self.step * (self.reads - 1)


@pytest.fixture
def stepping_clock():
    """stepping_clock(step=1.0): a fresh SteppingClock, so a deadline passes after a known number of
    readings whatever the machine's speed."""
    return lambda step=1.0: SteppingClock(step)


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres, id="pg")])
def database_url(request, tmp_path):
    """Each shelf test runs twice: on a SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shelf.sqlite'}"
    return request.getfixturevalue("postgres_url")


# --- Tesseract ---------------------------------------------------------------------------------------


@pytest.fixture
def tesseract():
    """Skip when Tesseract cannot run here; on CI (AFTERCHECK_REQUIRE_BROWSER=1) fail instead."""
    from sources.photo.ocr import tesseract_available

    if tesseract_available():
        return
    reason = "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng; pip install pytesseract)"
    if os.environ.get("AFTERCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; AFTERCHECK_REQUIRE_BROWSER=1, so OCR tests must run")
    pytest.skip(reason)
