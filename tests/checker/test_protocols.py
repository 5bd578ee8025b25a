"""A clinic chooses its protocol: the default, a shipped protocol by id, or its own file."""

from pathlib import Path

import pytest

from checker import ProtocolError, get_checker
from checker.protocols import DEFAULT_ID, resolve, shipped


def test_no_choice_is_the_clinic_sheet():
    assert DEFAULT_ID == "clinic-sheet"
    assert resolve(None) == resolve("") == shipped()["clinic-sheet"]


def test_a_shipped_id_names_its_file_and_a_path_is_a_clinics_own_file(tmp_path):
    own = tmp_path / "our-clinic.toml"
    assert resolve("clinic-sheet").name == "clinic-sheet.toml"
    assert resolve(str(own)) == own
    assert resolve(own) == own


def test_an_unknown_id_names_the_shipped_ones():
    with pytest.raises(ProtocolError, match="clinic-sheet"):
        resolve("no-such-protocol")


def test_the_same_protocol_chosen_two_ways_is_one_checker():
    assert get_checker() is get_checker("clinic-sheet") is get_checker(str(resolve(None)))
    assert isinstance(resolve(None), Path)
