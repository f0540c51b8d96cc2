"""Route guards from named permission predicates: what a person may not see answers 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user


def found_or_404(model, ident: int, allowed: Callable[[object, object], bool] | None = None):
    """``model``'s row ``ident``, when it exists and ``allowed(current_user, row)`` holds (if
    given); otherwise 404: a row one may not see answers as a missing one does."""
    from app.extensions import db

    row = db.session.get(model, ident)
    if row is None or (allowed is not None and not allowed(current_user, row)):
        abort(404)
    return row


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
