"""The parser turns real label text into ingredient tokens (checker/parse.py)."""

import pytest

from checker.parse import InputError, clean_name, cut_disclaimers, parse, split_sections, split_tokens


def names(text):
    return [t.name for t in parse(text).tokens]


class TestSplitTokens:
    @pytest.mark.parametrize(
        "piece, expected",
        [
            ("Water, 1,2-Hexanediol, Glycerin", ["Water", "1,2-Hexanediol", "Glycerin"]),
            ("2,3-Butanediol, Squalane", ["2,3-Butanediol", "Squalane"]),
            ("Diethylhexyl 2, 6-Naphthalate, Water", ["Diethylhexyl 2, 6-Naphthalate", "Water"]),
            ("Iron Oxides (CI 77491, CI 77492), Mica", ["Iron Oxides (CI 77491, CI 77492)", "Mica"]),
            ("Caprylic/Capric Triglyceride; Water", ["Caprylic/Capric Triglyceride", "Water"]),
            ("Cetearyl Alcohol And Ceteareth20, Water", ["Cetearyl Alcohol", "Ceteareth20", "Water"]),
            ("Aloe Leaf Extract & Yeast Extract", ["Aloe Leaf Extract", "Yeast Extract"]),
        ],
        ids=["digit-comma", "leading-digits", "comma-space", "in-brackets", "semicolon", "and", "ampersand"],
    )
    def test_separators_outside_names(self, piece, expected):
        """Commas between digits and inside brackets belong to the name; 'and'/'&' join two."""
        assert [t for t, _, _ in split_tokens(piece)] == expected

    def test_may_contain_marks_the_shade_list(self):
        tokens = split_tokens("Water, Talc. May Contain (+/-): Mica, CI 77491")
        assert [(t, m) for t, m, _ in tokens][-2:] == [("Mica", True), ("CI 77491", True)]

    def test_a_bracketed_blend_takes_one_place_in_the_list(self):
        """'Botanical Blend [a, b, c, d], Squalane, Lactic Acid': lactic acid is the third entry."""
        text = (
            "Botanical Blend [Aqua, Opuntia Tuna Fruit Extract, Agave Tequilana Leaf Extract, "
            "Aloe Barbadensis Leaf Extract], Squalane, Lactic Acid"
        )
        tokens = parse(text).tokens
        assert [t.name for t in tokens][:3] == ["Botanical Blend", "Aqua", "Opuntia Tuna Fruit Extract"]
        assert [(t.name, t.rank) for t in tokens][-2:] == [("Squalane", 2), ("Lactic Acid", 3)]


class TestCleanName:
    @pytest.mark.parametrize(
        "raw, expected",
        [
            ("Retinol (0.5%)", "Retinol"),
            ("• Glycerin*", "Glycerin"),
            ("Titanium Dioxide [nano]", "Titanium Dioxide"),
            ("Tocopherol**.", "Tocopherol"),
            ("Acetyl Tetrapeptide-15 (098/131).", "Acetyl Tetrapeptide-15"),
            ("Avobenzone 3.0%", "Avobenzone"),
            ("Cleanser: Water", "Water"),
            ("Protini™ Peptide", "Protini Peptide"),
            ("Water\\Aqua\\Eau", "Water/Aqua/Eau"),
        ],
        ids=["percent", "bullet", "nano", "stars", "code", "strength", "prefix", "trademark", "backslashes"],
    )
    def test_clean(self, raw, expected):
        assert clean_name(raw) == expected


class TestSections:
    def test_drug_facts_keeps_active_and_inactive_blocks(self, label):
        """US Drug Facts: actives with %, then inactive ingredients; Purpose/Uses are context."""
        parsed = parse(label("drug_facts_sunscreen"))
        assert [t.name for t in parsed.tokens][:5] == ["Avobenzone", "Homosalate", "Octisalate", "Octocrylene", "Water"]
        assert "Sunscreen" in parsed.context and "prevent sunburn" in parsed.context

    def test_product_name_before_heading_is_context(self, label):
        bodies, context = split_sections(label("retinol_serum"))
        assert "Retinol Night Serum" in context and len(bodies) == 1

    def test_no_heading_means_whole_text(self):
        bodies, context = split_sections("Water, Glycerin, Squalane")
        assert bodies == ["Water, Glycerin, Squalane"] and context == ""


