"""Data carried in a link instead of kept on the server: a label, or a routine of labels.

In:  any JSON value (a dict with the label's text, name, day ...), or a token from a URL.
Out: `pack(value)` -> a URL-safe token ('1' + base64url of the zlib-compressed JSON), and
     `unpack(token)` -> the value; a token that is malformed, of an unknown version, or that
     inflates past MAX_UNPACKED bytes raises InputError. The server keeps nothing: whoever holds the
     link holds the data (docs/web.md, "Result links").
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from checker import InputError

VERSION = "1"
# A packed label inflates to its own size; the form's own cap (AFTERCHECK_MAX_BYTES) is larger than
# any real label, so a link never needs more than this, and a crafted token cannot inflate further.
MAX_UNPACKED = 300_000


def pack(value) -> str:
    """A compact, URL-safe token holding the value."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return VERSION + base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")


def unpack(token: str):
    """The value a token from `pack` holds, or InputError for anything else."""
    if not isinstance(token, str) or not token.startswith(VERSION) or len(token) > 2 * MAX_UNPACKED:
        raise InputError("this link is not an Aftercheck result link (it may have been cut short)")
    body = token[len(VERSION) :]
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), MAX_UNPACKED + 1)
        whole = not inflater.unconsumed_tail and len(raw) <= MAX_UNPACKED
        value = json.loads(raw.decode("utf-8")) if whole else None
    except (binascii.Error, ValueError, zlib.error):  # UnicodeDecodeError and JSON errors are ValueErrors
        raise InputError("this link is damaged or was cut short: open the result again and copy its link") from None
    if not whole:
        raise InputError("this link holds more than a label's worth of text")
    return value
