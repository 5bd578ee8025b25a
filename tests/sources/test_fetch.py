"""sources.fetch: the URL guard and the capped, timed fetch.

Refused addresses are tested without any traffic (the guard refuses before connecting). The
fetch itself is tested against a local server on 127.0.0.1, with the private-address setting
enabled for those tests only.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
import tracemalloc
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3

from sources.fetch import FetchError, FetchPolicy, check_url, fetch, refusal

# 20 MB of page in about 20 kB of gzip (made once, outside any memory measurement).
GZIP_BOMB = gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>", compresslevel=9)
PAGE = b"<html><head><title>T</title></head><body><h2>Ingredients</h2><p>Water, Glycerin</p></body></html>"


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "reserved"),
        ("192.0.2.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 around the metadata address
        ("2002:808:808::1", "tunnel"),  # 6to4 around a public address: still a relay
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "tunnel"),  # Teredo
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 around 127.0.0.1
        ("fec0::1", "site-local"),
    ],
)
def test_refused_addresses(address, kind):
    """Every non-public kind of address is refused, and named."""
    assert refusal(address) == kind


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert refusal(address) is None


def test_private_setting_allows_only_intranet_ranges():
    """The intranet setting opens loopback and private ranges, never link-local or multicast."""
    assert refusal("10.0.0.1", allow_private=True) is None
    assert refusal("127.0.0.1", allow_private=True) is None
    assert refusal("169.254.169.254", allow_private=True) == "link-local"
    assert refusal("224.0.0.1", allow_private=True) == "multicast"
    assert refusal("0.0.0.0", allow_private=True) == "unspecified"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/x",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
    ],
    ids=["loopback", "localhost", "ipv6-loopback", "private", "metadata", "unspecified", "mapped-private", "decimal"],
)
def test_urls_to_refused_addresses(url):
    with pytest.raises(FetchError) as caught:
        check_url(url, FetchPolicy())
    assert caught.value.code == "blocked_address"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.com",
        "http://user:pw@example.com/",
        "http://[::1/",
        "",
    ],
)
def test_bad_urls(url):
    with pytest.raises(FetchError) as caught:
        check_url(url, FetchPolicy())
    assert caught.value.code == "bad_url"


def test_hostname_resolving_to_private_address(monkeypatch):
    """The check is on what the name resolves to, not on how it looks."""

    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchError, match="private"):
        check_url("https://shop.example/product", FetchPolicy())


# --- a local test server -------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status=200, body=PAGE, content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _drip(self, pieces: int) -> None:
        """A little of the body every 0.1 s, until `pieces` are sent or the client hangs up."""
        for _ in range(pieces):
            try:
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path
        if path == "/page":
            self._send()
        elif path == "/latin1":
            self._send(body="<p>Crème</p>".encode("latin-1"), content_type="text/html; charset=iso-8859-1")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(302, b"", headers=[("Location", f"/hop/{n - 1}" if n > 0 else "/page")])
        elif path == "/to-metadata":
            self._send(302, b"", headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        elif path == "/to-unspecified":
            self._send(301, b"", headers=[("Location", "http://0.0.0.0:1/")])
        elif path == "/to-file":
            self._send(302, b"", headers=[("Location", "file:///etc/passwd")])
        elif path == "/json":
            self._send(body=b"{}", content_type="application/json")
        elif path == "/forbidden":
            self._send(403, b"no bots")
        elif path == "/slow":
            time.sleep(1.5)
            try:
                self._send()
            except OSError:  # the client stopped waiting long ago
                return
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._drip(40)  # bounded: about 4 s at most, or until the client hangs up
        elif path == "/echo-host":
            self._send(body=f"<p>{self.headers.get('Host')}</p>".encode())
        elif path == "/redirect-with-endless-body":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._drip(100)  # bounded: about 10 s at most
        elif path == "/gzip-bomb":
            self._send(body=GZIP_BOMB, headers=[("Content-Encoding", "gzip")])
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"a" * 65536 + b"</p>"
            for _ in range(160):  # about 10 MB, bounded
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# Generous timeouts, so that a busy machine never makes these fetches time out; the tests of the
# limits themselves set theirs.
LOCAL = FetchPolicy(allow_private=True, connect_timeout=30, read_timeout=30, total_timeout=60, max_bytes=200_000)


def _code(url, policy=LOCAL) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy)
    return caught.value.code


def test_local_server_is_refused_by_default(server):
    """Without the intranet setting, the test server itself (loopback) is refused."""
    assert _code(server + "/page", FetchPolicy()) == "blocked_address"


def test_fetches_html(server):
    page = fetch(server + "/page", LOCAL)
    assert "Glycerin" in page.html and not page.truncated


def test_charset_from_header(server):
    assert "Crème" in fetch(server + "/latin1", LOCAL).html


def test_follows_up_to_five_redirects(server):
    page = fetch(server + "/hop/4", LOCAL)
    assert page.url.endswith("/page")


def test_refuses_a_sixth_redirect(server):
    assert _code(server + "/hop/5") == "too_many_redirects"


@pytest.mark.parametrize("path", ["/to-metadata", "/to-unspecified"])
def test_redirect_to_refused_address(server, path):
    """Each redirect target is checked again, even with the intranet setting on."""
    assert _code(server + path) == "blocked_address"


def test_redirect_to_other_scheme(server):
    assert _code(server + "/to-file") == "bad_url"


def test_only_html(server):
    assert _code(server + "/json") == "not_html"


def test_http_error(server):
    assert _code(server + "/forbidden") == "http_error"


def test_slow_response_times_out(server):
    """The server waits 1.5 s before answering; the 0.5 s read timeout is enforced."""
    assert _code(server + "/slow", replace(LOCAL, read_timeout=0.5)) == "timeout"


# The deadline is read from a stepping clock (tests/conftest.py): 30 s pass at every reading, so the
# 100 s deadline passes at the fifth reading whatever the machine's speed. The per-read timeout is as
# long as the deadline, so only the deadline can stop these fetches.
PATIENT = FetchPolicy(allow_private=True, connect_timeout=100, read_timeout=100, total_timeout=100)


def test_dripping_response_hits_the_overall_deadline(server, stepping_clock):
    """A server that sends a little at a time never trips the read timeout; the deadline stops it
    after the third piece (readings: start 0, request 30, pieces at 60, 90, 120)."""
    clock = stepping_clock(step=30)
    with pytest.raises(FetchError, match="took too long to send the page") as caught:
        fetch(server + "/drip", PATIENT, clock=clock)
    assert caught.value.code == "timeout" and clock.reads == 5


def test_redirects_share_one_deadline(server, stepping_clock):
    """Four quick redirects each take a reading; the fourth hop starts past the deadline."""
    clock = stepping_clock(step=30)
    with pytest.raises(FetchError, match="took too long to answer") as caught:
        fetch(server + "/hop/4", PATIENT, clock=clock)
    assert caught.value.code == "timeout" and clock.reads == 5


def test_huge_response_is_cut_at_the_cap(server):
    page = fetch(server + "/huge", LOCAL)
    assert page.truncated and len(page.html) <= LOCAL.max_bytes


def _resolver(monkeypatch, *answers):
    """socket.getaddrinfo answering each lookup of a name with the next address (the last one
    repeats); an IP literal resolves to itself, as it does for real."""
    calls, real = [], socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
            return real(host, port, *args, **kwargs)
        except ValueError:
            calls.append(host)
        address = answers[min(len(calls), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return calls


def test_the_connection_goes_to_the_checked_address(server, monkeypatch):
    """The name is resolved once; the site is asked for by name in the Host header."""
    port = server.rsplit(":", 1)[1]
    calls = _resolver(monkeypatch, "127.0.0.1", "10.255.255.1")
    page = fetch(f"http://shop.test:{port}/echo-host", LOCAL)
    assert f"shop.test:{port}" in page.html
    assert calls == ["shop.test"]


def test_rebinding_to_an_internal_address_reaches_nothing_new(monkeypatch):
    """A name that resolves to a public address when checked and to 127.0.0.1 afterwards: the
    socket is opened to the checked address (the old guard resolved again, sent the request to
    the internal address, and only then checked the peer)."""
    opened = []

    def no_network(address, *args, **kwargs):
        opened.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", no_network)
    _resolver(monkeypatch, "93.184.215.14", "127.0.0.1")
    with pytest.raises(FetchError) as caught:
        fetch("http://rebind.test:8080/secret?token=1", FetchPolicy())
    assert caught.value.code == "network_error"
    assert opened == [("93.184.215.14", 8080)]


def test_a_redirect_body_is_never_read(server, stepping_clock):
    """A 302 whose body drips for ten seconds: the fetch follows the Location without reading it.
    Reading the drip would take a clock reading a piece and pass the deadline at the fifth (see
    PATIENT); following it takes four: start, the 302, the page, the page's one piece."""
    clock = stepping_clock(step=30)
    page = fetch(server + "/redirect-with-endless-body", PATIENT, clock=clock)
    assert page.url.endswith("/page") and "Glycerin" in page.html
    assert clock.reads == 4


def test_a_compressed_page_is_inflated_only_up_to_the_cap(server):
    """20 MB of page in a 20 kB gzip body: the fetch keeps the cap, and never holds the 20 MB."""
    policy = FetchPolicy(allow_private=True, total_timeout=10, max_bytes=1_000_000)
    tracemalloc.start()
    try:
        page = fetch(server + "/gzip-bomb", policy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert page.truncated and len(page.html) == policy.max_bytes
    assert peak < 10 * policy.max_bytes
