import pytest

from app import create_app
from tests.conftest import make_config, page_text

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/etalase?connect_timeout=1"


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.fixture
def app_without_database(tmp_path):
    return create_app(make_config(UNREACHABLE, tmp_path, TESTING=False))


def test_healthz_says_when_the_database_is_down(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"
    assert response.headers["Retry-After"]


def test_pages_answer_503_with_retry_after_when_the_database_is_down(app_without_database):
    response = app_without_database.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "tidak tersedia" in page_text(response)


def test_the_app_recovers_without_a_restart(tmp_path):
    """SQLite file missing (a volume not mounted yet): 503, then fine once it is there."""
    folder = tmp_path / "not-mounted-yet"
    app = create_app(make_config(f"sqlite:///{folder / 'etalase.db'}", tmp_path, TESTING=False))
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/").status_code == 503
    folder.mkdir()
    from app.extensions import db

    with app.app_context():
        db.create_all()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
