"""sources/page/shades.py: a list per shade in one field, and a list broken mid-name over paragraphs."""

from sources.page.shades import join_broken_names, merge_shades


def test_shades_are_one_list_without_their_names():
    field = (
        "Coral: Aqua (Water), Silica, Glycerin, CI 77491 (Iron Oxides). | "
        "Berry: Aqua (Water), Silica, Glycerin, CI 15850 (Red 7 Lake), CI 77491 (Iron Oxides)."
    )
    assert merge_shades(field) == "Aqua (Water), Silica, Glycerin, CI 15850 (Red 7 Lake), CI 77491 (Iron Oxides)."


def test_names_with_commas_stay_whole():
    field = "A: Aqua, 1,2-Hexanediol, Mica (CI 77019, Tin Oxide) | B: Aqua, 1,2-Hexanediol, Mica (CI 77019, Tin Oxide)"
    assert merge_shades(field) == "Aqua, 1,2-Hexanediol, Mica (CI 77019, Tin Oxide)."


def test_a_bar_without_shade_names_is_left_alone():
    text = "Aqua, Glycerin, Silica | Mica, Talc, Dimethicone"
    assert merge_shades(text) == text


def test_a_name_broken_over_paragraphs_is_joined():
    known = {"isoamyl laurate", "aqua", "mica"}.__contains__
    paragraphs = ["Aqua, Isoamyl", "Laurate, Mica"]
    assert join_broken_names(paragraphs, lambda name: known(name.lower())) == ["Aqua, Isoamyl Laurate, Mica"]


def test_two_whole_lists_stay_apart():
    known = {"aqua", "glycerin", "retinol", "squalane"}.__contains__
    paragraphs = ["Aqua, Glycerin, Retinol", "Squalane, Aqua"]
    assert join_broken_names(paragraphs, lambda name: known(name.lower())) == paragraphs
