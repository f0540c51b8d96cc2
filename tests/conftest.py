"""Fixtures: ``app``, ``client``, ``runner``, ``make`` (factories), ``bulk`` (many rows at
once), ``outbox``, ``frozen_clock``, ``sql_statements`` (what a request asks the database).

The suite runs on SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` is set; under xdist
each worker has a database of its own. The schema is created once per session; each test gets
a fresh app (on the session's one engine) and an emptied database. CSRF stays on: the test
client adds a valid token to every POST unless told ``csrf=False``. Every date is counted
from ``app.core.clock``, which ``ETALASE_CLOCK_OFFSET_DAYS`` moves.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from tests.factories import Factory

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
SECRET = "test-secret-key-that-is-long-enough-for-production-checks"


def make_config(database_url: str, tmp_path, **overrides) -> dict:
    config = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "memory",
        # Cheap hashing keeps the suite fast; the production cost is checked in test_passwords.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "STORAGE_DIR": str(tmp_path / "storage"),
        "MAIL_DIR": str(tmp_path / "mail"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Limits are off except in the tests about them (tests/auth/test_rate_limits.py).
        "RATELIMIT_ENABLED": False,
        "SITE_URL": "http://localhost",
        # Tests change data and read the page again at once; tests/core/test_page_cache.py
        # turns the cache on.
        "PAGE_CACHE_ENTRIES": 0,
        # The same for the programme figures (tests/admin/test_figures.py turns it on).
        "FIGURES_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


class Client(FlaskClient):
    """A test client that sends a valid CSRF token with each POST, like a real form, and reads
    each response whole and closes it, like a server: the request's side effects (mail, the
    search index) run then. ``buffered=False`` leaves the closing to the test."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)

    def csrf_token(self) -> str:
        from flask_wtf.csrf import generate_csrf  # noqa: F401 - documents where the format comes from

        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        serializer = URLSafeTimedSerializer(
            self.application.config["SECRET_KEY"], salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in the session's temporary folder (one per xdist worker), or TEST_DATABASE_URL.

    Under xdist each worker has a PostgreSQL database of its own beside TEST_DATABASE_URL's
    (``<name>_gw0``, ``<name>_gw1``), created here and dropped at the end.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'etalase-test.db'}"
    elif worker and TEST_DATABASE_URL.startswith("postgresql"):
        with worker_database(TEST_DATABASE_URL, worker) as url:
            yield url
    else:
        yield TEST_DATABASE_URL


@contextmanager
def worker_database(url: str, worker: str):
    """A fresh database ``<name>_<worker>`` on the server of ``url``, dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = make_url(url)
    name = f"{server.database}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with admin.connect() as connection:
        connection.execute(drop)  # left over from an interrupted run
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


@pytest.fixture(scope="session")
def _one_engine(database_url):
    """One engine for the session's database, shared by the app each test builds.

    SQLAlchemy caches compiled SQL per engine: with an engine per app, every test compiled
    every query again, which was about 40% of the suite's time.
    """
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.engine import make_url

    session_url = make_url(database_url)
    engines: dict[str, object] = {}
    make_engine = SQLAlchemy._make_engine

    def shared_engine(self, bind_key, options, app):
        if bind_key is not None or make_url(options["url"]) != session_url:
            return make_engine(self, bind_key, options, app)
        key = repr(sorted(options.items()))  # other engine options, another engine
        if key not in engines:
            engines[key] = make_engine(self, bind_key, options, app)
        return engines[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLAlchemy, "_make_engine", shared_engine)
        yield
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _url_rules_compiled_once():
    """Werkzeug compiles two Python functions for every URL rule of every new app (80% of
    ``create_app``, which each test calls). A function depends only on its rule, which it
    takes as an argument, so the session's apps share them."""
    from werkzeug.routing import Rule

    if not hasattr(Rule, "_compile_builder"):  # another Werkzeug: build them every time
        yield
        return
    compile_builder = Rule._compile_builder
    builders: dict[tuple, object] = {}

    def shared_builder(self, append_unknown=True):
        key = (
            self.rule,
            self.subdomain,
            self.host,
            self.merge_slashes,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
        )
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", shared_builder)
        yield


@pytest.fixture(scope="session")
def _schema(_one_engine, database_url, tmp_path_factory):
    app = create_app(make_config(database_url, tmp_path_factory.mktemp("schema")))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def wipe_database() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """The configuration the ``app`` fixture uses; override entries in a test module."""
    return make_config(database_url, tmp_path)


