"""The office's changes to a schedule by hand, before and after it is published.

Before publication the office moves a meeting or places one the solver left out, and nobody is
told until the schedule is published. After publication, the published meetings stay where they
are in every run; a moved published meeting, or one placed by hand, is in the agendas at once
and its participants are told. Meetings a run adds after publication wait until the office
publishes the changes (:func:`publish_changes`); then their participants are told. Every change
is checked with ``scheduler.validate`` first: nothing is saved when a rule breaks.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.urls import path_for
from app.events import scheduler, workflow
from app.events.meetings import tell_participant
from app.events.models import Event, EventState, Meeting, MeetingRequest, Participant, RequestState
from app.events.planning import problem_data
from app.events.schedule import (
    _ensure_office,
    _ensure_scheduling,
    current_places,
    problem_message,
    to_problem,
)
from app.events.slots import event_slots
from app.extensions import db


def _check(event: Event, request: MeetingRequest, slot: int, table: int) -> None:
    if request.state != RequestState.ACCEPTED:
        raise DomainValidationError(_l("This meeting request is no longer accepted."))
    places = current_places(event)
    places[request.id] = (slot, table)
    try:
        scheduler.validate(to_problem(problem_data(event), places))
    except scheduler.ProblemError as error:
        raise DomainValidationError(problem_message(error.reason)) from None


def move(meeting: Meeting, slot: int, table: int, by) -> Meeting:
    """Put ``meeting`` at ``slot`` and ``table`` (both from 0) and pin it there; when it was
    published, its participants are told at once.

    :raises DomainValidationError: when a rule of the schedule would break (the table is taken,
        a participant is busy or cannot attend, the slot or table does not exist)
    """
    _ensure_office(by)
    event = db.session.get(Event, meeting.event_id)
    _ensure_scheduling(event)
    _check(event, meeting.request, slot, table)
    before = (meeting.slot, meeting.table_number)
    meeting.slot, meeting.table_number, meeting.is_pinned = slot, table, True
    db.session.flush()
    entry = audit.record(
        "meeting.moved", event, actor=by, meeting_id=meeting.id, before=before, after=[slot, table]
    )
    if meeting.is_published and before != (slot, table):
        _tell_changed(event, [meeting], f"moved:{_flushed(entry).id}")
    return meeting


def place(request: MeetingRequest, slot: int, table: int, by) -> Meeting:
    """Place an accepted request the solver left out at ``slot`` and ``table`` by hand, pinned.
    After publication it is published at once and its participants are told.

    :raises DomainValidationError: when the request already has a place, is no longer accepted,
        or a rule of the schedule would break
    """
    _ensure_office(by)
    event = db.session.get(Event, request.event_id)
    _ensure_scheduling(event)
    if db.session.scalar(db.select(Meeting.id).filter_by(request_id=request.id)) is not None:
        raise DomainValidationError(_l("This meeting already has a place in the schedule."))
    _check(event, request, slot, table)
    published = event.state == EventState.PUBLISHED
    meeting = Meeting(
        event_id=event.id,
        request_id=request.id,
        slot=slot,
        table_number=table,
        is_pinned=True,
        is_published=published,
    )
    db.session.add(meeting)
    db.session.flush()
    entry = audit.record(
        "meeting.placed",
        event,
        actor=by,
        meeting_id=meeting.id,
        request_id=request.id,
        place=[slot, table],
    )
    if published:
        _tell_changed(event, [meeting], f"placed:{_flushed(entry).id}")
    return meeting


def waiting_changes(event: Event) -> int:
    """How many meetings a run added after publication that participants do not see yet."""
    if event.state != EventState.PUBLISHED:
        return 0
    return db.session.scalar(
        db.select(db.func.count(Meeting.id)).filter_by(event_id=event.id, is_published=False)
    )


def publish_changes(event: Event, by) -> int:
    """Publish the meetings added since the schedule was published; tell their participants.

    :returns: how many meetings were published
    :raises InvalidTransition: when the schedule is not published, or nothing waits
    """
    _ensure_office(by)
    if event.state != EventState.PUBLISHED:
        raise InvalidTransition(_l("Only a published schedule has changes to publish."))
    added = db.session.scalars(
        db.select(Meeting).filter_by(event_id=event.id, is_published=False).order_by(Meeting.id)
    ).all()
    if not added:
        raise InvalidTransition(_l("No changes wait to be published."))
    for meeting in added:
        meeting.is_published = True
    db.session.flush()
    entry = audit.record(
        "event.schedule_changes_published", event, actor=by, meetings=[m.id for m in added]
    )
    _tell_changed(event, added, f"added:{_flushed(entry).id}")
    return len(added)


def start(event: Event, by) -> Event:
    """Start the event; changes still waiting are published first, so that the hall and the
    agendas show the same meetings."""
    if waiting_changes(event):
        publish_changes(event, by)
    return workflow.transition(event, workflow.Action.START, by=by)


def _flushed(entry):
    db.session.flush()
    return entry


def _tell_changed(event: Event, meetings: list[Meeting], change: str) -> None:
    """Tell everyone at these meetings that their agenda changed, one message per participant
    naming each of their changed meetings."""
    slots = event_slots(event)
    lines: dict[int, list] = defaultdict(list)
    for meeting in meetings:
        request = meeting.request
        people = {request.sender, *(i.participant for i in request.invitees)}
        start_at = slots[meeting.slot][0] if meeting.slot < len(slots) else None
        for participant in people:
            others = ", ".join(
                sorted(p.organisation.name for p in people if p.id != participant.id)
            )
            lines[participant.id].append((participant, others, start_at, meeting.table_number + 1))
    for participant_id in sorted(lines):
        participant: Participant = lines[participant_id][0][0]
        text = _l("Your agenda for %(name)s changed", name=event.name)
        tell_participant(
            participant,
            f"event:{event.id}:agenda:{participant.id}:{change}",
            text,
            path_for("events.agenda", event_id=event.id, participant_id=participant.id),
            template="events_agenda_changed",
            news=text,
            event=event,
            changes=[(others, when, table) for _p, others, when, table in lines[participant_id]],
        )
