"""Language and time-zone selection, and the formatting filters templates use."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

LANGUAGE_COOKIE = "etalase_lang"


def user_or_none():
    """The logged-in user, or None; never fails, even with the database down."""
    if not has_request_context():
        return None
    try:
        user = current_user._get_current_object()
    except SQLAlchemyError:
        return None
    return user if user is not None and user.is_authenticated else None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI: emails choose their own locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = user_or_none()
    if user is not None and user.locale in languages:
        return user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):  # programs say what they want in the header
        return (
            request.accept_languages.best_match(languages)
            or current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    user = user_or_none()
    if user is not None and user.timezone:
        return user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def rupiah(amount: int | None) -> str:
    """Rupiah without decimals; digits grouped for the active locale (Rp1.250.000, Rp1,250,000)."""
    if amount is None:
        return "–"
    return f"Rp{format_decimal(amount, format='#,##0')}"


def register(app) -> None:
    from app.core.audit import action_label
    from app.core.units import unit_name

    app.jinja_env.filters.update(
        action=action_label,
        rupiah=rupiah,
        unit=unit_name,
        number=lambda value: format_decimal(value) if value is not None else "–",
        date=lambda value, fmt="medium": format_date(value, fmt) if value else "–",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "–",
    )
