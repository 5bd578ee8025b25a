"""Real labels from ../shared/data for measuring (never committed): one list of label texts.

In:  the shared datasets folder (default ../shared/data next to the repo, or AFTERCHECK_SHARED_DATA).
Out: `load_labels()` -> list of (dataset name, label text), empty values and placeholders dropped;
     `load_products()` -> the same labels as Product rows with the name and category where the file
     has them (the category as the file spells it: the Kaggle `Label`, "category / subcategory").
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SHARED_DATA = Path(os.environ.get("AFTERCHECK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

# file name -> (encoding, ingredient column)
DATASETS = {
    "sephora_cosmetics_kaggle.csv": ("cp1252", "Ingredients"),
    "lookfantastic_skincare_products_clean.csv": ("utf-8", "clean_ingreds"),
    "sephora_skincare_scraped_2026_raw.csv": ("utf-8", "ingredients"),
    "sephora_skincare_scraped_2026_categorized.csv": ("utf-8", "ingredients"),
    "sephora_skincare_scraped_2020_raw_html.csv": ("utf-8", "ingredients"),
}
PLACEHOLDERS = ("visit the", "#name?", "no info")
# file name -> (name column, category columns joined with " / ")
PRODUCT_COLUMNS = {
    "sephora_cosmetics_kaggle.csv": ("Name", ("Label",)),
    "lookfantastic_skincare_products_clean.csv": ("product_name", ("product_type",)),
    "sephora_skincare_scraped_2026_raw.csv": ("name", ()),
    "sephora_skincare_scraped_2026_categorized.csv": ("name", ("category", "subcategory")),
    "sephora_skincare_scraped_2020_raw_html.csv": ("name", ("category",)),
}


@dataclass(frozen=True)
class Product:
    dataset: str
    text: str
    name: str
    category: str


def _as_text(value: str) -> str:
    # Lookfantastic stores a Python list literal: "['glycerin', 'niacinamide']".
    if value.startswith("[") and value.endswith("]"):
        try:
            return ", ".join(ast.literal_eval(value))
        except (ValueError, SyntaxError):
            return value
    return value


def load_labels(folder: Path = SHARED_DATA) -> list[tuple[str, str]]:
    return [(p.dataset, p.text) for p in load_products(folder)]


def load_products(folder: Path = SHARED_DATA) -> list[Product]:
    products = []
    for name, (encoding, column) in DATASETS.items():
        path = Path(folder) / name
        if not path.exists():
            continue
        frame = pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False)
        name_column, category_columns = PRODUCT_COLUMNS[name]
        for _, row in frame.iterrows():
            value = row[column].strip()
            if value and not value.lower().startswith(PLACEHOLDERS):
                category = " / ".join(c for c in (row[k].strip() for k in category_columns) if c)
                products.append(Product(name, _as_text(value), row[name_column].strip(), category))
    return products
