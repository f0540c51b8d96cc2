"""HTTP caching: one rule for every answer, applied after each request.

Only an anonymous, cookie-free, flash-free 200 answer of a page marked ``public_page`` may be
kept by shared caches (a minute, with an ETag, one copy per language). Whatever sets a cookie,
shows a message, reads a visitor's session or is for a logged-in person is ``private, no-store``,
and so is every other dynamic answer. An answer whose view chose its own caching (images under
/media, static files, private documents) keeps it, unless it sets a cookie.
"""

from __future__ import annotations

from functools import wraps

from flask import current_app, g, request, session
from flask.globals import request_ctx

from app.core.i18n import user_or_none

PUBLIC_MAX_AGE = 60
PRIVATE = "private, no-store"


def public_page(view):
    """Mark a view whose answer is the same for every anonymous visitor (in one language)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.is_public_page = True
        return view(*args, **kwargs)

    return wrapper


def register(app) -> None:
    @app.after_request
    def set_cache_headers(response):
        return apply_rule(response)


def apply_rule(response):
    """Set ``Cache-Control`` (and for public answers ETag and Vary) on ``response``."""
    if _writes_cookie(response) or _shows_flash():
        return _private(response)
    if "Cache-Control" in response.headers:  # the view chose: /media, static files, documents
        return response
    if session or user_or_none() is not None:  # a visitor's own session, or logged in
        return _private(response)
    if (
        g.get("is_public_page")
        and response.status_code == 200
        and request.method in ("GET", "HEAD")
    ):
        return _public(response)
    return _private(response)


def _writes_cookie(response) -> bool:
    """A cookie in the answer, or a session Flask will write (or delete) after this hook."""
    if "Set-Cookie" in response.headers or session.modified:
        return True
    refreshes = current_app.config["SESSION_REFRESH_EACH_REQUEST"]
    return bool(session) and session.permanent and refreshes


def _shows_flash() -> bool:
    """Messages taken from the session for this answer (one waiting for a later page, while an
    image loads, does not count: that answer does not show it)."""
    return bool(getattr(request_ctx, "flashes", None))


def _private(response):
    response.headers["Cache-Control"] = PRIVATE
    response.headers.pop("ETag", None)
    response.headers.pop("Expires", None)
    return response


def _public(response):
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.vary.add("Cookie")  # the language cookie (a session makes the answer private)
    response.vary.add("Accept-Language")  # the language when no cookie chose one
    response.add_etag()
    return response.make_conditional(request)
