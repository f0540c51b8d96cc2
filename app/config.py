"""Configuration: defaults in code, deployment values from the environment.

Every setting can be overridden by an environment variable prefixed with ``ETALASE_``
(``ETALASE_MAIL_BACKEND=smtp``); values are parsed as JSON where possible, so numbers and
booleans work. ``DATABASE_URL`` and ``SECRET_KEY`` are also read without the prefix, as most
hosting platforms set them that way. Tests pass a mapping to ``create_app`` instead.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

MIN_SECRET_KEY_LENGTH = 32
MIN_SCRYPT_N = 2**16


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


DEFAULTS: dict[str, object] = {
    "ENV": "development",
    "SQLALCHEMY_DATABASE_URI": None,  # filled in from instance_path when not given
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    # Sessions and cookies (SECURITY.md "Accounts and sessions").
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_NAME": "etalase_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_NAME": "etalase_remember",
    "PASSWORD_HASH_METHOD": f"scrypt:{MIN_SCRYPT_N}:8:1",
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead of a clock
    # Languages and time.
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ["id", "en"],
    # Rate limits: memory in development, Redis (shared by all workers) in production.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_ENABLED": True,
    "LOGIN_LIMITS": "5 per minute; 20 per hour",  # failed logins per account
    "LOGIN_ADDRESS_LIMITS": "30 per minute; 300 per hour",  # per address: offices share one
    "RESET_LIMITS": "3 per 15 minutes; 10 per day",
    "REGISTER_LIMITS": "10 per hour; 50 per day",
    # Tokens.
    "EMAIL_TOKEN_MAX_AGE": int(timedelta(days=2).total_seconds()),
    "RESET_TOKEN_MAX_AGE": int(timedelta(hours=1).total_seconds()),
    "INVITATION_TTL_DAYS": 7,
    # Mail: "file" writes to instance/mail and the log; "smtp" sends; "memory" keeps (tests).
    "MAIL_BACKEND": "file",
    "MAIL_DEFAULT_SENDER": "Etalase <no-reply@etalase.local>",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_TIMEOUT": 10,
    "MAIL_MAX_ATTEMPTS": 8,
    "SITE_URL": "http://127.0.0.1:5000",
    # Files.
    "STORAGE_DIR": None,  # default: instance/storage
    "EVENTS_SCHEDULE_SECONDS": 10.0,  # the scheduler's time limit (deterministic seconds)
    "STORAGE_QUOTA_BYTES": 200 * 1024 * 1024,  # per organisation
    "IMAGE_MAX_PIXELS": 40_000_000,
    "IMAGE_MAX_SIDE": 12_000,
    "IMAGE_MAX_BYTES": 12 * 1024 * 1024,
    "DOCUMENT_MAX_BYTES": 8 * 1024 * 1024,
    # Seconds a PDF's check may take in its child process (app/catalog/pdf_check.py).
    "PDF_CHECK_TIMEOUT": 15,
    "PHOTOS_PER_PRODUCT": 8,
    "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
    # Anonymous public pages kept in each worker for their max-age (app/core/page_cache.py);
    # how many answers at most (0 to keep none), and how many bytes of them.
    "PAGE_CACHE_ENTRIES": 2000,
    "PAGE_CACHE_MAX_BYTES": 16 * 1024 * 1024,
    # Product cards each worker keeps rendered (app/showcase/cards.py); 0 keeps none.
    "CARD_CACHE_ENTRIES": 10_000,
    # Programme figures: computed at most once a minute per filter and language, per worker.
    "FIGURES_CACHE_SECONDS": 60,
}


def load_config(app, overrides: dict | None) -> None:
    """Fill ``app.config``: defaults, then the environment, then ``overrides`` (tests)."""
    app.config.from_mapping(DEFAULTS)
    if overrides is None:
        app.config.from_prefixed_env("ETALASE")
        for plain, key in (
            ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
            ("SECRET_KEY", "SECRET_KEY"),
        ):
            if os.environ.get(plain):
                app.config[key] = os.environ[plain]
    else:
        app.config.from_mapping(overrides)
    _fill_paths(app)
    if app.config["ENV"] == "production":
        check_production(app.config)
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _fill_paths(app) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = app.config
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'etalase.db'}"
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgres://"):  # Heroku-style URLs
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    config.setdefault("STORAGE_DIR", None)
    config["STORAGE_DIR"] = config["STORAGE_DIR"] or str(instance / "storage")
    config.setdefault("MAIL_DIR", str(instance / "mail"))
    config.setdefault("SEARCH_INDEX_DIR", str(instance / "search-index"))


def _development_secret(instance: Path) -> str:
    """A random key kept in instance/ so that sessions survive restarts in development."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def check_production(config) -> None:
    """Refuse a weak production setup (SECURITY.md "Configuration and errors")."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} characters")
    if config.get("DEBUG"):
        problems.append("DEBUG must be off")
    if config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI must point to a shared store such as redis://")
    method = config.get("PASSWORD_HASH_METHOD", "")
    if _scrypt_cost(method) < MIN_SCRYPT_N:
        problems.append(f"PASSWORD_HASH_METHOD must be scrypt with N >= {MIN_SCRYPT_N}")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
    config["SESSION_COOKIE_SECURE"] = True
    config["REMEMBER_COOKIE_SECURE"] = True
    config["PREFERRED_URL_SCHEME"] = "https"


def _scrypt_cost(method: str) -> int:
    parts = method.split(":")
    if parts[0] != "scrypt" or len(parts) < 2 or not parts[1].isdigit():
        return 0
    return int(parts[1])
