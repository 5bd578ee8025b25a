"""Shared data of the plan tests: the treatment date and a patient's five-product routine."""

from datetime import date
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "labels"
TREATED_ON = date(2026, 12, 1)  # a Tuesday

ROUTINE = [
    {"name": "night serum", "text": (LABELS / "retinol_serum.txt").read_text(encoding="utf-8")},
    {"name": "sunscreen", "text": "Zinc Oxide, Caprylic/Capric Triglyceride, Glycerin, Tocopherol, Phenoxyethanol"},
    {"name": "tinted moisturiser", "text": (LABELS / "tinted_moisturiser.txt").read_text(encoding="utf-8")},
    {"name": "peptide cream", "text": "Water, Glycerin, Palmitoyl Tripeptide-1, Cetearyl Alcohol, Phenoxyethanol"},
    {
        "name": "cleanser",
        "text": "Water, Sodium Laureth Sulfate, Cocamidopropyl Betaine, Glycerin, Parfum, Phenoxyethanol",
    },
]
