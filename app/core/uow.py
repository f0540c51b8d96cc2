"""The unit of work of a view: run a service call, commit once, or roll back and say why.

Views call ``run(lambda: service(...), form=form, success=_("Saved."))`` in place of their own
try/rollback/commit blocks, so that every view treats domain errors the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from app.core.errors import DomainValidationError, Forbidden, InvalidTransition
from app.extensions import db


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def run(
    work: Callable[[], Any],
    form=None,
    success: str | Callable[[Any], str] | None = None,
) -> Outcome:
    """Run ``work`` as the request's one transaction.

    On a ``DomainValidationError``, ``InvalidTransition`` or ``Forbidden`` nothing is kept
    (rollback) and the user is told why: on the form field the error names (or the form) when
    ``form`` is given, else in a flash message per problem. Otherwise the transaction commits once and ``success`` (a message,
    or a function of what ``work`` returned) is flashed.

    :returns: an ``Outcome``, true when committed, with ``work``'s return value
    """
    from app.core.forms import apply_domain_error

    try:
        value = work()
    except (DomainValidationError, InvalidTransition, Forbidden) as error:
        db.session.rollback()
        if form is not None and isinstance(error, DomainValidationError):
            apply_domain_error(form, error)
        else:
            for problem in error.details.get("problems") or [error.message]:
                flash(problem, "error")
        return Outcome(False)
    db.session.commit()
    if success is not None:
        flash(success(value) if callable(success) else success, "success")
    return Outcome(True, value)
