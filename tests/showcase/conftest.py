import pytest


@pytest.fixture(autouse=True)
def _categories(categories):
    """Every shop-window test has the taxonomy."""
