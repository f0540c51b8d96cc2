"""Running the scheduler for an event, and the office's changes to its result.

The office queues a run (:func:`queue_run`); it runs after the response has gone out (the
``event_schedule`` side effect) or from ``flask events schedule``, never in the request's own
time. A run replaces the meetings that are neither pinned nor published and records what it
placed, what it left out and why. The office then pins meetings, moves them or places a left-out
one by hand (``changes``) and publishes the schedule. After publication a run only adds meetings
around the published ones, and the office publishes those changes.
"""

from __future__ import annotations

import logging
from collections import Counter

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import audit, clock, effects
from app.core.errors import Forbidden, InvalidTransition
from app.core.urls import path_for
from app.events import scheduler, workflow
from app.events.meetings import tell_participant
from app.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Participant,
    RequestState,
    RunState,
    ScheduleRun,
)
from app.events.permissions import can_run_events
from app.events.planning import ProblemData, problem_data
from app.extensions import db

log = logging.getLogger("etalase")

EFFECT = "event_schedule"

# ProblemError.reason codes, as the office reads them.
PROBLEM_MESSAGES = {
    "no_slots": _l("The event has no meeting slots."),
    "no_tables": _l("The event has no tables."),
    "duplicate_meeting": _l("A meeting appears twice."),
    "too_few_participants": _l("A meeting needs at least two different participants."),
    "repeated_participant": _l("A meeting names the same participant twice."),
    "bad_priority": _l("A meeting has a priority other than low, normal or high."),
    "bad_limit": _l("A participant has a negative meeting limit."),
    "pin_out_of_range": _l("That slot or table does not exist at this event."),
    "pins_share_table": _l("That table is already taken in that slot."),
    "pinned_unavailable": _l("A participant of this meeting cannot attend that slot."),
    "pinned_double_booked": _l("A participant of this meeting already has a meeting in that slot."),
    "pins_over_limit": _l("A participant would have more meetings than their limit."),
}

# Why an accepted meeting was left out, as far as the result shows it.
UNPLACED_MESSAGES = {
    "no_shared_slot": _l("Its participants have no slot they can all attend."),
    "limit_reached": _l("One of its participants has reached their meeting limit."),
    "no_room": _l("No slot had a free table while all its participants were free."),
}

audit.ACTION_LABELS.update(
    {
        "event.schedule_queued": _l("Schedule run queued"),
        "event.schedule_run": _l("Schedule prepared"),
        "meeting.pinned": _l("Meeting pinned"),
        "meeting.unpinned": _l("Meeting unpinned"),
        "meeting.moved": _l("Meeting moved"),
        "meeting.placed": _l("Meeting placed by hand"),
        "event.schedule_changes_published": _l("Schedule changes published"),
    }
)


def problem_message(reason: str) -> str:
    return str(PROBLEM_MESSAGES.get(reason, _l("The schedule could not be prepared.")))


def unplaced_message(reason: str) -> str:
    return str(UNPLACED_MESSAGES.get(reason, ""))


def _ensure_office(by) -> None:
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))


def _ensure_scheduling(event: Event) -> None:
    if event.state not in workflow.SCHEDULE_CHANGEABLE:
        raise InvalidTransition(
            _l(
                "The schedule can be changed only after registration closes and before the event starts."
            )
        )


def latest_run(event: Event) -> ScheduleRun | None:
    return db.session.scalar(
        db.select(ScheduleRun).filter_by(event_id=event.id).order_by(ScheduleRun.id.desc()).limit(1)
    )


def queue_run(event: Event, by) -> ScheduleRun:
    """Queue a scheduler run for ``event``; it runs once the transaction commits and the
    response has gone out.

    :raises Forbidden: when ``by`` is not an administrator
    :raises InvalidTransition: when the event is not being scheduled, or a run is waiting
    """
    _ensure_office(by)
    _ensure_scheduling(event)
    last = latest_run(event)
    if last is not None and last.state == RunState.QUEUED:
        raise InvalidTransition(_l("A schedule run is already waiting; reload the page shortly."))
    run = new_run(event, by)
    effects.queue(db.session(), EFFECT, [run.id])
    return run


def new_run(event: Event, by=None) -> ScheduleRun:
    """A run of ``event`` waiting to be executed (``by`` None: the command line)."""
    run = ScheduleRun(
        event_id=event.id, requested_by_id=by.id if by else None, requested_at=clock.now()
    )
    db.session.add(run)
    db.session.flush()
    audit.record("event.schedule_queued", event, actor=by, run_id=run.id)
    return run


def to_problem(data: ProblemData, pins: dict[int, tuple[int, int]] | None = None):
    """The solver's problem from ``data``; ``pins`` (request id -> place) override its pins."""
    pins = pins or {}
    return scheduler.Problem(
        slots=data.slots,
        tables=data.tables,
        meetings=tuple(
            scheduler.Meeting(m.id, m.participants, m.priority, pins.get(m.id, m.pinned))
            for m in data.meetings
        ),
        available=dict(data.available),
        limits=dict(data.limits),
        ikms=data.ikms,
    )


