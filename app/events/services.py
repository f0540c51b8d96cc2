"""Events and registration: creating and changing an event, registering an organisation,
listing events and participants. Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import lazy_gettext as _l

from app.catalog.models import Product
from app.core import audit
from app.core.errors import DomainValidationError, Forbidden, InvalidTransition
from app.core.i18n import lazy_day
from app.core.paging import CARDS, ROWS, Page, paginate
from app.events import workflow
from app.events.models import Event, EventState, Participant, ParticipantKind
from app.events.permissions import (
    PUBLIC_STATES,
    can_act_for,
    can_run_events,
    invited_kinds_for,
)
from app.events.slots import day_slots, event_slots, minutes_of
from app.extensions import db
from app.matching.models import BuyerRequest, RequestState
from app.orgs.models import Organisation, Sector

MAX_DAYS = 7
MAX_TABLES = 500
MAX_MEETING_MINUTES = 240


@dataclass(frozen=True)
class EventData:
    name: str
    venue: str
    starts_on: date
    ends_on: date
    day_starts_at: time
    day_ends_at: time
    meeting_minutes: int
    tables: int
    registration_opens_on: date
    registration_closes_on: date
    invited_kinds: list[str]
    invited_sectors: list[str] = field(default_factory=list)
    breaks: list[tuple[time, time]] = field(default_factory=list)
    description: str = ""


def _fail(message, name: str):
    raise DomainValidationError(message, field=name)


def _validate_days(data: EventData, today: date) -> None:
    if data.starts_on < today:
        _fail(_l("The event cannot start in the past."), "starts_on")
    if data.ends_on < data.starts_on:
        _fail(_l("The last day cannot be before the first day."), "ends_on")
    if (data.ends_on - data.starts_on).days >= MAX_DAYS:
        _fail(_l("An event lasts at most 7 days."), "ends_on")


def _validate_times(data: EventData) -> None:
    if data.day_ends_at <= data.day_starts_at:
        _fail(_l("The day must end after it starts."), "day_ends_at")
    if not 5 <= (data.meeting_minutes or 0) <= MAX_MEETING_MINUTES:
        _fail(_l("A meeting lasts between 5 and 240 minutes."), "meeting_minutes")
    if data.meeting_minutes > minutes_of(data.day_ends_at) - minutes_of(data.day_starts_at):
        _fail(_l("A meeting cannot be longer than the day."), "meeting_minutes")
    previous_end = None
    for start, end in sorted(data.breaks):
        if end <= start:
            _fail(_l("A break must end after it starts."), "breaks")
        if start < data.day_starts_at or end > data.day_ends_at:
            _fail(_l("Breaks must lie inside the day."), "breaks")
        if previous_end is not None and start < previous_end:
            _fail(_l("Breaks must not overlap."), "breaks")
        previous_end = end
    slots = day_slots(data.day_starts_at, data.day_ends_at, data.meeting_minutes, data.breaks)
    if not slots:
        _fail(_l("No meeting fits into the day around the breaks."), "meeting_minutes")


def _validate_registration_window(data: EventData) -> None:
    if data.registration_closes_on < data.registration_opens_on:
        _fail(_l("Registration must close on or after the day it opens."), "registration_closes_on")
    if data.registration_closes_on > data.starts_on:
        _fail(
            _l("Registration must close by the first day of the event."), "registration_closes_on"
        )


def validate(data: EventData, today: date) -> None:
    """What makes an event impossible to run, whatever the form let through.

    :raises DomainValidationError: naming the field at fault
    """
    if not (data.name or "").strip():
        _fail(_l("Give the event a name."), "name")
    if not (data.venue or "").strip():
        _fail(_l("Say where the event takes place."), "venue")
    _validate_days(data, today)
    _validate_times(data)
    if not 1 <= (data.tables or 0) <= MAX_TABLES:
        _fail(_l("The hall needs between 1 and 500 tables."), "tables")
    _validate_registration_window(data)
    if not data.invited_kinds or not set(data.invited_kinds) <= set(ParticipantKind):
        _fail(_l("Choose who may register."), "invited_kinds")
    if not set(data.invited_sectors) <= set(Sector):
        _fail(_l("Choose sectors from the list."), "invited_sectors")


def _apply(event: Event, data: EventData) -> None:
    event.name = data.name.strip()
    event.venue = data.venue.strip()
    event.description = data.description or ""
    event.starts_on, event.ends_on = data.starts_on, data.ends_on
    event.day_starts_at, event.day_ends_at = data.day_starts_at, data.day_ends_at
    event.meeting_minutes = data.meeting_minutes
    event.breaks = [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in sorted(data.breaks)]
    event.tables = data.tables
    event.registration_opens_on = data.registration_opens_on
    event.registration_closes_on = data.registration_closes_on
    event.invited_kinds = [k.value for k in ParticipantKind if k.value in set(data.invited_kinds)]
    event.invited_sectors = [s.value for s in Sector if s.value in set(data.invited_sectors)]


def create_event(data: EventData, by, today: date) -> Event:
    """A draft event.

    :raises Forbidden: when ``by`` is not an administrator
    :raises DomainValidationError: when ``data`` is not an event that can be run
    """
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))
    validate(data, today)
    event = Event(state=EventState.DRAFT, created_by_id=by.id)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", event, actor=by)
    return event


def update_event(event: Event, data: EventData, by, today: date) -> Event:
    """Change an event in draft or open for registration. Availability that points past the
    new last slot is dropped.

    :raises InvalidTransition: once registration has closed
    """
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))
    if event.state not in workflow.EDITABLE:
        raise InvalidTransition(_l("This event can no longer be changed."))
    validate(data, today)
    _apply(event, data)
    db.session.flush()
    count = len(event_slots(event))
    for participant in db.session.scalars(db.select(Participant).filter_by(event_id=event.id)):
        kept = [s for s in participant.available_slots if s < count]
        if kept != participant.available_slots:
            participant.available_slots = kept
    audit.record("event.updated", event, actor=by)
    return event


def public_events(number: int) -> Page:
    """Events whose registration has opened, the soonest first."""
    query = (
        db.select(Event)
        .where(Event.state.in_(PUBLIC_STATES))
        .order_by(Event.starts_on.desc(), Event.id.desc())
    )
    return paginate(query, number, CARDS)


def all_events(number: int) -> Page:
    return paginate(
        db.select(Event).order_by(Event.starts_on.desc(), Event.id.desc()), number, ROWS
    )


# Registration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    kind: str
    available_slots: list[int]
    max_meetings: int
    offers: str = ""
    seeks: str = ""
    product_ids: list[int] = field(default_factory=list)
    request_ids: list[int] = field(default_factory=list)


def ensure_registration_open(event: Event, today: date) -> None:
    """:raises InvalidTransition: outside the registration window, or once it has closed"""
    if event.state != EventState.REGISTRATION_OPEN:
        raise InvalidTransition(_l("Registration for this event is not open."))
    if today < event.registration_opens_on:
        raise InvalidTransition(
            _l("Registration opens on %(date)s.", date=lazy_day(event.registration_opens_on))
        )
    if today > event.registration_closes_on:
        raise InvalidTransition(
            _l("Registration closed on %(date)s.", date=lazy_day(event.registration_closes_on))
        )


def active_products(org) -> list[Product]:
    return db.session.scalars(
        db.select(Product)
        .filter_by(ikm_id=org.id, archived_at=None)
        .order_by(Product.name)
        .limit(200)
    ).all()


def open_requests(org) -> list[BuyerRequest]:
    return db.session.scalars(
        db.select(BuyerRequest)
        .filter_by(buyer_org_id=org.id, state=RequestState.OPEN)
        .order_by(BuyerRequest.id)
        .limit(200)
    ).all()


def _validate_registration(event: Event, org, data: RegistrationData) -> None:
    if data.kind not in invited_kinds_for(event, org):
        _fail(_l("This event does not invite your organisation as this kind."), "kind")
    count = len(event_slots(event))
    if not data.available_slots:
        _fail(_l("Choose at least one slot when you can meet."), "available_slots")
    if not all(0 <= s < count for s in data.available_slots):
        _fail(_l("Choose slots from the list."), "available_slots")
    if not 1 <= (data.max_meetings or 0) <= count:
        _fail(_l("Between 1 and %(n)d meetings.", n=count), "max_meetings")
    if data.product_ids and data.kind != ParticipantKind.IKM:
        _fail(_l("Only an IKM shows products."), "product_ids")
    if not set(data.product_ids) <= {p.id for p in active_products(org)}:
        _fail(_l("Choose your own active products."), "product_ids")
    if data.request_ids and data.kind != ParticipantKind.BUYER:
        _fail(_l("Only a buyer links requests."), "request_ids")
    if not set(data.request_ids) <= {r.id for r in open_requests(org)}:
        _fail(_l("Choose your own open requests."), "request_ids")


def _apply_registration(participant: Participant, data: RegistrationData) -> None:
    participant.kind = data.kind
    participant.offers = data.offers or ""
    participant.seeks = data.seeks or ""
    participant.available_slots = sorted(set(data.available_slots))
    participant.max_meetings = data.max_meetings
    ids = set(data.product_ids)
    participant.products = [p for p in active_products(participant.organisation) if p.id in ids]
    ids = set(data.request_ids)
    participant.requests = [r for r in open_requests(participant.organisation) if r.id in ids]


def register(event: Event, org, data: RegistrationData, by, today: date) -> Participant:
    """Register ``org`` for ``event``.

    :raises InvalidTransition: outside the registration window
    :raises DomainValidationError: when ``org`` is already registered, not invited as
        ``data.kind``, or the data names slots, products or requests it may not
    """
    if not can_act_for(by, org):
        raise Forbidden(_l("You may not do this."))
    ensure_registration_open(event, today)
    taken = db.session.scalar(
        db.select(Participant.id).filter_by(event_id=event.id, organisation_id=org.id)
    )
    if taken:
        raise DomainValidationError(_l("%(name)s is already registered.", name=org.name))
    _validate_registration(event, org, data)
    participant = Participant(event_id=event.id, organisation=org, registered_by_id=by.id)
    _apply_registration(participant, data)
    db.session.add(participant)
    db.session.flush()
    audit.record("participant.registered", participant, actor=by, event_id=event.id)
    return participant


def update_registration(participant: Participant, data: RegistrationData, by, today: date):
    if not can_act_for(by, participant.organisation):
        raise Forbidden(_l("You may not do this."))
    ensure_registration_open(participant.event, today)
    _validate_registration(participant.event, participant.organisation, data)
    _apply_registration(participant, data)
    db.session.flush()
    audit.record("participant.updated", participant, actor=by)
    return participant


def participants_of(event: Event, number: int, kind: str = "", sector: str = "") -> Page:
    """A page of the event's participants by name, optionally of one kind or IKM sector."""
    query = (
        db.select(Participant)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id)
        .order_by(Organisation.name, Participant.id)
    )
    if kind in set(ParticipantKind):
        query = query.where(Participant.kind == kind)
    if sector in set(Sector):
        query = query.where(Organisation.__table__.c.sector == sector)
    return paginate(query, number, ROWS)


