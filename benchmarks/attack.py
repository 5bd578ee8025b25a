"""The attack mix of the load test (issue 16): the worst input of each endpoint, and the hostile sites.

In:  a random seed; the load test's port and the hostile site's port.
Out: `attack_requests(...)` -> per kind, a list of pre-encoded requests; `per_minute()` -> how many
     a minute one client address may send of each (the server's RATELIMIT_* settings); `HostileSite`, an HTTP server on 127.0.0.1
     whose /drip page sends one byte every half second and whose /redirect/N answers 302 to the
     next hop with a large gzip body that it drips (a body the fetch must never read).

Kinds:
  big_check   POST /api/check, a label of random six-letter words just under the body cap (AFTERCHECK_MAX_BYTES)
  bad_page    POST /api/extract, 60,000 <i>inci</i> and 200 nested <div class="ingredients"> around a table
  drip        POST /api/import of the dripping page   } one shared URL-import allowance
  redirect    POST /api/import of the redirect chain  }
  photo       POST /api/photo, a PNG of dense random text
"""

from __future__ import annotations

import io
import json
import random
import string
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DRIP_EVERY_S = 0.5
LIMITS = {
    "big_check": "RATELIMIT_LARGE_CHECK",
    "bad_page": "RATELIMIT_HTML_IMPORT",
    "import": "RATELIMIT_URL_IMPORT",
    "photo": "RATELIMIT_PHOTO",
}


def per_minute() -> dict[str, float]:
    """Requests a minute one address may send of each kind, from the settings the server reads."""
    from limits import parse

    from config import settings

    config = settings()
    rates = {}
    for kind, setting in LIMITS.items():
        item = parse(config[setting].split(";")[0])
        rates[kind] = item.amount * 60 / item.get_expiry()
    return rates


def random_words(rng: random.Random, size: int) -> str:
    """Distinct-looking six-letter words, comma-separated, `size` characters."""
    letters = string.ascii_lowercase
    words, length = [], 0
    while length < size:
        word = "".join(rng.choices(letters, k=6))
        words.append(word)
        length += len(word) + 2
    return ", ".join(words)[:size]


def pathological_page() -> str:
    table = "<table><tr><th>Ingredients</th><td>Aqua, Glycerin, Retinol, Niacinamide</td></tr></table>"
    nested = '<div class="ingredients">' * 200 + table + "</div>" * 200
    return f"<html><body>{nested}<p>{'<i>inci</i>' * 60_000}</p></body></html>"


def dense_photo(rng: random.Random, width: int = 2400, height: int = 3000) -> bytes:
    """A PNG filled edge to edge with small random words: the most text Tesseract can be given."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    for y in range(4, height - 12, 12):
        draw.text((4, y), random_words(rng, width // 6), fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def http_request(method: str, path: str, body: bytes, content_type: str) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode("ascii") + body


def multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "aftercheck-attack-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def attack_requests(seed: int, site_port: int, big_checks: int) -> dict[str, list[bytes]]:
    """Pre-encoded attack requests per kind; `big_checks` different 1 MB labels (fresh words each)."""
    from config import settings

    rng = random.Random(seed)
    room = settings()["MAX_CONTENT_LENGTH"] - len(json.dumps({"text": "", "day": 3})) - 1
    checks = [
        http_request(
            "POST", "/api/check", json.dumps({"text": random_words(rng, room), "day": 3}).encode(), "application/json"
        )
        for _ in range(big_checks)
    ]
    page = json.dumps({"html": pathological_page(), "url": "https://shop.example/p"}).encode()
    photo, photo_type = multipart("image", "label.png", dense_photo(rng))
    site = f"http://127.0.0.1:{site_port}"
    return {
        "big_check": checks,
        "bad_page": [http_request("POST", "/api/extract", page, "application/json")],
        "drip": [http_request("POST", "/api/import", json.dumps({"url": f"{site}/drip"}).encode(), "application/json")],
        "redirect": [
            http_request("POST", "/api/import", json.dumps({"url": f"{site}/redirect/0"}).encode(), "application/json")
        ],
        "photo": [http_request("POST", "/api/photo", photo, photo_type)],
    }


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the http.server API)
        try:
            if self.path.startswith("/redirect/"):
                hop = int(self.path.rsplit("/", 1)[1])
                self._drip(302, {"Location": f"/redirect/{hop + 1}", "Content-Encoding": "gzip"})
            else:
                self._drip(200, {"Content-Type": "text/html; charset=utf-8"})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the importer gave up: that is the point

    def _drip(self, status: int, headers: dict) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": "1000000"}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()
        for _ in range(240):  # at most two minutes, then the connection is dropped
            time.sleep(DRIP_EVERY_S)
            self.wfile.write(b"\x1f" if status == 302 else b"<")
            self.wfile.flush()

    def log_message(self, *args):
        pass


class HostileSite:
    """The dripping page and the redirect chain, served on 127.0.0.1 from threads of this process."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