class TestProseAndDisclaimers:
    def test_marketing_bullets_are_not_ingredients(self, label):
        """Sephora-style '-Key ingredient: blurb.' bullets before the INCI list are dropped."""
        assert names(label("marketing_prefix"))[:2] == ["Water/Aqua/Eau", "Glycerin"]

    def test_formulated_without_block_is_removed(self, label):
        """'Clean at ... formulated without: Retinyl Palmitate' names what is NOT in the product."""
        parsed = parse(label("formulated_without"))
        assert "Retinyl Palmitate" not in [t.name for t in parsed.tokens]
        assert parsed.notes

    def test_lists_may_change_notice_is_removed(self):
        text, removed = cut_disclaimers("Water, Glycerin. Please be aware that ingredient lists may change.")
        assert "aware" not in text and "aware" in removed

    def test_one_ingredient_per_line_with_bullets(self, label):
        assert names(label("bullets")) == [
            "Aqua/Water/Eau",
            "Glycerin",
            "Palmitoyl Pentapeptide-4",
            "Sodium Hyaluronate",
            "1,2-Hexanediol",
            "Caprylyl Glycol",
        ]

    def test_hyphenated_line_breaks_are_rejoined(self, label):
        assert names(label("line_breaks"))[:5] == [
            "Water",
            "Glycerin",
            "Butylene Glycol",
            "Hexanediol",
            "PEG-100 Stearate",
        ]

    def test_footnotes_nano_and_trailing_stop(self, label):
        assert names(label("footnotes_nano")) == [
            "Aqua",
            "Glycerin",
            "Butyrospermum Parkii (Shea) Butter",
            "Titanium Dioxide",
            "Cetearyl Alcohol",
            "Tocopherol",
            "Parfum",
        ]

    def test_mojibake_is_repaired(self, label):
        assert "Glycérine" in names(label("mojibake"))

    def test_missing_separator_after_percentage(self):
        assert names("Octisalate 5.0%Water, Glycerin") == ["Octisalate", "Water", "Glycerin"]

    def test_html_remnants(self):
        assert names("<div>Water, Glycerin,<br/>Squalane</div>") == ["Water", "Glycerin", "Squalane"]

    def test_several_products_in_one_list(self):
        text = "Cleanser: Water, Sodium Laureth Sulfate, Glycerin. Toner: Water, Glycolic Acid, Witch Hazel."
        assert names(text) == ["Water", "Sodium Laureth Sulfate", "Glycerin", "Water", "Glycolic Acid", "Witch Hazel"]


class TestBadInput:
    @pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x00\x01"])
    def test_empty_input_is_a_clear_error(self, text):
        with pytest.raises(InputError):
            parse(text)

    def test_too_long_is_a_clear_error(self):
        with pytest.raises(InputError, match="too long"):
            parse("a" * 1_000_001)

    def test_not_text(self):
        with pytest.raises(InputError):
            parse(b"Water, Glycerin")

    def test_recipe_gives_no_tokens(self, label):
        assert parse(label("recipe")).tokens == []

    def test_one_megabyte_of_commas_and_words(self):
        parsed = parse(("Water, " * 140_000)[:999_999])
        assert len(parsed.tokens) > 100_000


class TestHostileInput:
    """Pathological strings for every regular expression: each is answered or refused with a clear
    error. (That no pattern backtracks super-linearly is tests/reliability/test_redos.py.)"""

    @pytest.mark.parametrize(
        "text",
        [
            "a" * 200_000 + "!",
            "(" * 50_000 + "Water",
            "-\n" * 50_000,
            ", " * 100_000,
            "Ingredients: " * 20_000,
            "formulated without: " * 10_000,
            "1," * 100_000,
            "Water " * 100_000 + "%",
            "<br" * 50_000,
            "May contain " * 20_000,
            "\u202e" * 10_000 + "Retinol",
            "Ã" * 100_000,
            "Water, a" + " " * 50_000 + "b",
            "Ingredients" + "\t" * 50_000 + "(x",
            "max" + " " * 50_000 + "x",
            "Water, " + "-" * 100_000 + "x",
            "Water, " + "[" * 50_000,
            "a." + " " * 50_000 + "b",
        ],
        ids=lambda text: text[:8].encode("ascii", "replace").decode(),
    )
    def test_is_answered_or_refused(self, checker, text):
        try:
            report = checker.check(text)
        except InputError as error:
            assert str(error)
        else:
            assert report.verdict in {"avoid", "caution", "neutral", "encouraged"}


def test_full_width_letters_and_ideographic_commas():
    """A label typed on a CJK keyboard: NFKC folds the letters, '、' separates."""
    assert names("Ｒｅｔｉｎｏｌ、Ａｑｕａ") == ["Retinol", "Aqua"]


def test_superscript_footnotes_do_not_become_digits():
    assert names("Glycerin¹, Retinol², Squalane³") == ["Glycerin", "Retinol", "Squalane"]