def _why_unplaced(data: ProblemData, placed: dict[int, tuple[int, int]]) -> dict[int, str]:
    people = {m.id: m.participants for m in data.meetings}
    count = Counter(p for request_id in placed for p in people[request_id])
    reasons = {}
    for meeting in data.meetings:
        if meeting.id in placed:
            continue
        shared = frozenset(range(data.slots))
        for person in meeting.participants:
            shared &= data.available.get(person, shared)
        if not shared:
            reasons[meeting.id] = "no_shared_slot"
        elif any(count[p] >= data.limits.get(p, data.slots) for p in meeting.participants):
            reasons[meeting.id] = "limit_reached"
        else:
            reasons[meeting.id] = "no_room"
    return reasons


def execute(run: ScheduleRun, time_limit: float | None = None) -> ScheduleRun:
    """Solve ``run``'s event and store the result as its meetings (flushes, never commits).

    Meetings pinned or published stay; the others are replaced by the solver's placing.
    """
    event = db.session.get(Event, run.event_id)
    run.finished_at = None
    if event is None or event.state not in workflow.SCHEDULE_CHANGEABLE:
        run.state, run.error, run.finished_at = RunState.FAILED, "not_scheduling", clock.now()
        return run
    limit = time_limit or current_app.config["EVENTS_SCHEDULE_SECONDS"]
    data = problem_data(event)
    try:
        result = scheduler.solve(to_problem(data), time_limit=limit, seed=0)
    except scheduler.ProblemError as error:
        run.state, run.error, run.finished_at = RunState.FAILED, error.reason, clock.now()
        return run
    db.session.execute(
        db.delete(Meeting).where(
            Meeting.event_id == event.id,
            Meeting.is_pinned.is_(False),
            Meeting.is_published.is_(False),
        )
    )
    _drop_unaccepted(event)
    kept = set(db.session.scalars(db.select(Meeting.request_id).filter_by(event_id=event.id)))
    for request_id, (slot, table) in sorted(result.placed.items()):
        if request_id not in kept:
            db.session.add(
                Meeting(event_id=event.id, request_id=request_id, slot=slot, table_number=table)
            )
    reasons = _why_unplaced(data, result.placed)
    run.state = RunState.DONE
    run.placed = len(result.placed)
    run.unplaced = [[i, reasons[i]] for i in result.unplaced]
    run.is_optimal = result.optimal
    run.seconds = round(result.seconds, 2)
    run.finished_at = clock.now()
    db.session.flush()
    audit.record("event.schedule_run", event, actor=None, run_id=run.id, placed=run.placed)
    return run


def run_queued(run_ids) -> None:
    """The side effect: run each queued run in its own transaction."""
    for run_id in sorted(run_ids):
        run = db.session.get(ScheduleRun, run_id)
        if run is None or run.state != RunState.QUEUED:
            continue
        try:
            execute(run)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("schedule run %s failed", run_id)
            run = db.session.get(ScheduleRun, run_id)
            run.state, run.error, run.finished_at = RunState.FAILED, "crashed", clock.now()
            db.session.commit()


effects.register_runner(EFFECT, run_queued)


def _drop_unaccepted(event: Event) -> None:
    """Meetings whose request is no longer accepted have no place in the schedule (the
    solver does not see them, so they must not hold a table)."""
    accepted = db.select(MeetingRequest.id).filter_by(
        event_id=event.id, state=RequestState.ACCEPTED
    )
    db.session.execute(
        db.delete(Meeting).where(Meeting.event_id == event.id, Meeting.request_id.not_in(accepted))
    )


def current_places(event: Event) -> dict[int, tuple[int, int]]:
    _drop_unaccepted(event)
    return {
        m.request_id: (m.slot, m.table_number)
        for m in db.session.scalars(db.select(Meeting).filter_by(event_id=event.id))
    }


def toggle_pin(meeting: Meeting, by) -> Meeting:
    """Keep ``meeting`` where it is in later runs, or let the solver move it again."""
    _ensure_office(by)
    event = db.session.get(Event, meeting.event_id)
    _ensure_scheduling(event)
    meeting.is_pinned = not meeting.is_pinned
    db.session.flush()
    action = "meeting.pinned" if meeting.is_pinned else "meeting.unpinned"
    audit.record(action, event, actor=by, meeting_id=meeting.id)
    return meeting


def publish(event: Event, by) -> Event:
    """Publish the schedule: the meetings become fixed and every participant is told (in the
    site and by email, after the response) that their agenda is ready."""
    workflow.transition(event, workflow.Action.PUBLISH, by=by)
    db.session.execute(
        db.update(Meeting).where(Meeting.event_id == event.id).values(is_published=True)
    )
    participants = db.session.scalars(
        db.select(Participant).filter_by(event_id=event.id).order_by(Participant.id)
    ).all()
    text = _l("Your agenda for %(name)s is ready", name=event.name)
    for participant in participants:
        tell_participant(
            participant,
            f"event:{event.id}:agenda:{participant.id}:published",
            text,
            path_for("events.agenda", event_id=event.id, participant_id=participant.id),
            template="events_agenda_ready",
            news=text,
            event=event,
        )
    return event