@pytest.fixture
def app(_schema, app_config, request):
    if "frozen_clock" in request.fixturenames:
        # Stop the clock before anything is made: what the other fixtures make (a queued
        # email, a round opening today) is dated by the stopped clock, whatever the hour.
        request.getfixturevalue("frozen_clock")
    app = create_app(app_config)
    app.test_client_class = Client
    yield app
    with app.app_context():
        db.session.remove()
        wipe_database()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


@pytest.fixture
def bulk(app):
    from tests.factories import BulkFactory

    return BulkFactory(app)


@pytest.fixture
def sql_statements(app):
    """``sql_statements(client.get, url)``: the response and the SQL statements it ran.

    Counted on the app's engine (``before_cursor_execute``), so everything the request asks
    the database counts: the view, the templates' lazy loads, the login and navigation.
    """

    def run(call, *args, **kwargs):
        seen: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            response = call(*args, **kwargs)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return response, seen

    return run


def assert_statements_do_not_grow(few: list[str], many: list[str]) -> None:
    """A list page asks the database as often for many rows as for a few: no query per row."""
    if len(many) > len(few):
        repeated = Counter(many) - Counter(few)
        worst, times = repeated.most_common(1)[0]
        raise AssertionError(
            f"{len(few)} statements for a few rows, {len(many)} for many; "
            f"repeated {times} more times: {worst[:300]}"
        )


def assert_list_page_is_flat(client, sql_statements, url: str, add, few: int = 3, many: int = 30):
    """Request ``url`` with ``few`` rows and again with ``many`` (``add(n)`` adds n rows) and
    check that the second asks the database no more often. Returns the second response."""
    add(few)
    assert client.get(url).status_code == 200  # warm: first-request work is not per row
    _, first = sql_statements(client.get, url)
    add(many - few)
    response, second = sql_statements(client.get, url)
    assert response.status_code == 200
    print(f"{url}: {len(first)} statements with {few} rows, {len(second)} with {many}")
    assert_statements_do_not_grow(first, second)
    return response


def assert_pages_are_safe(client, url: str, arg: str = "page") -> None:
    """Page numbers that are out of range or not numbers give a page, never an error."""
    separator = "&" if "?" in url else "?"
    for value in ("0", "-1", "abc", "1.5", "999999", "10" * 30, "%00", "", "2&page=x"):
        response = client.get(f"{url}{separator}{arg}={value}")
        assert response.status_code == 200, (value, response.status_code)


@pytest.fixture
def outbox(app) -> list:
    """Emails delivered so far (``email.message.EmailMessage``)."""
    return app.extensions.setdefault("mail_outbox", [])


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the app's clock at 10:00 in Jakarta today (moved by ``ETALASE_CLOCK_OFFSET_DAYS``).

    Move it with ``frozen_clock.set(frozen_clock.current + timedelta(...))``. Never a fixed
    date: the objects other fixtures made were dated by the same (moved) clock. The ``app``
    fixture stops it first, so that nothing a test sees was dated by the running clock (an
    email queued at 02:00 would otherwise fall due when the clock jumps to 10:00).
    """
    from app.core import clock

    start = datetime.combine(clock.today(), time(10), ZoneInfo("Asia/Jakarta")).astimezone(UTC)

    class Frozen:
        current = start

        def set(self, moment: datetime) -> None:
            self.current = moment

        def now(self) -> datetime:
            return self.current

    frozen = Frozen()
    monkeypatch.setattr(clock, "now", frozen.now)
    return frozen


def login(client: Client, user, password: str | None = None, follow: bool = False):
    from tests.factories import PASSWORD

    return client.post(
        "/akun/masuk",
        data={"email": user.email, "password": password or PASSWORD},
        follow_redirects=follow,
    )


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed (for readable assertions)."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# One user of each role, for tests that only need "someone who is ...".
@pytest.fixture
def admin(make):
    return make.admin()


@pytest.fixture
def ikm_owner(make):
    owner, _ = make.ikm_owner()
    return owner


@pytest.fixture
def partner_admin(make):
    user, _ = make.partner_with("partner_admin")
    return user


@pytest.fixture
def curator(make):
    user, _ = make.partner_with("curator")
    return user


@pytest.fixture
def buyer(make):
    _, user = make.buyer()
    return user


@pytest.fixture
def categories(app):
    """The product taxonomy, as the first catalogue migration seeds it."""
    from app.catalog.taxonomy import sync_categories

    with app.app_context():
        sync_categories()
        db.session.commit()


@pytest.fixture
def catalog(app):
    from tests.factories import CatalogFactory

    return CatalogFactory(app)


@pytest.fixture
def curation(app):
    from tests.factories import CurationFactory

    return CurationFactory(app)
