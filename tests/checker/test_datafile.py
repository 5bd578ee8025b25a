"""A data file that cannot be read, or is not TOML, stops start-up with its name, in the reader's own error."""

import pytest

from checker.datafile import read_toml
from checker.vocabulary import VocabularyError


def test_the_tables_of_a_data_file(tmp_path):
    path = tmp_path / "words.toml"
    path.write_text('[kinds]\nCIR = "a safety review"\n', encoding="utf-8")
    assert read_toml(path) == {"kinds": {"CIR": "a safety review"}}


def test_a_missing_file_is_named_in_the_readers_error(tmp_path):
    with pytest.raises(VocabularyError, match=r"missing\.toml: cannot be read"):
        read_toml(tmp_path / "missing.toml", VocabularyError)


@pytest.mark.parametrize("raw", [b'[kinds\nCIR = "x"\n', b"\xff\xfe not utf-8"], ids=["not-toml", "not-utf8"])
def test_a_broken_file_is_named_in_the_readers_error(tmp_path, raw):
    path = tmp_path / "broken.toml"
    path.write_bytes(raw)
    with pytest.raises(VocabularyError, match=r"broken\.toml: "):
        read_toml(path, VocabularyError)
