"""Etalase: a curation and marketplace catalogue for Indonesia's small and medium industries."""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import load_config
from app.extensions import babel, csrf, db, limiter, login, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config`` replaces the environment (tests pass a mapping)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    load_config(app, config)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.logger.handlers or app.config["ENV"] == "production":
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )


def register_extensions(app: Flask) -> None:
    from PIL import Image

    from app import (
        models,  # noqa: F401 - the whole schema, for Alembic
        search,
        storage,
    )
    from app.core import effects, i18n, mail
    from app.core.db import configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, render_as_batch=True)
    login.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    i18n.register(app)
    mail.register(app)
    storage.register(app)
    effects.register(app)
    search.register(app)
    Image.MAX_IMAGE_PIXELS = app.config["IMAGE_MAX_PIXELS"]
    if app.config.get("TRUSTED_PROXIES"):
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    from app import admin, api, auth, catalog, core, curation, events, matching, orgs, showcase
    from app.admin import homes
    from app.core.urls import IdConverter

    app.url_map.converters["int"] = IdConverter
    for part in (
        core,
        auth,
        orgs,
        catalog,
        curation,
        showcase,
        matching,
        events,
        homes,
        admin,
        api,
    ):
        app.register_blueprint(part.bp)
    from app.admin.views_figures import partner_bp

    app.register_blueprint(partner_bp)
    from app.auth.session import register as register_session
    from app.showcase import cards

    register_session(app)
    cards.register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.core import errors

    errors.register(app)


def register_request_hooks(app: Flask) -> None:
    from app.admin import navigation
    from app.core import caching, page_cache, security, uploads

    page_cache.register(app)  # first: its after-request hook runs last, once headers are set
    security.register(app)
    caching.register(app)
    uploads.register(app)
    navigation.register(app)


def register_cli(app: Flask) -> None:
    from app import cli

    cli.register(app)
