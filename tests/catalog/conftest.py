import pytest


@pytest.fixture(autouse=True)
def _categories(categories):
    """Every catalogue test has the taxonomy."""
