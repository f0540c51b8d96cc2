"""Business-matching events, their participants, meeting requests and scheduled meetings.

An event's day runs from ``day_starts_at`` to ``day_ends_at`` (the venue's local time, Asia/
Jakarta) on each date from ``starts_on`` to ``ends_on``, cut into meetings of
``meeting_minutes`` around its ``breaks``; :func:`app.events.slots.event_slots` numbers those
slots from 0, and participants' availability and scheduled meetings refer to those numbers.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, UTCDateTime, current_time
from app.extensions import db
from app.orgs.models import OrgKind


class EventState(StrEnum):
    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    SCHEDULING = "scheduling"
    PUBLISHED = "published"
    RUNNING = "running"
    CLOSED = "closed"


EVENT_STATE_LABELS = {
    EventState.DRAFT: _l("Draft"),
    EventState.REGISTRATION_OPEN: _l("Registration open"),
    EventState.SCHEDULING: _l("Schedule in preparation"),
    EventState.PUBLISHED: _l("Schedule published"),
    EventState.RUNNING: _l("Under way"),
    EventState.CLOSED: _l("Closed"),
}


class ParticipantKind(StrEnum):
    IKM = "ikm"
    BUYER = "buyer"
    PARTNER = "partner"
    SUPPLIER = "supplier"  # raw materials: leather from Magetan
    OBSERVER = "observer"  # an association, the customs office


PARTICIPANT_KIND_LABELS = {
    ParticipantKind.IKM: _l("IKM"),
    ParticipantKind.BUYER: _l("Buyer"),
    ParticipantKind.PARTNER: _l("Partner"),
    ParticipantKind.SUPPLIER: _l("Raw-material supplier"),
    ParticipantKind.OBSERVER: _l("Observer"),
}

# What an organisation of each kind may take part as.
KINDS_BY_ORG = {
    OrgKind.IKM: (ParticipantKind.IKM, ParticipantKind.SUPPLIER),
    OrgKind.BUYER: (ParticipantKind.BUYER, ParticipantKind.OBSERVER),
    OrgKind.PARTNER: (
        ParticipantKind.BUYER,
        ParticipantKind.PARTNER,
        ParticipantKind.SUPPLIER,
        ParticipantKind.OBSERVER,
    ),
}


class RequestState(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


REQUEST_STATE_LABELS = {
    RequestState.REQUESTED: _l("Waiting for an answer"),
    RequestState.ACCEPTED: _l("Accepted"),
    RequestState.DECLINED: _l("Declined"),
    RequestState.CANCELLED: _l("Cancelled"),
}


class Answer(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Event(TimestampMixin, db.Model):
    """A business-matching event run by the trade office.

    ``breaks`` is a list of ``["HH:MM", "HH:MM"]`` pairs inside the day; ``invited_kinds``
    holds ``ParticipantKind`` values, ``invited_sectors`` IKM sectors (empty: every sector).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    venue: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    day_starts_at: Mapped[time] = mapped_column(Time)
    day_ends_at: Mapped[time] = mapped_column(Time)
    meeting_minutes: Mapped[int] = mapped_column(Integer)
    breaks: Mapped[list] = mapped_column(JSON, default=list)
    tables: Mapped[int] = mapped_column(Integer)
    registration_opens_on: Mapped[date] = mapped_column(Date)
    registration_closes_on: Mapped[date] = mapped_column(Date)
    invited_kinds: Mapped[list] = mapped_column(JSON, default=list)
    invited_sectors: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default=EventState.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def state_label(self) -> str:
        return str(EVENT_STATE_LABELS[EventState(self.state)])


