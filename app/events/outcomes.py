"""What came of a meeting, as each side records it once the meeting's slot has started, and
how a buyer's "quote requested" or deal continues in matching. Services flush, never commit.

A buyer's "quote requested" or deal with the IKMs at its table sends them a matching request:
the open request the buyer linked to its registration when there is one, otherwise a new
request pre-filled from the meeting (created, opened and sent through app.matching, whose
rules apply). The outcome keeps a link to it; recording again reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.core import audit, clock
from app.core.errors import DomainValidationError
from app.core.units import Unit
from app.events.agenda import table_of
from app.events.models import (
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    Participant,
    ParticipantKind,
)
from app.events.slots import event_slots
from app.extensions import db
from app.matching import quotes
from app.matching import services as requests
from app.matching.models import RequestState
from app.matching.services import MAX_QUANTITY

# A deal worth more than this is a typing error, not a deal an IKM cluster could sign.
MAX_VALUE = 2_000_000_000  # Rp2 billion
NOTE_MAX = 1000
DELIVERY_DAYS = 30  # a request opened from a meeting asks for delivery a month on
OPENS_MATCHING = frozenset({OutcomeKind.QUOTE_REQUESTED, OutcomeKind.DEAL})


@dataclass(frozen=True)
class OutcomeData:
    kind: str
    quantity: int | None = None
    unit: str | None = None
    value: int | None = None
    note: str = ""


def meeting_started(meeting: Meeting) -> bool:
    """Whether the meeting's slot has begun by the clock (and it is published)."""
    slots = event_slots(meeting.request.event)
    if not meeting.is_published or meeting.slot >= len(slots):
        return False
    return slots[meeting.slot][0] <= clock.now()


def at_table(meeting: Meeting, participant: Participant) -> bool:
    return participant.id in meeting.request.participant_ids


def validate(data: OutcomeData) -> None:
    """:raises DomainValidationError: naming the field at fault"""
    if data.kind not in set(OutcomeKind):
        raise DomainValidationError(_l("Choose what came of the meeting."), field="kind")
    if data.unit is not None and data.unit not in set(Unit):
        raise DomainValidationError(_l("Choose a unit from the list."), field="unit")
    if data.quantity is not None and not 1 <= data.quantity <= MAX_QUANTITY:
        raise DomainValidationError(
            _l("The quantity must be between 1 and 10,000,000."), field="quantity"
        )
    if data.quantity is not None and data.unit is None:
        raise DomainValidationError(_l("Choose the unit of the quantity."), field="unit")
    if data.value is not None and not 1 <= data.value <= MAX_VALUE:
        raise DomainValidationError(
            _l("The value must be between Rp1 and Rp2,000,000,000."), field="value"
        )
    if data.kind == OutcomeKind.DEAL:
        if data.quantity is None:
            raise DomainValidationError(_l("A deal needs the quantity agreed."), field="quantity")
        if data.value is None:
            raise DomainValidationError(_l("A deal needs its value in Rupiah."), field="value")
    if len(data.note or "") > NOTE_MAX:
        raise DomainValidationError(
            _l("The note is too long: at most 1,000 characters."), field="note"
        )


def outcome_of(meeting: Meeting, participant: Participant) -> MeetingOutcome | None:
    return db.session.scalars(
        db.select(MeetingOutcome).filter_by(meeting_id=meeting.id, participant_id=participant.id)
    ).first()


def outcomes_by_meeting(participant: Participant) -> dict[int, MeetingOutcome]:
    """The participant's own outcomes, by meeting id (one query)."""
    return {
        o.meeting_id: o
        for o in db.session.scalars(
            db.select(MeetingOutcome).filter_by(participant_id=participant.id)
        )
    }


def record(meeting: Meeting, participant: Participant, data: OutcomeData, by) -> MeetingOutcome:
    """Record (or change) what ``participant`` says came of ``meeting``.

    :raises DomainValidationError: for bad figures, a meeting that has not started, or a
        participant not at its table (views answer 404 before that)
    """
    if not at_table(meeting, participant):
        raise DomainValidationError(_l("You are not at this meeting's table."))
    if not meeting_started(meeting):
        raise DomainValidationError(_l("The outcome can be recorded once the meeting has started."))
    validate(data)
    outcome = outcome_of(meeting, participant) or MeetingOutcome(
        meeting_id=meeting.id, participant_id=participant.id
    )
    outcome.kind = data.kind
    outcome.quantity = data.quantity
    outcome.unit = data.unit if data.quantity is not None else None
    outcome.value = data.value
    outcome.note = (data.note or "").strip()
    outcome.recorded_at = clock.now()
    outcome.recorded_by_id = by.id
    db.session.add(outcome)
    db.session.flush()
    if data.kind in OPENS_MATCHING and participant.kind == ParticipantKind.BUYER:
        _open_matching(meeting, participant, outcome, by)
    audit.record("meeting.outcome", meeting, actor=by, kind=data.kind, participant=participant.id)
    return outcome


def _open_matching(meeting: Meeting, buyer: Participant, outcome: MeetingOutcome, by) -> None:
    ikms = [p for p in table_of(meeting) if p.kind == ParticipantKind.IKM]
    if not ikms:
        return
    request = outcome.buyer_request
    if request is None or request.state != RequestState.OPEN:
        request = next((r for r in buyer.requests if r.state == RequestState.OPEN), None)
    if request is None:
        request = _new_request(meeting, buyer, ikms, outcome, by)
    quotes.send(request, {p.organisation_id: None for p in ikms}, by=by)
    outcome.buyer_request_id = request.id
    db.session.flush()


def _new_request(meeting, buyer: Participant, ikms: list[Participant], outcome, by):
    products = [product for p in ikms for product in p.products]
    first = products[0] if products else None
    if first is not None:
        title = ", ".join(p.name for p in products[:3])
    else:
        title = ikms[0].offers or ikms[0].organisation.name
    title = str(_l("%(what)s (from %(event)s)", what=title, event=meeting.request.event.name))
    data = requests.RequestData(
        title=title[:150],
        quantity=outcome.quantity or (first.min_order_qty if first else 1),
        unit=outcome.unit or (first.unit if first else Unit.PASANG.value),
        delivery_on=clock.today() + timedelta(days=DELIVERY_DAYS),
        category_id=first.category_id if first else None,
        specification=outcome.note,
    )
    created = requests.create_request(buyer.organisation, data, by=by)
    return requests.open_request(created, by=by)
