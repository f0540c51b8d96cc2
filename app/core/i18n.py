"""Language and time-zone selection, and the formatting filters templates use."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import get_group_symbol, get_minus_sign_symbol, parse_pattern
from flask import current_app, has_request_context, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import (
    LazyString,
    format_date,
    format_time,
    get_locale,
    get_timezone,
)
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

LANGUAGE_COOKIE = "etalase_lang"

# Flask-Babel's LazyString says it is safe HTML (``__html__``), so Jinja would put a lazy
# message into a page unescaped, with whatever a user's text was interpolated into it (a form
# error naming the address typed, a domain error naming an organisation). Messages are text:
# without ``__html__`` they are escaped like every other string. (Flask-Babel 4.0; pinned.)
if "__html__" in vars(LazyString):
    del LazyString.__html__


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


@lru_cache(maxsize=16)
def _pattern(format: str):
    return parse_pattern(format)


def format_decimal(value, format: str = "#,##0.###") -> str:
    """Flask-Babel's ``format_decimal`` with the pattern parsed once, not on every number (a
    page of 24 cards formats some fifty)."""
    locale = get_locale()
    if type(value) is int and format in _WHOLE_NUMBER_FORMATS:  # no decimals to round
        digits = f"{abs(value):,}".replace(",", _group_symbol(str(locale)))
        return digits if value >= 0 else get_minus_sign_symbol(locale) + digits
    return _pattern(format).apply(value, locale)


_WHOLE_NUMBER_FORMATS = {"#,##0", "#,##0.###", "#,##0.#"}


@lru_cache(maxsize=16)
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


# One way to write a day and one to write a moment, in every locale: "1 Des 2026",
# "1 Des 2026 14.30 WIB" ("1 Dec 2026", "1 Dec 2026 2:30 PM WIB").
DATE_FORMAT = "d MMM y"


def day(value: date | datetime | None) -> str:
    """A date (a datetime: its day in the user's time zone), or "–"."""
    return format_date(value, DATE_FORMAT) if value else "–"


def moment(value: datetime | None) -> str:
    """A date and time in the user's time zone, with the zone's abbreviation."""
    if not value:
        return "–"
    return f"{format_date(value, DATE_FORMAT)} {format_time(value, 'short')} {zone_name(value)}"


def zone_name(value: datetime) -> str:
    """WIB, WITA, WIT in any language (as Indonesians write them); elsewhere GMT+1 and so on."""
    zone = get_timezone()
    indonesian = babel_format_datetime(value, "z", tzinfo=zone, locale="id")
    if indonesian.isalpha():
        return indonesian
    return babel_format_datetime(value, "O", tzinfo=zone, locale=get_locale())


def lazy_day(value: date | None) -> LazyString:
    """A date written when the text is, in the locale of the moment (notifications, emails)."""
    return LazyString(day, value)


def decimal(value: float | None) -> str:
    """A score or an average: at most one decimal, with the locale's mark (78,5; 78.5)."""
    return format_decimal(value, format="#,##0.#") if value is not None else "–"


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with a lazy message written as its text in the current language (flash
    messages in the session cookie, errors in the API)."""

    @staticmethod
    def default(o):
        if isinstance(o, LazyString):
            return str(o)
        return DefaultJSONProvider.default(o)


def register(app) -> None:
    from app.core.audit import action_label
    from app.core.units import unit_name

    app.json = JSONProvider(app)

    app.jinja_env.filters.update(
        action=action_label,
        rupiah=rupiah,
        unit=unit_name,
        number=lambda value: format_decimal(value) if value is not None else "–",
        decimal=decimal,
        date=day,
        datetime=moment,
    )
