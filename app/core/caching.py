"""HTTP caching of public pages: anonymous visitors get a short public cache and an ETag."""

from __future__ import annotations

from functools import wraps

from flask import make_response, request
from flask_login import current_user

PUBLIC_MAX_AGE = 60


def public_page(view):
    """Anonymous visitors get a short public cache and an ETag; logged-in people get none."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        elif response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
            response.vary.add("Cookie")  # the language cookie, and a session turns caching off
            response.vary.add("Accept-Language")  # the language when no cookie chose one
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapper
