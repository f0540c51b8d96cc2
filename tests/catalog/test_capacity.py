"""Which capacity figure counts, in which unit (app/catalog/capacity.py)."""

from types import SimpleNamespace

from app.catalog import capacity


def product(amount, unit):
    return SimpleNamespace(capacity_monthly=amount, unit=unit)


def ikm(amount, unit):
    return SimpleNamespace(capacity_monthly=amount, capacity_unit=unit)


def test_a_product_figure_converts_to_the_unit_asked_for():
    assert capacity.product_capacity(product(30, "kodi"), "pasang") == 600
    assert capacity.product_capacity(product(600, "pasang"), "kodi") == 30
    assert capacity.product_capacity(product(25, "pcs"), "lusin") == 2  # whole dozens only
    assert capacity.product_capacity(product(3, "gros"), "pcs") == 432


def test_a_figure_that_does_not_convert_is_unknown_not_zero():
    assert capacity.product_capacity(product(500, "kg"), "pcs") is None
    assert capacity.product_capacity(product(None, "pcs"), "pcs") is None
    assert capacity.ikm_capacity(ikm(100, None), "pcs") is None


def test_an_ikm_makes_at_most_its_own_figure_across_its_products():
    shoes = [product(600, "pasang"), product(30, "kodi")]  # 600 + 600 pairs
    assert capacity.monthly_capacity(ikm(1000, "pasang"), shoes, "pasang") == 1000
    assert capacity.monthly_capacity(ikm(5000, "pasang"), shoes, "pasang") == 1200
    assert capacity.monthly_capacity(ikm(None, None), shoes, "pasang") == 1200
    assert capacity.monthly_capacity(ikm(800, "pasang"), [], "pasang") == 800
    assert capacity.monthly_capacity(ikm(800, "kg"), [product(5, "liter")], "pasang") is None
