"""Browser fixtures shared by the real-browser tests: Debian's Chromium driven by Playwright.

`browser` skips with a clear message when Chromium or Playwright is missing, unless
AFTERCHECK_REQUIRE_BROWSER=1 (CI), where that is a failure. `base_url` serves the app on a free
port of 127.0.0.1; `page` is a phone-sized page that fails the test on any console error; `shop`
serves the saved shop pages of tests/fixtures/pages on another site than the app's.
"""

import os
import shutil
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM_ARGS, PHONE, TALL_PHONE, serve, unavailable
from werkzeug.serving import make_server

from app import create_app


@pytest.fixture(scope="module")
def base_url():
    """The app served by a real WSGI server on a random free port."""
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    stop = serve(server)
    yield f"http://127.0.0.1:{server.server_port}"
    stop()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def shop():
    """The saved shop pages as a shop on another site than Aftercheck's: `localhost`, not 127.0.0.1
    (a port alone does not make another site, and a Lax cookie would go with the bookmarklet's POST)."""
    pages = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietFiles, directory=str(pages)))
    stop = serve(server)
    yield f"http://localhost:{server.server_address[1]}"
    stop()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = os.environ.get("AFTERCHECK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        unavailable(f"Chromium not found (looked for {executable})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A phone-sized page that fails the test on any console error (e.g. a CSP violation)."""
    yield from _checked_page(browser, PHONE)


@pytest.fixture
def tall_phone(browser):
    """A 390x844 page (a common phone's first screen), failing on any console error like `page`."""
    yield from _checked_page(browser, TALL_PHONE)


@pytest.fixture
def refused_page(browser):
    """A 390x844 page for answers with a 4xx status, which Chromium logs as console errors."""
    context = browser.new_context(viewport=TALL_PHONE, device_scale_factor=1)
    yield context.new_page()
    context.close()


def _checked_page(browser, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    assert not errors, errors
