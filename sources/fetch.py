"""Guarded URL fetching for page import: a user-supplied URL in, an HTML page out.

In:  a URL and a FetchPolicy (timeouts, byte cap, redirects, whether private addresses are allowed).
Out: a FetchedPage (final URL, HTML text, whether the byte cap cut it short), or a FetchError whose
     `code` says why: bad_url, blocked_address, too_many_redirects, timeout, not_html, http_error,
     network_error. The message is safe to show to the user.

The server fetches what a user names, so the guard keeps it from reaching anything but the public
web: http/https only; every address the host resolves to must be public (loopback, private,
link-local, multicast, reserved, unspecified, site-local, tunnels that embed an IPv4 address and
other non-global ranges are refused). The connection goes to the very address that was checked:
the host name is resolved once, the socket is opened to that address, and the name travels only
in the Host header and the TLS server name, so a DNS answer that changes between the check and the
connection (rebinding) reaches nothing new. Redirects are followed by hand (at most 5), each target
checked the same way, and a redirect's body is never read. Reading stops at a byte cap on the
decoded page and at an overall deadline, not only at the per-read timeout, so neither a server that
drips bytes nor a compressed body that inflates to gigabytes can hold a worker.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

USER_AGENT = "Aftercheck/0.1 (ingredient checker; page import)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)


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
    max_bytes: int = 3_000_000  # of the decoded page
    max_redirects: int = 5
    allow_private: bool = False  # intranet deployments: loopback and private ranges allowed


@dataclass(frozen=True)
class FetchedPage:
    url: str
    html: str
    truncated: bool = False


@dataclass(frozen=True)
class Target:
    """Where one request goes: the checked address, and the name the site is asked for."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


# The intranet ranges the allow_private setting opens (Python's is_private also covers
# documentation and reserved ranges, which stay refused).
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
# IPv6 ranges that carry an IPv4 address inside (NAT64) or reach other networks through a relay.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def refusal(address: str, allow_private: bool = False) -> str | None:
    """Why an IP address may not be fetched ('loopback', 'private', ...), or None if it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        elif embedded is not None:
            # 6to4, Teredo and NAT64 reach the IPv4 address inside: never fetched, and named by
            # what is inside when that is refused too (2002:7f00:1:: is loopback).
            return _kind(embedded, allow_private=False) or "tunnel"
        elif ip.teredo:
            return "tunnel"
        elif ip.is_site_local:
            return "site-local"
    return _kind(ip, allow_private)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip, allow_private: bool) -> str | None:
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


def check_url(url: str, policy: FetchPolicy) -> Target:
    """Validate a URL and every address its host resolves to; return where to connect."""
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
    except (socket.gaierror, UnicodeError, ValueError):
        raise FetchError("bad_url", f"The host {parts.hostname!r} could not be found.") from None
    if not infos:
        raise FetchError("bad_url", f"The host {parts.hostname!r} could not be found.")
    for info in infos:
        kind = refusal(info[4][0], policy.allow_private)
        if kind:
            raise FetchError(
                "blocked_address", f"{parts.hostname} is a {kind} address; only public web pages can be imported."
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, infos[0][4][0], path)


def fetch(url: str, policy: FetchPolicy = FetchPolicy(), clock: Callable[[], float] = time.monotonic) -> FetchedPage:
    """Fetch one HTML page under the policy. Raises FetchError."""
    deadline = clock() + policy.total_timeout
    for _hop in range(policy.max_redirects + 1):
        target = check_url(url, policy)
        pool, response = _open(target, policy, deadline - clock())
        try:
            if response.status in REDIRECTS and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue  # the body is never read: closing the connection drops it
            if response.status >= 400:
                raise FetchError("http_error", f"The site answered {response.status}; it may block automated requests.")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type not in HTML_TYPES:
                raise FetchError("not_html", f"That address is not a web page ({content_type or 'no type'}).")
            body, truncated = _read_capped(response, policy.max_bytes, deadline, clock)
            return FetchedPage(url, _decode(body, response.headers.get("Content-Type", "")), truncated)
        finally:
            response.close()
            pool.close()
    raise FetchError("too_many_redirects", f"The page redirected more than {policy.max_redirects} times.")


def _open(target: Target, policy: FetchPolicy, left: float):
    """Send the request to the checked address; return (pool, response) with the body unread."""
    if left <= 0:
        raise FetchError("timeout", "The site took too long to answer.")
    timeout = urllib3.Timeout(connect=min(policy.connect_timeout, left), read=min(policy.read_timeout, left))
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, maxsize=1, retries=False)
    headers = {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml",
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
    except urllib3.exceptions.NewConnectionError as exc:  # (a subclass of the connect timeout)
        pool.close()
        raise FetchError("network_error", f"The page could not be fetched ({type(exc).__name__}).") from None
    except urllib3.exceptions.TimeoutError:
        pool.close()
        raise FetchError("timeout", "The site took too long to answer.") from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        pool.close()
        raise FetchError("network_error", f"The page could not be fetched ({type(exc).__name__}).") from None
    return pool, response


class _Inflater:
    """Content-Encoding gzip/deflate undone a bounded piece at a time (a small body can inflate to GBs)."""

    def __init__(self, encoding: str):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        else:
            raise FetchError("network_error", f"The site sent the page in an encoding we do not read ({encoding}).")
        self._pending = b""

    def feed(self, data: bytes, room: int) -> bytes:
        """At most `room` decoded bytes from what was received so far."""
        if self._zlib is None:
            return data[:room]
        try:
            out = self._zlib.decompress(self._pending + data, room)
        except zlib.error:
            raise FetchError("network_error", "The site sent a damaged compressed page.") from None
        self._pending = self._zlib.unconsumed_tail
        return out


def _read_capped(response, max_bytes: int, deadline: float, clock: Callable[[], float]) -> tuple[bytes, bool]:
    inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    body = bytearray()
    try:
        # read1 returns what one receive gives, so the deadline is checked while a server drips.
        while chunk := response.read1(CHUNK, decode_content=False):
            body += inflater.feed(chunk, max_bytes + 1 - len(body))
            if len(body) > max_bytes:
                return bytes(body[:max_bytes]), True
            if clock() > deadline:
                raise FetchError("timeout", "The site took too long to send the page.")
    except (urllib3.exceptions.HTTPError, OSError):
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
