import pytest

from tests.factories import CatalogFactory


@pytest.fixture(autouse=True)
def _categories(categories):
    """Every catalogue test has the taxonomy."""


@pytest.fixture
def catalog(app) -> CatalogFactory:
    return CatalogFactory(app)
