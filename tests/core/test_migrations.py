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
