"""Side effects that must wait for a commit: sending mail, updating the search index, removing
the bytes of deleted files.

Services call :func:`queue` inside their transaction, with what the effect needs to know (the
keys of the files to look at; nothing for mail and the index, which read their outbox tables).
When the session commits, the queued effects become pending; on rollback they are dropped.
The CLI runs the pending ones after its commit (:func:`run_pending`). A web request runs them
after its response has gone out: once the server has written the last chunk of the body (it
asks for the next one only then; Werkzeug's server, gunicorn's workers and the test client
alike), so a slow mail server never keeps the user waiting. Mail and the index work from durable rows (an
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


_ENVIRON_KEY = "etalase.effects_after_response"


def register(app) -> None:
    from flask import request

    from app.extensions import db

    def run_in_app_context(pending: Pending) -> None:
        if pending:
            with app.app_context():
                run(db.session(), pending)

    @app.after_request
    def run_effects_once_the_response_is_sent(response):
        request.environ[_ENVIRON_KEY] = {}
        return response

    @app.teardown_request
    def hand_over_committed_effects(error):
        # The last moment this request's session (and what it committed) is known. Committed
        # work runs even when the request failed afterwards: its rows are in the database.
        pending = take_pending(db.session())
        after_response = request.environ.get(_ENVIRON_KEY)
        if after_response is None:  # no response reached the after-request hooks
            run(db.session(), pending)
        else:
            _merge(after_response, pending)

    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        body = inner(environ, start_response)  # the request's teardown has run
        pending = environ.pop(_ENVIRON_KEY, None)
        if not pending:
            return body  # untouched, so that a server may still send a file its own way
        return _AfterBody(body, lambda: run_in_app_context(pending))

    app.wsgi_app = wsgi_app


class _AfterBody:
    """A response body that calls ``callback`` once the server has written all of it.

    The server asks for the next chunk only after writing the last one, so the end of the
    iteration is the moment the client has the whole response. ``close()`` is the fallback
    for a client that went away mid-body. Not ``close()`` alone: Werkzeug's development
    server calls it only after it has waited for the client to close its side of the
    connection, which a browser can put off until the tab goes (the confirmation mail of a
    registration then waited minutes).
    """

    def __init__(self, body, callback: Callable[[], None]):
        self._body = body
        self._callback = callback
        self._done = False

    def __iter__(self):
        yield from self._body
        self._finish()

    def close(self) -> None:
        try:
            if hasattr(self._body, "close"):
                self._body.close()
        finally:
            self._finish()

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self._callback()
