"""The ingredient data is the product: its integrity is tested like code (data/*.csv)."""

import pandas as pd
import pytest

from checker import Checker
from checker.engine import DATA_DIR
from checker.lexicon import Lexicon, LexiconError, key

INGREDIENTS = pd.read_csv(DATA_DIR / "ingredients.csv", dtype=str, keep_default_na=False)


def test_every_class_has_a_protocol_rule_with_a_label(checker):
    for name in checker.lexicon.classes:
        rule = checker.protocol.classes[name]
        assert rule.label and rule.reason


def test_every_row_has_a_note_and_a_source():
    assert (INGREDIENTS["note"].str.len() > 0).all()
    assert (INGREDIENTS["source"].str.len() > 0).all()


@pytest.mark.parametrize(
    "inci, cls",
    [
        # the classes the issue names: AHAs, BHAs, PHAs, retinoids, vitamin C, BPO, enzymes, scrubs
        ("Glycolic Acid", "aha"),
        ("Ammonium Glycolate", "aha"),
        ("Mandelic Acid", "aha"),
        ("Malic Acid", "aha"),
        ("Tartaric Acid", "aha"),
        ("Salicylic Acid", "bha"),
        ("Betaine Salicylate", "bha"),
        ("Salix Alba Bark Extract", "bha"),
        ("Capryloyl Salicylic Acid", "bha"),
        ("Gluconolactone", "pha"),
        ("Lactobionic Acid", "pha"),
        ("Retinal", "retinoid"),
        ("Retinyl Palmitate", "retinoid"),
        ("Hydroxypinacolone Retinoate", "retinoid"),
        ("Tretinoin", "retinoid"),
        ("Adapalene", "retinoid"),
        ("Ascorbic Acid", "vitamin_c"),
        ("Benzoyl Peroxide", "benzoyl_peroxide"),
        ("Papain", "exfoliating_enzyme"),
        ("Juglans Regia Shell Powder", "physical_exfoliant"),
        ("Palmitoyl Pentapeptide-4", "collagen_peptide"),
        ("Palmitoyl Tripeptide-5", "collagen_peptide"),
        ("Palmitoyl Tripeptide-38", "collagen_peptide"),
        ("Copper Tripeptide-1", "collagen_peptide"),
        ("Hydrolyzed Collagen", "collagen"),
        ("Acetyl Hexapeptide-8", "peptide_other"),
        ("Butyl Methoxydibenzoylmethane", "uv_filter"),
        ("Iron Oxides", "makeup_pigment"),
        ("Alcohol Denat.", "drying_alcohol"),
        ("Fragrance", "fragrance"),
    ],
)
def test_required_class(checker, inci, cls):
    entry, method = checker.lexicon.names[key(inci)]
    assert method == "exact" and cls in entry.classes


def test_duplicate_name_is_refused_with_its_line(tmp_path):
    path = tmp_path / "ingredients.csv"
    path.write_text(
        "inci,synonyms,classes,trace_classes,trace_after_position,note,source\n"
        "Water,Aqua,solvent,,,,x\nGlycerin,Aqua,humectant,,,,x\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="line 3: name 'Aqua'"):
        Lexicon.load(path, DATA_DIR / "families.csv")


def test_bad_pattern_is_refused_with_its_line(tmp_path):
    path = tmp_path / "families.csv"
    path.write_text("name,pattern,classes,note\nok,^peg,emulsifier,x\nbad,(unclosed,polymer,x\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 3"):
        Lexicon.load(DATA_DIR / "ingredients.csv", path)


LONG_FERMENT = "Pseudozyma Epicola/Camellia Sinensis Seed Oil/Glucose/Glycine Soja Meal/Malt Extract/Yeast Extract Ferment Filtrate"


def test_a_family_marked_keep_whole_is_never_split_as_a_run_on(tmp_path, checker):
    """A ferment's long name lists what was fermented; the names inside it do not make it a run-on.
    That exception is the ferment family's keep_whole column in data/families.csv: without it,
    the same label is split."""
    assert [i.token.text for i in checker.check(f"Water, {LONG_FERMENT}").items] == ["Water", LONG_FERMENT]
    families = (DATA_DIR / "families.csv").read_text(encoding="utf-8")
    unmarked = tmp_path / "families.csv"
    unmarked.write_text(families.replace("a fermentation product,true", "a fermentation product,"), encoding="utf-8")
    split = Checker(families_path=unmarked).check(f"Water, {LONG_FERMENT}")
    assert len(split.items) > 2 and any("run-on" in note for note in split.notes)


def test_keep_whole_must_be_true_false_or_empty(tmp_path):
    path = tmp_path / "families.csv"
    path.write_text("name,pattern,classes,note,keep_whole\nferment,ferment,ferment,x,yes\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 2: keep_whole"):
        Lexicon.load(DATA_DIR / "ingredients.csv", path)
