"""Side effects that must wait for a commit: sending mail, updating the search index, removing
the bytes of deleted files.

Services call :func:`queue` inside their transaction, with what the effect needs to know (the
keys of the files to look at; nothing for mail and the index, which read their outbox tables).
When the session commits, the queued effects become pending; on rollback they are dropped.
The CLI runs the pending ones after its commit (:func:`run_pending`). A web request runs them
after its response has gone out: the server calls the response's ``close()`` once the client
has the whole body (Werkzeug's server, gunicorn's workers and the test client alike), so a
slow mail server never keeps the user waiting. Mail and the index work from durable rows (an
email outbox, an index job table), so an effect lost to a crash or a killed worker is picked
up by the next run (``flask mail send`` and ``flask search drain`` from cron; ``flask storage
gc`` for files).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("etalase")

Pending = dict[str, set]  # kind -> what was queued for it
_RUNNERS: dict[str, Callable[[set], object]] = {}


def register_runner(kind: str, runner: Callable[[set], object]) -> None:
    """``runner`` gets the union of what the committed transactions queued for ``kind``."""
    _RUNNERS[kind] = runner


def queue(session: Session, kind: str, items: Iterable[Hashable] = ()) -> None:
    session.info.setdefault("effects_queued", {}).setdefault(kind, set()).update(items)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    queued: Pending = session.info.pop("effects_queued", {})
    _merge(session.info.setdefault("effects_pending", {}), queued)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    session.info.pop("effects_queued", None)


def _merge(into: Pending, more: Pending) -> None:
    for kind, items in more.items():
        into.setdefault(kind, set()).update(items)


def take_pending(session: Session) -> Pending:
    """The effects whose transaction committed, now the caller's to run."""
    return session.info.pop("effects_pending", {})


def run(session: Session, pending: Pending) -> None:
    """Run these effects. Failures are logged, never raised."""
    for kind in sorted(pending):
        try:
            _RUNNERS[kind](pending[kind])
        except Exception:
            log.exception("side effect %s failed; its rows stay queued for the next run", kind)
            session.rollback()


def run_pending(session: Session) -> None:
    """Run the effects whose transaction committed (the CLI, after its commit)."""
    run(session, take_pending(session))


def register(app) -> None:
    from flask import g

    from app.extensions import db

    def run_in_app_context(pending: Pending) -> None:
        if pending:
            with app.app_context():
                run(db.session(), pending)

    @app.after_request
    def run_effects_once_the_response_is_sent(response):
        after_response: Pending = {}
        g.effects_after_response = after_response
        response.call_on_close(lambda: run_in_app_context(after_response))
        return response

    @app.teardown_request
    def hand_over_committed_effects(error):
        # The last moment this request's session (and what it committed) is known. Committed
        # work runs even when the request failed afterwards: its rows are in the database.
        pending = take_pending(db.session())
        after_response = g.pop("effects_after_response", None)
        if after_response is None:  # no response reached the after-request hooks
            run(db.session(), pending)
        else:
            _merge(after_response, pending)
