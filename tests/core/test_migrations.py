"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.catalog import taxonomy
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_config

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


def assert_migrations_match_models(url: str, tmp_path) -> None:
    app = create_app(make_config(url, tmp_path))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            seeded = (
                connection.execute(text("SELECT slug FROM categories ORDER BY slug"))
                .scalars()
                .all()
            )
        assert seeded == sorted(slug for slug, *_ in taxonomy.rows())
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    assert_migrations_match_models(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)


@pytest.mark.skipif(
    not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="TEST_DATABASE_URL is not a PostgreSQL database",
)
def test_migrations_match_models_on_postgresql(tmp_path):
    server = make_url(TEST_DATABASE_URL)
    name = f"etalase_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        assert_migrations_match_models(
            server.set(database=name).render_as_string(hide_password=False), tmp_path
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_review_scores_migration_copies_submitted_reviews_scores(tmp_path):
    """Reviews submitted before review_scores existed are counted by the figures too."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'scores.db'}", tmp_path))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="f2b7c9d4e518")
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys = OFF"))  # no rounds behind them
            for cid in (11, 12):
                connection.execute(
                    text(
                        "INSERT INTO rubric_criteria (id, rubric_id, name, guidance, weight,"
                        " scale_max, counts, position) VALUES (:id, 1, 'K', '', 1, 5, 1, 0)"
                    ),
                    {"id": cid},
                )
            for rid, scores, at in (
                (1, '{"11": 2, "12": 5}', "2026-11-02 03:00:00.000000"),
                (2, '{"11": 4}', None),  # a draft
                (3, '{"11": 1, "99": 3}', "2026-11-03 03:00:00.000000"),  # 99: gone
            ):
                connection.execute(
                    text(
                        "INSERT INTO reviews (id, assignment_id, scores, comment, private_note,"
                        " submitted_at, created_at, updated_at) VALUES (:id, :id, :scores, '',"
                        " '', :at, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
                    ),
                    {"id": rid, "scores": scores, "at": at},
                )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT review_id, criterion_id, score FROM review_scores ORDER BY 1, 2")
            ).all()
        assert [tuple(r) for r in rows] == [(1, 11, 2), (1, 12, 5), (3, 11, 1)]
        db.engine.dispose()
