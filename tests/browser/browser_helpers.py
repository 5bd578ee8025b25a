"""Helpers for the real-browser tests (fixtures are in conftest.py)."""

import os
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
STAFF_PASSWORD = "browser-test-password"
PHONE = {"width": 360, "height": 780}
TALL_PHONE = {"width": 390, "height": 844}  # the first screen a result's answer must fit in (issue 14)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str):
    """Skip, or fail on CI, when the browser cannot run."""
    if os.environ.get("AFTERCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (AFTERCHECK_REQUIRE_BROWSER=1, so browser tests must run)")
    pytest.skip(f"{reason}; install it with `apt-get install chromium` to run the browser tests")


def serve(server):
    """Run a server on a daemon thread; returns a function that stops it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        thread.join()

    return stop


def serve_shelf(folder: Path, **config):
    """The app with a staff password (STAFF_PASSWORD) and an empty shelf database in `folder`, on a
    free port of 127.0.0.1: (url, stop). `config` adds to or overrides the app's settings."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'shelf.sqlite'}",
            # A cheap hash: the browser tests log in many times; the method is the accounts' own.
            "STAFF_PASSWORD_HASH": generate_password_hash(STAFF_PASSWORD, method="pbkdf2:sha256:1000"),
            **config,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    return f"http://127.0.0.1:{server.server_port}", serve(server)


# A form built on the page the browser is on, then submitted: a POST exactly as a browser sends one
# (the bookmarklet builds the same on the shop's page).
_POST_FORM = """([action, fields]) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    for (const [name, value] of Object.entries(fields)) {
        const field = document.createElement("textarea");
        field.name = name;
        field.value = value;
        form.append(field);
    }
    document.body.append(form);
    form.submit();
}"""


def post_form(page, action: str, fields: dict):
    """POST these fields from the page the browser is on; returns the answer the browser followed."""
    with page.expect_navigation() as answer:
        page.evaluate(_POST_FORM, [action, fields])
    return answer.value


def click_bookmarklet(context, page, href: str):
    """What clicking the bookmark does on `page` (a shop's): run the javascript: URL's code there;
    returns the new tab with Aftercheck's result, loaded."""
    with context.expect_page() as new_tab:
        page.evaluate(unquote(href[len("javascript:") :]))
    result = new_tab.value
    result.wait_for_load_state()
    return result


def screenshot(page, name: str):
    """The whole page and the first screen, under artifacts/screenshots/ (kept out of git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-first-screen.png")