participant_products = Table(
    "event_participant_products",
    db.metadata,
    Column(
        "participant_id",
        ForeignKey("event_participants.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)

participant_requests = Table(
    "event_participant_requests",
    db.metadata,
    Column(
        "participant_id",
        ForeignKey("event_participants.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("request_id", ForeignKey("buyer_requests.id", ondelete="CASCADE"), primary_key=True),
)


def new_checkin_token() -> str:
    """An unguessable token for a participant's check-in QR code (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


class EventInvitation(db.Model):
    """An email inviting someone to register for an event: to an address the office typed, or
    to a member of an invited organisation already in Etalase (``organisation_id``). Each
    address is invited once per event."""

    __tablename__ = "event_invitations"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation", lazy="joined")


class Participant(TimestampMixin, db.Model):
    """An organisation registered for an event, as one ``ParticipantKind``.

    ``available_slots`` lists the slot numbers it can meet in; ``max_meetings`` caps its
    agenda. An IKM shows ``products``; a buyer links open ``requests``. ``checkin_token`` is
    in the URL its QR code opens at the venue's door.
    """

    __tablename__ = "event_participants"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), index=True)
    offers: Mapped[str] = mapped_column(Text, default="")
    seeks: Mapped[str] = mapped_column(Text, default="")
    available_slots: Mapped[list] = mapped_column(JSON, default=list)
    max_meetings: Mapped[int] = mapped_column(Integer)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    no_show: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_token: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, default=new_checkin_token
    )

    event = relationship("Event")
    organisation = relationship("Organisation", lazy="joined")
    products = relationship("Product", secondary=participant_products, order_by="Product.name")
    requests = relationship(
        "BuyerRequest", secondary=participant_requests, order_by="BuyerRequest.id"
    )

    @property
    def kind_label(self) -> str:
        return str(PARTICIPANT_KIND_LABELS[ParticipantKind(self.kind)])


class MeetingInvitee(db.Model):
    """A participant asked to a meeting, and its answer (None while it has not answered)."""

    __tablename__ = "event_meeting_invitees"

    meeting_request_id: Mapped[int] = mapped_column(
        ForeignKey("event_meeting_requests.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant = relationship("Participant", lazy="joined")


class MeetingRequest(TimestampMixin, db.Model):
    """One participant asks for a table with one or more others (a buyer with several IKMs
    of a consortium). It is accepted once every invitee accepts; one decline declines it."""

    __tablename__ = "event_meeting_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    from_participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    priority: Mapped[int] = mapped_column(Integer, default=2)
    state: Mapped[str] = mapped_column(String(10), default=RequestState.REQUESTED, index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event = relationship("Event")
    sender = relationship("Participant", lazy="joined", foreign_keys=[from_participant_id])
    invitees = relationship(
        "MeetingInvitee",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="MeetingInvitee.participant_id",
    )

    @property
    def state_label(self) -> str:
        return str(REQUEST_STATE_LABELS[RequestState(self.state)])

    @property
    def participant_ids(self) -> frozenset[int]:
        """Everyone at the table: the sender and the invitees."""
        return frozenset({self.from_participant_id, *(i.participant_id for i in self.invitees)})


class Meeting(db.Model):
    """An accepted request placed at a table in a slot (the scheduler's output)."""

    __tablename__ = "event_meetings"
    __table_args__ = (UniqueConstraint("event_id", "slot", "table_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("event_meeting_requests.id", ondelete="CASCADE"), unique=True
    )
    slot: Mapped[int] = mapped_column(Integer)
    table_number: Mapped[int] = mapped_column(Integer)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)

    request = relationship("MeetingRequest")


class RunState(StrEnum):
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


class ScheduleRun(db.Model):
    """One run of the scheduler for an event, queued by the office and run after the response
    (or by ``flask events schedule``). ``unplaced`` lists ``[request id, reason code]``;
    ``error`` is a ``ProblemError.reason`` when the problem could not be scheduled."""

    __tablename__ = "event_schedule_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=RunState.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    placed: Mapped[int] = mapped_column(Integer, default=0)
    unplaced: Mapped[list] = mapped_column(JSON, default=list)
    is_optimal: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str] = mapped_column(String(40), default="")


class OutcomeKind(StrEnum):
    NO_INTEREST = "no_interest"
    FOLLOW_UP = "follow_up"
    SAMPLE_REQUESTED = "sample_requested"
    QUOTE_REQUESTED = "quote_requested"
    DEAL = "deal"


OUTCOME_KIND_LABELS = {
    OutcomeKind.NO_INTEREST: _l("No interest"),
    OutcomeKind.FOLLOW_UP: _l("Follow-up"),
    OutcomeKind.SAMPLE_REQUESTED: _l("Sample requested"),
    OutcomeKind.QUOTE_REQUESTED: _l("Quote requested"),
    OutcomeKind.DEAL: _l("Deal"),
}


class MeetingOutcome(db.Model):
    """What one participant says came of a meeting, once its slot has started; one per
    participant and meeting, which it may change. Seen only by that participant and the
    office. ``value`` is in Rupiah; ``quantity`` in ``unit`` (app.core.units).
    ``buyer_request_id`` is the matching request a buyer's "quote requested" or deal opened."""

    __tablename__ = "event_meeting_outcomes"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("event_meetings.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), index=True)
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    buyer_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_requests.id", ondelete="SET NULL")
    )

    meeting = relationship("Meeting")
    participant = relationship("Participant")
    buyer_request = relationship("BuyerRequest")

    @property
    def kind_label(self) -> str:
        return str(OUTCOME_KIND_LABELS[OutcomeKind(self.kind)])
