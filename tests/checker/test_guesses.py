"""Guessing at unknown names (fuzzy matching) is bounded per label and per page read, so a
megabyte of junk costs a bounded amount of work; the report says what was not tried."""

from __future__ import annotations

import random
import string

from checker.match import Guesses


def junk(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(count)]


def test_a_label_of_junk_guesses_at_most_the_protocols_number_of_names(checker, monkeypatch):
    limit = checker.protocol.fuzzy.max_guesses_per_label
    guessed = []
    real_fuzzy = checker.matcher._fuzzy
    monkeypatch.setattr(checker.matcher, "_fuzzy", lambda name: guessed.append(name) or real_fuzzy(name))
    checker.matcher.match.cache_clear()
    report = checker.check(", ".join(["Water", "Glycerin"] + junk(limit + 300)), day=0)
    assert len(guessed) == limit
    assert any("300 unrecognised name(s) were not compared" in note for note in report.notes)
    assert [i["inci"] for i in report.to_dict()["ingredients"][:2]] == ["Water", "Glycerin"]


def test_a_real_label_is_guessed_at_as_before(checker):
    """Misspellings on an ordinary label are still read: the bound is far above what labels have."""
    report = checker.check("Aqua, Glycerine, Retinoll, Niacinamid", day=0)
    assert report.verdict == "avoid"
    assert not any("not compared" in note for note in report.notes)


def test_a_name_seen_twice_is_guessed_once_and_known_names_never_count(checker):
    guesses = Guesses(checker.matcher, limit=1)
    assert guesses.match("Retinoll").recognised and guesses.match("Retinoll").recognised
    assert guesses.match("Glycerin").recognised  # known by name: no guess needed
    assert not guesses.match("Niacinamid").recognised  # the one guess is spent
    assert guesses.refused == {"Niacinamid"}
