import pytest

from tests.factories import ListingFactory


@pytest.fixture(autouse=True)
def _categories(categories):
    """Every search test has the taxonomy."""


@pytest.fixture
def listing(app) -> ListingFactory:
    return ListingFactory(app)


def search(app, **params):
    from app.search import SearchParams
    from app.search import search as run

    with app.test_request_context():
        return run(SearchParams(**params))


def names(app, **params) -> list[str]:
    return [item.name for item in search(app, **params).items]
