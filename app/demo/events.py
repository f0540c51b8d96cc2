"""A demo business-matching event: "Temu Bisnis Alas Kaki Kota Mojokerto <year>" at Graha
Mojokerto Service City, open for registration, with the demo shoemakers and Ramayana
registered and some of Ramayana's meeting requests accepted; and last season's event, two
months ago, closed, with its schedule published (the scheduler placed its accepted meetings), so
that agendas, the .ics download and the table cards have something to show, and both sides'
outcomes recorded (two deals, quote requests that opened matching requests), so that its
report has figures.

Idempotent: the event is looked up by its name, participants by organisation, and a meeting
is asked for only once (the service refuses a duplicate).
"""

from __future__ import annotations

from datetime import time, timedelta

from app.auth.models import User
from app.core import clock
from app.demo.people import ADMIN, DOMAIN
from app.events import meetings, schedule, services, workflow
from app.events.models import (
    Event,
    EventState,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    RequestState,
)
from app.events.slots import event_slots
from app.extensions import db
from app.orgs.models import IKM, Partner, VerificationStatus

VENUE = "Graha Mojokerto Service City"


def _user(login: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=f"{login}@{DOMAIN}"))


def _event(admin: User) -> Event:
    today = clock.today()
    name = f"Temu Bisnis Alas Kaki Kota Mojokerto {today.year}"
    found = db.session.scalar(db.select(Event).filter_by(name=name))
    if found is not None:
        return found
    data = services.EventData(
        name=name,
        venue=VENUE,
        description=(
            "Temu bisnis IKM alas kaki Kota Mojokerto dengan pembeli ritel, eksportir, pemasok "
            "kulit dari Magetan, Aprisindo dan Bea Cukai. Pertemuan 20 menit per meja."
        ),
        starts_on=today + timedelta(days=21),
        ends_on=today + timedelta(days=21),
        day_starts_at=time(9),
        day_ends_at=time(15),
        meeting_minutes=20,
        breaks=[(time(12), time(13))],
        tables=30,
        registration_opens_on=today,
        registration_closes_on=today + timedelta(days=14),
        invited_kinds=["ikm", "buyer", "partner", "supplier", "observer"],
        invited_sectors=["alas_kaki"],
    )
    found = services.create_event(data, by=admin, today=today)
    workflow.transition(found, workflow.Action.OPEN_REGISTRATION, by=admin)
    return found


def _register(event: Event, org, kind: str, today=None, **values) -> Participant:
    found = db.session.scalar(
        db.select(Participant).filter_by(event_id=event.id, organisation_id=org.id)
    )
    if found is not None:
        return found
    by = next(m.user for m in org.memberships if m.role in ("owner", "partner_admin", "buyer"))
    count = len(event_slots(event))
    data = services.RegistrationData(
        kind=kind,
        available_slots=list(range(count)),
        max_meetings=min(8, count),
        **values,
    )
    return services.register(event, org, data, by=by, today=today or clock.today())


def _shoemakers() -> list[IKM]:
    """The footwear IKMs, the verified ones first (they are the ones matching recommends)."""
    found = db.session.scalars(db.select(IKM).filter_by(sector="alas_kaki").order_by(IKM.name))
    return sorted(found, key=lambda ikm: ikm.status != VerificationStatus.VERIFIED)


def seed_events() -> dict[str, int]:
    admin = _user(ADMIN[0])
    _past_event(admin)
    event = _event(admin)
    if event.state != EventState.REGISTRATION_OPEN:
        return _counts()
    ramayana = db.session.scalar(db.select(Partner).filter_by(name="Ramayana"))
    requests = services.open_requests(ramayana)
    buyer = _register(
        event,
        ramayana,
        "buyer",
        seeks="Sepatu pantofel wanita untuk gerai Ramayana di seluruh Indonesia.",
        request_ids=[r.id for r in requests[:1]],
    )
    makers = [
        _register(
            event,
            ikm,
            "ikm",
            offers="Sepatu kulit buatan tangan Mojokerto.",
            product_ids=[p.id for p in services.active_products(ikm)[:3]],
        )
        for ikm in _shoemakers()
    ]
    exporter = db.session.scalar(db.select(Partner).filter_by(name="PT Inti Dragon Suryatama"))
    if exporter is not None:
        _register(event, exporter, "partner", seeks="IKM mitra untuk pesanan ekspor sepatu.")
    db.session.flush()
    _meetings(event, buyer, makers)
    return _counts()


def _meetings(event: Event, buyer: Participant, makers: list[Participant]) -> None:
    """Ramayana asks the first four shoemakers; the first two accept, the others have yet to answer."""
    if db.session.scalar(db.select(MeetingRequest.id).filter_by(event_id=event.id)):
        return
    by = _user("ramayana")
    for index, maker in enumerate(makers[:4]):
        request = meetings.request_meeting(
            event,
            buyer,
            [maker.id],
            priority=3 if index == 0 else 2,
            message="Kami mencari pemasok pantofel wanita kulit sintetis untuk gerai kami.",
            by=by,
        )
        if index < 2:
            owner = next(m.user for m in maker.organisation.memberships if m.role == "owner")
            meetings.answer(request, True, by=owner)


