"""Meeting requests between an event's participants, the answers to them, and the IKMs the
matching ranking recommends to a buyer. Services flush and never commit; notifications are
queued in the same transaction (mail goes out after the response)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from app.core import audit
from app.core.errors import DomainValidationError, Forbidden, InvalidTransition
from app.core.forms import INTEGER_COLUMN_MAX
from app.core.notifications import notify
from app.core.paging import ROWS, Page, paginate
from app.core.urls import path_for
from app.events import workflow
from app.events.models import (
    Event,
    Meeting,
    MeetingInvitee,
    MeetingRequest,
    Participant,
    ParticipantKind,
    RequestState,
)
from app.events.permissions import ACTING_ROLES, answering_invitee, can_act_for
from app.extensions import db
from app.matching import recommend
from app.orgs.models import Organisation

MAX_AT_ONE_TABLE = 6  # a buyer and up to six IKMs of a consortium
ACTIVE = (RequestState.REQUESTED, RequestState.ACCEPTED)


def _fail(message, name: str = "invitees"):
    raise DomainValidationError(message, field=name)


def _invitees(event: Event, sender: Participant, invitee_ids: list[int]) -> list[Participant]:
    ids = set(invitee_ids)
    if not ids:
        _fail(_l("Choose whom you want to meet."))
    if sender.id in ids:
        _fail(_l("You cannot ask for a meeting with yourself."))
    if any(not 0 < i <= INTEGER_COLUMN_MAX for i in ids):
        _fail(_l("Only organisations registered for this event can be asked for a meeting."))
    found = db.session.scalars(
        db.select(Participant).where(Participant.event_id == event.id, Participant.id.in_(ids))
    ).all()
    if len(found) != len(ids):
        _fail(_l("Only organisations registered for this event can be asked for a meeting."))
    if len(found) > 1:
        if sender.kind != ParticipantKind.BUYER or any(
            p.kind != ParticipantKind.IKM for p in found
        ):
            _fail(_l("Only a buyer may ask several IKMs to one table."))
        if len(found) > MAX_AT_ONE_TABLE:
            _fail(_l("At most 6 IKMs at one table."))
    return sorted(found, key=lambda p: p.id)


def active_requests_with(participant: Participant) -> list[MeetingRequest]:
    """The requests still waiting or accepted that ``participant`` sent or was asked to."""
    asked = db.select(MeetingInvitee.meeting_request_id).filter_by(participant_id=participant.id)
    return db.session.scalars(
        db.select(MeetingRequest).where(
            MeetingRequest.event_id == participant.event_id,
            MeetingRequest.state.in_(ACTIVE),
            or_(
                MeetingRequest.from_participant_id == participant.id,
                MeetingRequest.id.in_(asked),
            ),
        )
    ).all()


def request_meeting(
    event: Event,
    sender: Participant,
    invitee_ids: list[int],
    priority: int,
    message: str,
    by,
) -> MeetingRequest:
    """``sender`` asks ``invitee_ids`` (participants of ``event``) for a table together.

    :raises Forbidden: when ``by`` does not speak for ``sender``
    :raises InvalidTransition: when the event no longer takes requests
    :raises DomainValidationError: a request to oneself, to someone not registered, a
        duplicate of a request still waiting or accepted, or a priority outside 1..3
    """
    if not can_act_for(by, sender.organisation) or sender.event_id != event.id:
        raise Forbidden(_l("You may not do this."))
    if event.state not in workflow.REQUESTS_OPEN:
        raise InvalidTransition(_l("Meeting requests are closed for this event."))
    if priority not in (1, 2, 3):
        _fail(_l("Choose a priority from the list."), "priority")
    invitees = _invitees(event, sender, invitee_ids)
    table = frozenset({sender.id, *(p.id for p in invitees)})
    if any(r.participant_ids == table for r in active_requests_with(sender)):
        _fail(_l("You have already asked for this meeting, or been asked for it."))
    request = MeetingRequest(
        event_id=event.id,
        from_participant_id=sender.id,
        priority=priority,
        message=(message or "").strip(),
        created_by_id=by.id,
        invitees=[MeetingInvitee(participant_id=p.id) for p in invitees],
    )
    db.session.add(request)
    db.session.flush()
    audit.record("meeting_request.created", request, actor=by, invitees=sorted(table))
    for invitee in invitees:
        tell_participant(
            invitee,
            f"meeting_request:{request.id}:asked",
            _l("%(name)s asks you for a meeting", name=sender.organisation.name),
            path_for("events.meeting_request", event_id=event.id, request_id=request.id),
        )
    return request


def tell_participant(participant: Participant, key: str, text, url: str, **email) -> None:
    """Tell the people who speak for a participant: in the site and, with a template, by email."""
    for member in participant.organisation.memberships:
        if member.role in ACTING_ROLES:
            notify(member.user, key, text, url, subject=text, participant=participant, **email)


def answer(request: MeetingRequest, accept: bool, by) -> MeetingRequest:
    """``by`` accepts or declines for the invitee they speak for; the sender is told in the
    site and by email."""
    invitee = answering_invitee(by, request)
    workflow.answer(request, accept, by=by)
    who = invitee.participant.organisation.name
    text = (
        _l("%(name)s accepted your meeting request", name=who)
        if accept
        else _l("%(name)s declined your meeting request", name=who)
    )
    tell_participant(
        request.sender,
        f"meeting_request:{request.id}:{invitee.participant_id}:{invitee.answer}",
        text,
        path_for("events.meeting_request", event_id=request.event_id, request_id=request.id),
        template="events_meeting_answered",
        news=text,
        event=request.event,
    )
    return request


def cancel(request: MeetingRequest, by) -> MeetingRequest:
    workflow.cancel(request, by=by)
    # A cancelled meeting leaves the schedule being prepared, pinned or not.
    db.session.execute(db.delete(Meeting).where(Meeting.request_id == request.id))
    for invitee in request.invitees:
        tell_participant(
            invitee.participant,
            f"meeting_request:{request.id}:cancelled",
            _l("%(name)s cancelled a meeting request", name=request.sender.organisation.name),
            path_for("events.meetings", event_id=request.event_id),
        )
    return request


def requests_of(participant: Participant, number: int) -> Page:
    """A page of the requests ``participant`` sent or was asked to, newest first."""
    asked = db.select(MeetingInvitee.meeting_request_id).filter_by(participant_id=participant.id)
    query = (
        db.select(MeetingRequest)
        .where(
            or_(
                MeetingRequest.from_participant_id == participant.id,
                MeetingRequest.id.in_(asked),
            )
        )
        .order_by(MeetingRequest.id.desc())
    )
    return paginate(query, number, ROWS)


CHOICES_LIMIT = 300  # more participants than any hall holds


def invitee_choices(event: Event, sender: Participant, named: Participant | None) -> list:
    """Whom the request form offers: the participant picked from the list first; then, for a
    buyer, the event's IKMs (to share a table), else every other participant."""
    query = (
        db.select(Participant)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id, Participant.id != sender.id)
        .order_by(Organisation.name)
        .limit(CHOICES_LIMIT)
    )
    if sender.kind == ParticipantKind.BUYER:
        query = query.where(Participant.kind == ParticipantKind.IKM)
    elif named is not None:
        return [named]
    found = db.session.scalars(query).all()
    if named is not None:
        found = [named] + [p for p in found if p.id != named.id]
    return found


