"""The products of a patient's routine, as a client or a link sends them.

In:  a list of {"name", "text", "category"?} (JSON, or a routine unpacked from a link).
Out: `read_products(raw)` -> [Product]; anything a plan cannot be made from raises InputError
     saying which product and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker import InputError

# A face routine is a handful of products; a longer list is a shelf (the staff shelf check reads
# those), and every product costs a check per plan and a share of the link's length.
MAX_PRODUCTS = 12
# Names are the patient's own words ("night serum"); a plan line lists several of them.
MAX_NAME = 60
MAX_CATEGORY = 60
# A real label is a few thousand characters; a link holding several must stay openable.
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Product:
    name: str
    text: str
    category: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "text": self.text, **({"category": self.category} if self.category else {})}


def _field(entry: dict, key: str, where: str, limit: int, required: bool) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be text")
    value = " ".join(value.split()) if key != "text" else value.strip()
    if required and not value:
        raise InputError(f"{where}: '{key}' is empty")
    if len(value) > limit:
        raise InputError(f"{where}: '{key}' is longer than {limit:,} characters")
    return value


def read_product(entry, number: int) -> Product:
    """One product; `number` (from 1) names it in errors."""
    where = f"product {number}"
    if not isinstance(entry, dict):
        raise InputError(f'{where} must be an object such as {{"name": "night serum", "text": "Water, Retinol"}}')
    name = _field(entry, "name", where, MAX_NAME, required=True)
    where = f"product {number} ({name})"
    return Product(
        name,
        _field(entry, "text", where, MAX_TEXT, required=True),
        _field(entry, "category", where, MAX_CATEGORY, False),
    )


def read_products(raw) -> list[Product]:
    """The routine's products, validated; names must differ (the plan says them by name)."""
    if not isinstance(raw, list) or not raw:
        raise InputError('products must be a list of at least one {"name", "text", "category"?}')
    if len(raw) > MAX_PRODUCTS:
        raise InputError(f"a routine holds at most {MAX_PRODUCTS} products (got {len(raw)})")
    products = [read_product(entry, number) for number, entry in enumerate(raw, 1)]
    seen = set()
    for product in products:
        if product.name.casefold() in seen:
            raise InputError(f"two products are named {product.name!r}: give each its own name")
        seen.add(product.name.casefold())
    return products