class TestNumberedFootnotes:
    def test_glued_digits_are_the_mark(self):
        """German shops print "Limonene1" and the footnote itself as the list's last item."""
        label = "Aqua, Parfüm (Parfüm) 1, Limonene1, Cumarin1 1, erhalten aus natürlichen ätherischen Ölen"
        parsed = parse(label)
        assert [t.name for t in parsed.tokens] == ["Aqua", "Parfüm (Parfüm)", "Limonene", "Cumarin"]
        assert "erhalten aus natürlichen ätherischen Ölen" in parsed.context

    def test_a_footnote_on_its_own_line(self):
        assert names("Aqua, Glycerin, Linalool1.\n1 from natural essential oils") == ["Aqua", "Glycerin", "Linalool"]

    def test_no_footnote_no_change(self):
        assert names("Aqua, Palmitoyl Tripeptide-1, Polysorbate 20, Limonene1") == [
            "Aqua",
            "Palmitoyl Tripeptide-1",
            "Polysorbate 20",
            "Limonene1",
        ]

    def test_only_the_footnote_digit_is_taken_off(self):
        label = "Aqua, Palmitoyl Tripeptide-1, Ceteareth-20, Linalool1, Citral2. 1 of natural origin"
        assert names(label) == ["Aqua", "Palmitoyl Tripeptide-1", "Ceteareth-20", "Linalool", "Citral2"]


class TestBatchCodes:
    def test_a_batch_note_inside_a_name(self):
        assert names("AQUA. GLYCERIN. PEG-100 STEARATE (F.I.L. N292333/1). CETYL ALCOHOL") == [
            "AQUA",
            "GLYCERIN",
            "PEG-100 STEARATE",
            "CETYL ALCOHOL",
        ]

    def test_a_supplier_code_after_the_last_item(self):
        assert names("Aqua, Linalool, Linalyl Acetate. [8007630008]") == ["Aqua", "Linalool", "Linalyl Acetate"]

    def test_colour_index_numbers_stay(self):
        assert names("Aqua, CI 77491 [Iron Oxides], Mica (CI 77019)") == [
            "Aqua",
            "CI 77491 [Iron Oxides]",
            "Mica (CI 77019)",
        ]


def test_shade_list_after_the_list_is_kept():
    """'May Contain: Iron Oxides (CI ...)' after the last full stop is the shade range, not prose."""
    tokens = parse("Water, Glycerin, Phenoxyethanol. May Contain: Iron Oxides (CI 77491, CI 77492).").tokens
    assert (tokens[-1].name, tokens[-1].may_contain) == ("Iron Oxides (CI 77491, CI 77492)", True)


def test_a_blank_line_ends_a_list_line():
    assert names("Water, Glycerin, Butylene Glycol\n\nSqualane, Citric Acid, Retinol")[2:4] == [
        "Butylene Glycol",
        "Squalane",
    ]


def test_and_blends_are_split():
    assert names("Water, Cetearyl Alcohol (and) Ceteareth-20, Glycerin") == [
        "Water",
        "Cetearyl Alcohol",
        "Ceteareth-20",
        "Glycerin",
    ]


def test_a_scraped_python_list_is_unwrapped():
    """Some retailer exports store the list as a Python literal: "['glycerin', 'niacinamide']"."""
    assert names("['glycerin', 'niacinamide', '1,2-hexanediol']") == ["glycerin", "niacinamide", "1,2-hexanediol"]


class TestNothingIsLost:
    """Full stops where commas belong (OCR, sloppy typing) must not drop ingredients."""

    def test_full_stops_between_ingredients(self):
        assert names("Aqua, Glycerin. Retinol. Niacinamide") == ["Aqua", "Glycerin", "Retinol", "Niacinamide"]

    def test_a_fragment_cut_off_by_a_full_stop(self):
        assert (
            names("rosa damascena flower water,\nas. ORR\npogostemon cablin flower extract, retinol")[-1] == "retinol"
        )

    def test_capitals_prose_keeps_the_first_ingredient(self):
        text = "SMOOTHS THE LOOK OF LINES.\nHYDROGENATED POLYISOBUTENE, GLYCERIN, RETINOL"
        assert "HYDROGENATED POLYISOBUTENE" in names(text)

    def test_marketing_bullets_and_claims_are_left_out(self):
        text = "-Vitamin E: Softens. Paraben-free, Retinol-free, Fragrance Free. Water, Glycerin, Ext. D&C Violet No. 2"
        parsed = parse(text)
        assert [t.name for t in parsed.tokens] == ["Water", "Glycerin", "Ext. D&C Violet No. 2"]
        assert "Retinol-free" in parsed.context


def test_one_odd_item_does_not_make_a_list_prose():
    """A list with one lower-case junk item (here markup text) is still a list."""
    assert names("Water, Glycerin, Retinol, Niacinamide, <script>alert(5)</script>")[:4] == [
        "Water",
        "Glycerin",
        "Retinol",
        "Niacinamide",
    ]
