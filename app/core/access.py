"""Route guards from named permission predicates: what a person may not see answers 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user


def requires(predicate: Callable[[object], bool]):
    """Let the view run only when ``predicate(current_user)`` holds; otherwise 404, so that
    the page's existence reveals nothing."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated or not predicate(current_user):
                abort(404)
            return view(*args, **kwargs)

        return guarded

    return decorate
