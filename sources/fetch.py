"""Guarded URL fetching for page import: a user-supplied URL in, an HTML page out.

In:  a URL and a FetchPolicy (timeouts, byte cap, redirects, whether private addresses are allowed).
Out: a FetchedPage (final URL, HTML text, whether the byte cap cut it short), or a FetchError whose
     `code` says why: bad_url, blocked_address, too_many_redirects, timeout, not_html, http_error,
     network_error. The message is safe to show to the user.

The server fetches what a user names, so the guard keeps it from reaching anything but the public
web: http/https only; every address the host resolves to must be public (loopback, private,
link-local, multicast, reserved, unspecified and other non-global ranges are refused), checked
again on every redirect (followed by hand, at most 5) and once more against the address the
socket actually connected to (a DNS answer can change between the check and the connection).
Reading stops at a byte cap and at an overall deadline, not only at the per-read timeout, so a
server that drips bytes cannot hold a worker.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

USER_AGENT = "Aftercheck/0.1 (ingredient checker; page import)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not (or may not) be fetched; `code` is machine-readable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 4.0
    read_timeout: float = 8.0
    total_timeout: float = 15.0  # the whole fetch, redirects included
    max_bytes: int = 3_000_000
    max_redirects: int = 5
    allow_private: bool = False  # intranet deployments: loopback and private ranges allowed


@dataclass(frozen=True)
class FetchedPage:
    url: str
    html: str
    truncated: bool = False


# The intranet ranges the allow_private setting opens (Python's is_private also covers
# documentation and reserved ranges, which stay refused).
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


def refusal(address: str, allow_private: bool = False) -> str | None:
    """Why an IP address may not be fetched ('loopback', 'private', ...), or None if it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    # Order matters: the first kind that applies is the one named in the message.
    kinds = [
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("link-local", ip.is_link_local),
        ("loopback", ip.is_loopback),
        ("private", any(ip in net for net in PRIVATE_NETWORKS if net.version == ip.version)),
        ("reserved", ip.is_reserved or not ip.is_global),
    ]
    for kind, applies in kinds:
        if applies:
            return None if allow_private and kind in ("loopback", "private") else kind
    return None


def check_url(url: str, policy: FetchPolicy) -> tuple[str, int]:
    """Validate a URL and every address its host resolves to; return (host, port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError("bad_url", "That is not a valid web address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url", "Only http:// and https:// web addresses can be imported.")
    if parts.username or parts.password:
        raise FetchError("bad_url", "Web addresses with a user name or password are not imported.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError("bad_url", f"The host {parts.hostname!r} could not be found.") from None
    for info in infos:
        kind = refusal(info[4][0], policy.allow_private)
        if kind:
            raise FetchError(
                "blocked_address", f"{parts.hostname} is a {kind} address; only public web pages can be imported."
            )
    return parts.hostname, port


def fetch(
    url: str,
    policy: FetchPolicy = FetchPolicy(),
    session: requests.Session | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> FetchedPage:
    """Fetch one HTML page under the policy. Raises FetchError.

    The overall deadline is `policy.total_timeout` seconds of `clock` (tests pass a fake clock).
    """
    deadline = clock() + policy.total_timeout
    session = session or requests.Session()
    session.trust_env = False  # no proxies from the environment: the guard must see the real target
    for _hop in range(policy.max_redirects + 1):
        check_url(url, policy)
        response = _get(session, url, policy, deadline, clock)
        try:
            _check_peer(response, policy)
            if response.is_redirect:
                location = response.headers.get("Location", "")
                url = urljoin(url, location)
                continue
            if response.status_code >= 400:
                raise FetchError(
                    "http_error", f"The site answered {response.status_code}; it may block automated requests."
                )
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type not in HTML_TYPES:
                raise FetchError("not_html", f"That address is not a web page ({content_type or 'no type'}).")
            body, truncated = _read_capped(response, policy.max_bytes, deadline, clock)
            return FetchedPage(url, _decode(body, response.headers.get("Content-Type", "")), truncated)
        finally:
            response.close()
    raise FetchError("too_many_redirects", f"The page redirected more than {policy.max_redirects} times.")


def _get(session, url, policy, deadline, clock) -> requests.Response:
    left = deadline - clock()
    if left <= 0:
        raise FetchError("timeout", "The site took too long to answer.")
    try:
        return session.get(
            url,
            stream=True,
            allow_redirects=False,
            timeout=(min(policy.connect_timeout, left), min(policy.read_timeout, left)),
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
        )
    except requests.Timeout:
        raise FetchError("timeout", "The site took too long to answer.") from None
    except requests.RequestException as exc:
        raise FetchError("network_error", f"The page could not be fetched ({type(exc).__name__}).") from None


def _check_peer(response, policy) -> None:
    """The address the socket really reached must pass too (DNS may change after the check)."""
    try:
        peer = response.raw._fp.fp.raw._sock.getpeername()[0]
    except AttributeError:
        return  # connection already handed back (empty body); the resolved addresses were checked
    kind = refusal(peer, policy.allow_private)
    if kind:
        raise FetchError(
            "blocked_address", f"The site resolved to a {kind} address; only public web pages can be imported."
        )


def _read_capped(response, max_bytes: int, deadline: float, clock: Callable[[], float]) -> tuple[bytes, bool]:
    body = bytearray()
    try:
        # read1 returns what one receive gives, so the deadline is checked while a server drips.
        while chunk := response.raw.read1(CHUNK, decode_content=True):
            body += chunk
            if len(body) >= max_bytes:
                return bytes(body[:max_bytes]), True
            if clock() > deadline:
                raise FetchError("timeout", "The site took too long to send the page.")
    except (requests.RequestException, OSError, urllib3.exceptions.HTTPError):
        raise FetchError("timeout", "The site stopped sending the page.") from None
    return bytes(body), False


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)


def _decode(body: bytes, content_type: str) -> str:
    """Header charset, else the page's <meta charset>, else UTF-8 (never Latin-1 by default)."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I) or _META_CHARSET.search(
        body[:4096]
    )
    charset = match.group(1) if match else "utf-8"
    charset = charset.decode("ascii") if isinstance(charset, bytes) else charset
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")
