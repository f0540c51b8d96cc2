"""``flask seed-demo --products N``: a large catalogue whose every product is listed and found."""

import pytest
from sqlalchemy import func

from app.catalog.models import Photo, Product
from app.curation import listing
from app.extensions import db
from app.orgs.models import IKM
from app.storage import StoredFile


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch, categories):
    """The hand-made demo (people, 60 products) is tested elsewhere; here only the generator."""
    monkeypatch.setattr("app.demo.seed", lambda: {})


def test_the_generated_catalogue_is_listed_spread_and_searchable(app, runner):
    result = runner.invoke(args=["seed-demo", "--products", "300"])
    assert result.exit_code == 0, result.output
    assert "300 products" in result.output
    with app.app_context():
        generated = db.session.scalars(
            db.select(Product.id).join(IKM).where(IKM.name.like("IKM %"))
        ).all()
        assert len(generated) == 300
        assert set(generated) <= listing.listed_ids()
        per_ikm = (
            db.session.execute(
                db.select(func.count())
                .select_from(Product)
                .join(IKM)
                .where(IKM.name.like("IKM %"))
                .group_by(IKM.id)
            )
            .scalars()
            .all()
        )
        assert len(per_ikm) >= 10 and max(per_ikm) < 100
        assert db.session.scalar(db.select(func.count(Photo.id.distinct()))) >= 300
        shared = db.session.scalar(db.select(func.count(StoredFile.key.distinct())))
        assert shared < 40  # a few drawn photos shared, not one file per product
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    client = app.test_client()
    page = client.get("/katalog?q=sepatu").get_data(as_text=True)
    assert "Sepatu" in page and "IKM " in page


def test_running_it_again_keeps_the_catalogue(app, runner):
    assert runner.invoke(args=["seed-demo", "--products", "50"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "--products", "50"])
    assert "already there; kept" in again.output
    with app.app_context():
        count = db.session.scalar(
            db.select(func.count()).select_from(Product).join(IKM).where(IKM.name.like("IKM %"))
        )
    assert count == 50


def test_a_size_that_is_not_a_positive_number_is_refused(runner):
    result = runner.invoke(args=["seed-demo", "--products", "0"])
    assert result.exit_code != 0 and "0" in result.output
    result = runner.invoke(args=["seed-demo", "--products", "many"])
    assert result.exit_code != 0 and "many" in result.output
