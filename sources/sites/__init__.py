"""Per-site hooks: the few things the generic reading of a page gets wrong on one site.

In:  a host name ("www.sephora.com").
Out: `for_host(host)` -> the site's module, or `GENERIC` (no hooks) for every other site.

A site module (named after its host, dots as underscores) may define any of:
    sections(root) -> list[(element, where)]   page sections to try before the generic ones
    name(root) -> str | None                   the product name when structured data lacks it
Register it in SITES. Add one only when a real page of that site needs it, with that page's
structure as a fixture in tests/fixtures/pages/.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

# host suffix -> module name in this package. Empty until a real site needs its own code: the
# saved Sephora pages, for one, are read correctly by the generic path (tab + aria-controls).
SITES: dict[str, str] = {}

GENERIC = SimpleNamespace()


def for_host(host: str):
    """The hooks for a host ('www.example.com' also matches an 'example.com' entry)."""
    host = (host or "").lower().rstrip(".")
    for suffix, module in SITES.items():
        if host == suffix or host.endswith("." + suffix):
            return importlib.import_module(f"{__name__}.{module}")
    return GENERIC