def own_participants(user, event: Event) -> list[Participant]:
    """The participants of ``event`` that ``user`` speaks for."""
    if not getattr(user, "is_authenticated", False):
        return []
    org_ids = [m.organisation_id for m in user.memberships]
    if not org_ids:
        return []
    found = db.session.scalars(
        db.select(Participant)
        .where(Participant.event_id == event.id, Participant.organisation_id.in_(org_ids))
        .order_by(Participant.id)
    ).all()
    return [p for p in found if can_act_for(user, p.organisation)]


def registered_org_ids(event: Event) -> set[int]:
    return set(
        db.session.scalars(db.select(Participant.organisation_id).filter_by(event_id=event.id))
    )


def participant_totals(event: Event) -> dict[str, int]:
    """How many participants of each kind (one grouped query)."""
    counts = dict(
        db.session.execute(
            db.select(Participant.kind, db.func.count())
            .filter_by(event_id=event.id)
            .group_by(Participant.kind)
        ).all()
    )
    return {kind.value: counts.get(kind.value, 0) for kind in ParticipantKind}


def upcoming_count(today: date) -> int:
    """Events not yet over (today or later, not closed), for the trade office's home."""
    return db.session.scalar(
        db.select(db.func.count(Event.id)).where(
            Event.ends_on >= today, Event.state != EventState.CLOSED
        )
    )