# Recommendations -------------------------------------------------------------------------

RECOMMENDED_PER_REQUEST = 5


@dataclass(frozen=True)
class Suggestion:
    """A registered IKM the matching ranking puts forward for one of the buyer's requests."""

    participant: Participant
    recommendation: recommend.Recommendation

    @property
    def reasons(self) -> list[str]:
        """The strongest signals, briefly: "Fit of products: Sepatu pantofel"."""
        strongest = sorted(self.recommendation.signals, key=lambda s: -s.points)[:3]
        return [f"{s.label}: {s.note}" for s in strongest if s.points > 0]


def recommended_ikms(participant: Participant, today: date) -> list[tuple[object, list]]:
    """For each open request the buyer linked, the best-ranked IKMs registered at the event
    (``app.matching.recommend``, called, not copied)."""
    if participant.kind != ParticipantKind.BUYER or not participant.requests:
        return []
    registered = {
        p.organisation_id: p
        for p in db.session.scalars(
            db.select(Participant).filter_by(
                event_id=participant.event_id, kind=ParticipantKind.IKM
            )
        )
    }
    found = []
    for request in participant.requests:
        if request.state != "open":
            continue
        ranked = recommend.recommend(request, today).recommendations
        picks = [Suggestion(registered[r.ikm.id], r) for r in ranked if r.ikm.id in registered][
            :RECOMMENDED_PER_REQUEST
        ]
        found.append((request, picks))
    return found


def request_totals(event: Event) -> dict[str, int]:
    """How many of the event's meeting requests are in each state (one grouped query)."""
    counts = dict(
        db.session.execute(
            db.select(MeetingRequest.state, db.func.count())
            .filter_by(event_id=event.id)
            .group_by(MeetingRequest.state)
        ).all()
    )
    return {state.value: counts.get(state.value, 0) for state in RequestState}
