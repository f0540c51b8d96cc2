import pytest

from tests.factories import CatalogFactory


@pytest.fixture(autouse=True)
def categories(app):
    """The product taxonomy, as the first catalogue migration seeds it."""
    from app.catalog.taxonomy import sync_categories
    from app.extensions import db

    with app.app_context():
        sync_categories()
        db.session.commit()


@pytest.fixture
def catalog(app) -> CatalogFactory:
    return CatalogFactory(app)
