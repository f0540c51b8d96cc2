"""The life of an event and of its meeting requests: states, transitions, who may take each.

Every change of state goes through :func:`transition` (events) or :func:`answer` /
:func:`cancel` (meeting requests): a guard on the actor and the current state, the change,
and an audit entry (``event.<action>``, ``meeting_request.<action>``) with the states before
and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core import audit, clock
from app.core.errors import Forbidden, InvalidTransition
from app.events.models import Answer, Event, MeetingRequest, RequestState
from app.events.models import EventState as S
from app.events.permissions import answering_invitee, can_cancel, can_run_events


class Action(StrEnum):
    OPEN_REGISTRATION = "open_registration"
    CLOSE_REGISTRATION = "close_registration"  # to scheduling
    PUBLISH = "publish"  # the schedule
    START = "start"
    CLOSE = "close"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    target: S


RULES: dict[Action, Rule] = {
    Action.OPEN_REGISTRATION: Rule(frozenset({S.DRAFT}), S.REGISTRATION_OPEN),
    Action.CLOSE_REGISTRATION: Rule(frozenset({S.REGISTRATION_OPEN}), S.SCHEDULING),
    Action.PUBLISH: Rule(frozenset({S.SCHEDULING}), S.PUBLISHED),
    Action.START: Rule(frozenset({S.PUBLISHED}), S.RUNNING),
    Action.CLOSE: Rule(frozenset({S.RUNNING}), S.CLOSED),
}

# The event may still be changed, and participants still register and ask for meetings.
EDITABLE = frozenset({S.DRAFT, S.REGISTRATION_OPEN})
# Late requests are welcome after publication: the office fits them around the published
# meetings and publishes the change.
REQUESTS_OPEN = frozenset({S.REGISTRATION_OPEN, S.SCHEDULING, S.PUBLISHED})
# The office may run the scheduler, pin, move and place meetings.
SCHEDULE_CHANGEABLE = frozenset({S.SCHEDULING, S.PUBLISHED})

ACTION_LABELS = {
    Action.OPEN_REGISTRATION: _l("Registration opened"),
    Action.CLOSE_REGISTRATION: _l("Registration closed"),
    Action.PUBLISH: _l("Schedule published"),
    Action.START: _l("Event started"),
    Action.CLOSE: _l("Event closed"),
}

audit.ACTION_LABELS.update(
    {f"event.{action.value}": label for action, label in ACTION_LABELS.items()}
    | {
        "event.created": _l("Event created"),
        "event.updated": _l("Event changed"),
        "participant.registered": _l("Registered for an event"),
        "participant.updated": _l("Event registration changed"),
        "meeting_request.created": _l("Meeting requested"),
        "meeting_request.accepted": _l("Meeting accepted"),
        "meeting_request.declined": _l("Meeting declined"),
        "meeting_request.cancelled": _l("Meeting request cancelled"),
    }
)


def allowed(event: Event, action: Action, user) -> bool:
    """Whether ``user`` may take ``action`` on ``event`` now (for showing buttons)."""
    return S(event.state) in RULES[action].sources and can_run_events(user)


def transition(event: Event, action: Action, by) -> Event:
    """Move ``event`` by ``action``.

    :raises Forbidden: when ``by`` is not an administrator
    :raises InvalidTransition: when the event's state does not allow it
    """
    rule = RULES[action]
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))
    current = S(event.state)
    if current not in rule.sources:
        raise InvalidTransition(_l("This event is no longer in a state that allows this."))
    event.state = rule.target
    audit.record(f"event.{action.value}", event, actor=by, from_state=current, to_state=rule.target)
    return event


def _ensure_requests_open(request: MeetingRequest) -> None:
    if S(request.event.state) not in REQUESTS_OPEN:
        raise InvalidTransition(_l("Meeting requests are closed for this event."))
    if request.state != RequestState.REQUESTED:
        raise InvalidTransition(_l("This meeting request has already been answered."))


def answer(request: MeetingRequest, accept: bool, by) -> MeetingRequest:
    """``by`` answers for the invitee they speak for. One decline declines the request; it is
    accepted when every invitee has accepted.

    :raises Forbidden: when ``by`` speaks for no invitee of ``request``
    :raises InvalidTransition: when the request was answered, cancelled, or requests closed
    """
    invitee = answering_invitee(by, request)
    if invitee is None:
        raise Forbidden(_l("You may not do this."))
    _ensure_requests_open(request)
    if invitee.answer is not None:
        raise InvalidTransition(_l("You have already answered this meeting request."))
    invitee.answer = Answer.ACCEPTED if accept else Answer.DECLINED
    invitee.answered_at = clock.now()
    current = RequestState(request.state)
    if not accept:
        request.state = RequestState.DECLINED
    elif all(i.answer == Answer.ACCEPTED for i in request.invitees):
        request.state = RequestState.ACCEPTED
    audit.record(
        f"meeting_request.{invitee.answer}",
        request,
        actor=by,
        participant_id=invitee.participant_id,
        from_state=current,
        to_state=request.state,
    )
    return request


def cancel(request: MeetingRequest, by) -> MeetingRequest:
    """The sender withdraws a request that is still waiting, or accepted but not scheduled.

    :raises Forbidden: when ``by`` does not speak for the sender
    """
    if not can_cancel(by, request):
        raise Forbidden(_l("You may not do this."))
    if S(request.event.state) not in REQUESTS_OPEN:
        raise InvalidTransition(_l("Meeting requests are closed for this event."))
    current = RequestState(request.state)
    if current not in (RequestState.REQUESTED, RequestState.ACCEPTED):
        raise InvalidTransition(_l("This meeting request can no longer be cancelled."))
    request.state = RequestState.CANCELLED
    audit.record(
        "meeting_request.cancelled",
        request,
        actor=by,
        from_state=current,
        to_state=request.state,
    )
    return request
