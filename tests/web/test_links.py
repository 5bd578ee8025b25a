"""A label carried in a link: packed small, unpacked exactly, and nothing else accepted."""

import base64
import zlib

import pytest

from checker import InputError
from web.links import MAX_UNPACKED, pack, unpack

LABEL = "Aqua, Glycerin, Niacinamide, Retinol, Phenoxyethanol, Parfum"


def test_a_label_comes_back_exactly_as_packed():
    value = {"text": LABEL + " — crème légère", "day": 1, "treated_on": "2026-12-01"}
    assert unpack(pack(value)) == value


def test_a_token_is_url_safe_and_smaller_than_a_long_label():
    text = ", ".join(["Aqua", "Glycerin", "Butylene Glycol", "Sodium Hyaluronate"] * 40)
    token = pack({"text": text})
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(token) < len(text) / 4


@pytest.mark.parametrize("token", ["", "2abc", "1!!!", "1" + "A" * 10, pack({"text": LABEL})[:-6]])
def test_a_damaged_or_foreign_token_is_refused_in_words(token):
    with pytest.raises(InputError, match="link"):
        unpack(token)


def test_a_token_inflating_past_the_cap_is_refused():
    bomb = zlib.compress(b'"' + b"a" * (MAX_UNPACKED * 20) + b'"', 9)
    token = "1" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert len(token) < MAX_UNPACKED  # small enough to reach the inflater
    with pytest.raises(InputError, match="more than a label"):
        unpack(token)
