"""Links that work in a request and from the CLI alike; absolute ones use SITE_URL."""

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the largest value of an INTEGER column in PostgreSQL


class IdConverter(IntegerConverter):
    """``<int:...>`` that only matches numbers an id column can hold: /produk/99999999999999999999
    is a 404 like any other unknown id, not a database overflow error."""

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(text: str | None) -> int | None:
    """An id sent as text (a hidden field, a query string), or None unless it is ASCII digits
    within what an id column holds ("²".isdigit() is true, and int("²") fails)."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        return url_for(endpoint, **values)


def absolute(path: str) -> str:
    """For emails: never built from the request's Host header."""
    return current_app.config["SITE_URL"].rstrip("/") + path


def external(endpoint: str, **values) -> str:
    return absolute(path_for(endpoint, **values))
