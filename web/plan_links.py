"""What a plan's link carries: the patient's routine, and the clinic's signed stricter instructions.

In:  the token `r` of a /routine or /plan link (web/links.py packs it: {"products": [...],
     "treated_on", "override"}), and an override token made by staff.
Out: `read_routine(token)` -> the routine (products checked as plan/routine.py reads them) and
     `routine_token(routine)`; `sign_override(override, checker)` -> a token only this app can have
     made, bound to the clinic's protocol version; `plan_checker(checker, token)` -> the Checker a plan
     uses and the note its protocol block gives. A changed or foreign token raises InputError.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from checker import Checker, InputError, ProtocolError
from plan.override import Override, read_override
from plan.routine import MAX_PRODUCTS, read_product

from .days import parse_date
from .links import pack, unpack

SIGNING_SALT = "aftercheck.plan-override"


def read_routine(token: str | None) -> dict:
    """The routine a link holds: {"products": [dict], "treated_on": str | None, "override": str | None}."""
    if not token:
        return {"products": [], "treated_on": None, "override": None}
    value = unpack(token)
    if not isinstance(value, dict) or not isinstance(value.get("products", []), list):
        raise InputError("this link does not hold a routine: open your routine again and copy its link")
    products = value.get("products", [])
    if len(products) > MAX_PRODUCTS:
        raise InputError(f"a routine holds at most {MAX_PRODUCTS} products")
    for number, entry in enumerate(products, 1):
        read_product(entry, number)
    treated_on = value.get("treated_on")
    if treated_on is not None:
        parse_date(treated_on, "the routine's treatment date")
    override = value.get("override")
    return {"products": products, "treated_on": treated_on, "override": override if isinstance(override, str) else None}


def routine_token(routine: dict) -> str:
    return pack({key: value for key, value in routine.items() if value})


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SIGNING_SALT)


def sign_override(override: Override, base: Checker) -> str:
    """The override as a token only this app can have made, bound to the clinic's protocol version."""
    return _signer().dumps({**override.as_dict, "protocol": base.versions["protocol"]})


def read_signed_override(token: str, base: Checker) -> Override:
    """The override a signed token holds; InputError if it was changed or made for another protocol."""
    try:
        value = _signer().loads(token)
    except BadSignature:
        raise InputError(
            "the clinic's stricter instructions in this link were changed or cut short; ask the clinic for the link again"
        ) from None
    if not isinstance(value, dict) or value.pop("protocol", None) != base.versions["protocol"]:
        raise InputError(
            "the clinic's stricter instructions in this link were made for another version of its protocol; ask the clinic for a new link"
        )
    try:
        return read_override(value, base)
    except ProtocolError as exc:
        raise InputError(str(exc)) from None


def plan_checker(base: Checker, override_token: str | None) -> tuple[Checker, dict | None]:
    """The Checker a plan uses and what its protocol block says about an override."""
    if not override_token:
        return base, None
    override = read_signed_override(override_token, base)
    return override.checker(base), override.protocol_note()
