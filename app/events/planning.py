"""What the scheduler needs to know about an event, read from the database in a few queries.

:func:`problem_data` returns the fields of ``app.events.scheduler.Problem`` (the solver, built
separately) under the same names, its meetings as ``PlannedMeeting`` with the fields of the
solver's ``Meeting``: wiring the solver is a field-for-field copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantKind,
    RequestState,
)
from app.events.slots import event_slots
from app.extensions import db


@dataclass(frozen=True)
class PlannedMeeting:
    """An accepted request: who sits at the table, its priority (3 high), and where it is
    already fixed (pinned by the office or published), if anywhere."""

    id: int
    participants: frozenset[int]
    priority: int
    pinned: tuple[int, int] | None


@dataclass(frozen=True)
class ProblemData:
    slots: int
    tables: int
    meetings: list[PlannedMeeting]
    available: dict[int, frozenset[int]]
    limits: dict[int, int]
    ikms: frozenset[int]


def problem_data(event: Event) -> ProblemData:
    """The accepted meetings of ``event`` with everyone's availability and limits."""
    participants = db.session.scalars(
        db.select(Participant).filter_by(event_id=event.id).order_by(Participant.id)
    ).all()
    accepted = db.session.scalars(
        db.select(MeetingRequest)
        .filter_by(event_id=event.id, state=RequestState.ACCEPTED)
        .order_by(MeetingRequest.id)
    ).all()
    fixed = {
        m.request_id: (m.slot, m.table_number)
        for m in db.session.scalars(db.select(Meeting).filter_by(event_id=event.id))
        if m.is_pinned or m.is_published
    }
    return ProblemData(
        slots=len(event_slots(event)),
        tables=event.tables,
        meetings=[
            PlannedMeeting(r.id, r.participant_ids, r.priority, fixed.get(r.id)) for r in accepted
        ],
        available={p.id: frozenset(p.available_slots) for p in participants},
        limits={p.id: p.max_meetings for p in participants},
        ikms=frozenset(p.id for p in participants if p.kind == ParticipantKind.IKM),
    )