def _past_event(admin: User) -> None:
    """Last season's event: registration, accepted meetings, the scheduler's placing, published,
    held and closed. Published here without the notifications: it is long over."""
    opened = clock.today() - timedelta(days=75)
    held = opened + timedelta(days=14)
    name = f"Temu Bisnis Sepatu dan Sandal Jawa Timur {held.year}"
    if db.session.scalar(db.select(Event.id).filter_by(name=name)):
        return
    data = services.EventData(
        name=name,
        venue=VENUE,
        description="Temu bisnis IKM sepatu dan sandal dengan pembeli ritel dan eksportir.",
        starts_on=held,
        ends_on=held,
        day_starts_at=time(9),
        day_ends_at=time(12),
        meeting_minutes=30,
        breaks=[(time(10, 30), time(10, 45))],
        tables=6,
        registration_opens_on=opened,
        registration_closes_on=opened + timedelta(days=10),
        invited_kinds=["ikm", "buyer", "partner"],
        invited_sectors=["alas_kaki"],
    )
    event = services.create_event(data, by=admin, today=opened)
    workflow.transition(event, workflow.Action.OPEN_REGISTRATION, by=admin)
    ramayana = db.session.scalar(db.select(Partner).filter_by(name="Ramayana"))
    buyer = _register(event, ramayana, "buyer", today=opened, seeks="Sandal dan sepatu wanita.")
    makers = [
        _register(event, ikm, "ikm", today=opened, offers="Sepatu dan sandal kulit Mojokerto.")
        for ikm in _shoemakers()[:6]
    ]
    db.session.flush()
    for index, maker in enumerate(makers):
        request = meetings.request_meeting(
            event,
            buyer,
            [maker.id],
            priority=3 if index < 2 else 2,
            message="Kami mencari pemasok sandal kulit untuk musim Lebaran.",
            by=_user("ramayana"),
        )
        owner = next(m.user for m in maker.organisation.memberships if m.role == "owner")
        meetings.answer(request, True, by=owner)
    workflow.transition(event, workflow.Action.CLOSE_REGISTRATION, by=admin)
    schedule.execute(schedule.new_run(event, by=admin), time_limit=5.0)
    workflow.transition(event, workflow.Action.PUBLISH, by=admin)
    db.session.execute(
        db.update(Meeting).where(Meeting.event_id == event.id).values(is_published=True)
    )
    workflow.transition(event, workflow.Action.START, by=admin)
    _outcomes(event, buyer)
    workflow.transition(event, workflow.Action.CLOSE, by=admin)


# What each side of the past event's meetings recorded, in table order: (buyer's outcome, the
# IKM's); a kind and, for a deal, (quantity, unit, value in Rupiah).
PAST_OUTCOMES = [
    (("deal", 600, "pasang", 72_000_000), ("deal", 600, "pasang", 72_000_000)),
    (("deal", 20, "kodi", 24_000_000), ("deal", 20, "kodi", 25_000_000)),
    (("quote_requested", None, None, None), ("sample_requested", None, None, None)),
    (("sample_requested", None, None, None), ("follow_up", None, None, None)),
    (("no_interest", None, None, None), ("follow_up", None, None, None)),
    (None, ("no_interest", None, None, None)),
]


def _outcomes(event: Event, buyer: Participant) -> None:
    """Both sides record what came of the past event's meetings, through the same service as
    the agenda (so Ramayana's deals and quote requests open matching requests to verified
    IKMs); dated at the end of each meeting."""
    from app.events import outcomes

    slots = event_slots(event)
    placed = db.session.scalars(
        db.select(Meeting).filter_by(event_id=event.id).order_by(Meeting.slot, Meeting.table_number)
    ).all()
    for meeting, (for_buyer, for_ikm) in zip(placed, PAST_OUTCOMES, strict=False):
        maker = next(i.participant for i in meeting.request.invitees)
        owner = next(m.user for m in maker.organisation.memberships if m.role == "owner")
        for side, user, said in ((buyer, _user("ramayana"), for_buyer), (maker, owner, for_ikm)):
            if said is None:
                continue
            kind, quantity, unit, value = said
            if (
                side is buyer
                and kind in outcomes.OPENS_MATCHING
                and not maker.organisation.is_verified
            ):
                kind, quantity, unit, value = "follow_up", None, None, None
            recorded = outcomes.record(
                meeting,
                side,
                outcomes.OutcomeData(kind=kind, quantity=quantity, unit=unit, value=value),
                by=user,
            )
            recorded.recorded_at = slots[meeting.slot][1]


def _counts() -> dict[str, int]:
    return {
        "events": db.session.scalar(db.select(db.func.count(Event.id))),
        "event participants": db.session.scalar(db.select(db.func.count(Participant.id))),
        "scheduled meetings": db.session.scalar(db.select(db.func.count(Meeting.id))),
        "meeting outcomes": db.session.scalar(db.select(db.func.count(MeetingOutcome.id))),
        "accepted meeting requests": db.session.scalar(
            db.select(db.func.count(MeetingRequest.id)).filter_by(state=RequestState.ACCEPTED)
        ),
    }
