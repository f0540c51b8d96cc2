"""The badge and listing queries read indexes, on SQLite and PostgreSQL alike (EXPLAIN)."""

import pytest

from app.curation import listing
from app.demo import bulk
from app.extensions import db
from app.orgs.models import IKM


@pytest.fixture
def catalogue(app):
    with app.app_context():
        bulk.generate(1500)
        db.session.commit()
        bulk.analyze()
        db.session.commit()
        yield


def plan(statement) -> str:
    connection = db.session.connection()
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "sqlite":
        return "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))


def assert_reads_submissions_by_index(text: str) -> None:
    if db.session.connection().dialect.name == "sqlite":
        assert "SCAN submissions" not in text, text
        assert "ix_submissions_" in text, text
    else:
        assert "Seq Scan on submissions" not in text, text
        assert "ix_submissions_" in text, text


def test_badges_of_a_page_of_products_read_submissions_by_product(catalogue):
    ids = listing.listed_ids_query().limit(24)
    text = plan(listing.badges_query(list(db.session.scalars(ids))))
    assert_reads_submissions_by_index(text)


def test_an_ikm_page_reads_its_own_submissions_only(catalogue):
    ikm_id = db.session.scalar(db.select(IKM.id).where(IKM.name.like("IKM %")).limit(1))
    text = plan(listing.listed_products_query(ikm_id=ikm_id))
    assert_reads_submissions_by_index(text)
