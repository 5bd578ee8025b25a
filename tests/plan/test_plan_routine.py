"""The routine a patient sends: named products with their labels, validated with clear messages."""

import pytest

from checker import InputError
from plan.routine import MAX_NAME, MAX_PRODUCTS, Product, read_products


def test_names_and_categories_are_tidied():
    products = read_products([{"name": "  night   serum ", "text": "Water, Retinol\n", "category": "Serums"}])
    assert products == [Product("night serum", "Water, Retinol", "Serums")]
    assert products[0].to_dict() == {"name": "night serum", "text": "Water, Retinol", "category": "Serums"}


@pytest.mark.parametrize(
    "raw, message",
    [
        ([], "at least one"),
        ({"name": "x"}, "must be a list"),
        (["Water"], "product 1 must be an object"),
        ([{"text": "Water"}], "product 1: 'name' must be text"),
        ([{"name": " ", "text": "Water"}], "product 1: 'name' is empty"),
        ([{"name": "serum", "text": ""}], r"product 1 \(serum\): 'text' is empty"),
        ([{"name": "serum", "text": "Water", "category": 3}], "'category' must be text"),
        ([{"name": "x" * (MAX_NAME + 1), "text": "Water"}], f"longer than {MAX_NAME}"),
        ([{"name": "Serum", "text": "Water"}, {"name": "serum", "text": "Aqua"}], "two products are named"),
        ([{"name": f"p{n}", "text": "Water"} for n in range(MAX_PRODUCTS + 1)], f"at most {MAX_PRODUCTS}"),
    ],
    ids=["empty", "not-list", "not-object", "no-name", "blank-name", "no-text", "category", "long", "twice", "many"],
)
def test_what_cannot_be_planned_is_refused_saying_why(raw, message):
    with pytest.raises(InputError, match=message):
        read_products(raw)
