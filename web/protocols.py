"""The protocol comparison page (staff): the shipped protocols and this clinic's side by side.

In:  GET /shelf/protocols, behind the staff login like the other /shelf pages; `?only=differences`
     keeps the rules the protocols disagree on (a plain link: no script needed).
Out: every class and product rule with its flag and window under each protocol (checker/compare.py),
     the default (the clinic sheet) as the baseline, the protocol this app uses marked "in use".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, request

from checker.compare import compare, differences
from checker.protocol import Protocol
from checker.protocols import DEFAULT_ID, resolve, shipped

from .auth import staff_required
from .current import current_checker

bp = Blueprint("protocols", __name__, url_prefix="/shelf")


@dataclass(frozen=True)
class Column:
    id: str  # the shipped id, or the file name of a clinic's own protocol
    protocol: Protocol
    default: bool
    in_use: bool
    own_file: bool = False


@cache
def _load(path: Path) -> Protocol:
    """A shipped protocol file, read once (the app's own is already loaded by its Checker)."""
    return Protocol.load(path)


def _columns() -> list[Column]:
    """The default first, then the other shipped protocols, then this clinic's own file if it has one."""
    chosen = resolve(current_app.config["AFTERCHECK_PROTOCOL"]).resolve()
    files = shipped()
    ids = [DEFAULT_ID] + [i for i in files if i != DEFAULT_ID]
    columns = [Column(i, _load(files[i]), i == DEFAULT_ID, files[i].resolve() == chosen) for i in ids]
    if not any(column.in_use for column in columns):
        columns.append(Column(chosen.name, current_checker().protocol, False, True, own_file=True))
    return columns


@bp.get("/protocols")
@staff_required
def compare_page():
    only = request.args.get("only") == "differences"
    columns = _columns()
    rows = compare({c.id: c.protocol for c in columns}, DEFAULT_ID)
    differing = differences(rows)
    return render_template(
        "shelf/protocols.html",
        columns=columns,
        rows=differing if only else rows,
        only=only,
        total=len(rows),
        differing=len(differing),
    )
