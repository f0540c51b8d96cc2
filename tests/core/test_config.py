import pytest

from app import create_app
from app.config import ConfigError
from tests.conftest import make_config


def production(database_url, tmp_path, **overrides):
    config = make_config(
        database_url,
        tmp_path,
        ENV="production",
        TESTING=False,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
    )
    del config["PASSWORD_HASH_METHOD"]
    config.update(overrides)
    return config


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-and-guessable"}, "SECRET_KEY"),
        ({"DEBUG": True}, "DEBUG"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
        ({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}, "PASSWORD_HASH_METHOD"),
        ({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}, "PASSWORD_HASH_METHOD"),
    ],
)
def test_production_refuses_a_weak_setup(database_url, tmp_path, overrides, problem):
    with pytest.raises(ConfigError, match=problem):
        create_app(production(database_url, tmp_path, **overrides))


def test_production_sets_secure_cookies_and_hsts(database_url, tmp_path):
    app = create_app(production(database_url, tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/akun/masuk")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_environment_variables_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("ETALASE_MAIL_BACKEND", "memory")
    monkeypatch.setenv("ETALASE_INVITATION_TTL_DAYS", "3")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = create_app()
    assert app.config["MAIL_BACKEND"] == "memory"
    assert app.config["INVITATION_TTL_DAYS"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["SECRET_KEY"] == "s" * 40


def test_postgres_urls_use_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/etalase")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/etalase"
