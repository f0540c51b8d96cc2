"""Side effects that must wait for a commit: sending mail, updating the search index.

Services call :func:`queue` inside their transaction. When the session commits, the queued
kinds become pending; on rollback they are dropped. The web request's teardown and the CLI
run the pending ones after their commit (:func:`run_pending`). The work itself reads its
durable rows (an email outbox, an index job table), so an effect lost to a crash is picked up
by the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("etalase")

_RUNNERS: dict[str, Callable[[], object]] = {}


def register_runner(kind: str, runner: Callable[[], object]) -> None:
    _RUNNERS[kind] = runner


def queue(session: Session, kind: str) -> None:
    session.info.setdefault("effects_queued", set()).add(kind)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    queued = session.info.pop("effects_queued", set())
    session.info.setdefault("effects_pending", set()).update(queued)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    session.info.pop("effects_queued", None)


def run_pending(session: Session) -> None:
    """Run the effects whose transaction committed. Failures are logged, never raised."""
    pending = session.info.pop("effects_pending", set())
    for kind in sorted(pending):
        try:
            _RUNNERS[kind]()
        except Exception:
            log.exception("side effect %s failed; its rows stay queued for the next run", kind)
            session.rollback()


def register(app) -> None:
    from app.extensions import db

    @app.teardown_request
    def run_effects_after_request(error):
        if error is None:
            run_pending(db.session())
