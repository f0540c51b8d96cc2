"""The demo's business-matching events, all at Graha Mojokerto Service City:

- "Temu Bisnis Alas Kaki Kota Mojokerto <year>": yesterday and today, under way. The shoemakers,
  Ramayana (as a buyer) and the exporter PT Inti Dragon Suryatama registered; their accepted
  meetings were placed by the scheduler and published; everyone but one IKM checked in (that
  one is a no-show); yesterday's meetings have their outcomes recorded, except Ramayana's with
  Sepatu Kulit Sumber Rejeki, which the demo accounts ``ramayana`` and ``sumberrejeki`` record
  themselves from their agendas. The hall page shows today's tables.
- "Temu Bisnis Kriya dan Batik Kota Mojokerto <year>": three weeks ahead, open for registration,
  with the batik and craft IKMs and The Keranjang Bali registered and some meeting requests
  accepted, others waiting for an answer.
- Last season's footwear event, two months ago, closed, with its outcomes recorded (two deals,
  quote requests that opened matching requests), so that its report has figures.

Idempotent: an event is looked up by its name, participants by organisation, and a meeting
is asked for only once (the service refuses a duplicate).
"""

from __future__ import annotations

from datetime import time, timedelta

from app.auth.models import User
from app.core import clock
from app.demo.people import ADMIN, DOMAIN
from app.events import meetings, outcomes, schedule, services, workflow
from app.events.models import (
    Event,
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


def _create(admin: User, name: str, opened, **values) -> Event | None:
    """A new event opened for registration on ``opened``; None when it exists already."""
    if db.session.scalar(db.select(Event.id).filter_by(name=name)):
        return None
    data = services.EventData(
        name=name,
        venue=VENUE,
        registration_opens_on=opened,
        **values,
    )
    event = services.create_event(data, by=admin, today=opened)
    workflow.transition(event, workflow.Action.OPEN_REGISTRATION, by=admin)
    return event


def _running_event(admin: User) -> None:
    """The footwear event, yesterday and today: scheduled, published, under way."""
    today = clock.today()
    opened = today - timedelta(days=30)
    event = _create(
        admin,
        f"Temu Bisnis Alas Kaki Kota Mojokerto {today.year}",
        opened,
        description=(
            "Temu bisnis IKM alas kaki Kota Mojokerto dengan pembeli ritel, eksportir, pemasok "
            "kulit dari Magetan, Aprisindo dan Bea Cukai. Pertemuan 20 menit per meja."
        ),
        starts_on=today - timedelta(days=1),
        ends_on=today,
        day_starts_at=time(9),
        day_ends_at=time(15),
        meeting_minutes=20,
        breaks=[(time(12), time(13))],
        tables=30,
        registration_closes_on=opened + timedelta(days=21),
        invited_kinds=["ikm", "buyer", "partner", "supplier", "observer"],
        invited_sectors=["alas_kaki"],
    )
    if event is None:
        return
    # Ramayana came yesterday, the exporter today: their meetings fall on those days.
    slots = event_slots(event)
    yesterday = [n for n, (start, _end) in enumerate(slots) if start.date() == slots[0][0].date()]
    later = [n for n in range(len(slots)) if n not in yesterday]
    ramayana = db.session.scalar(db.select(Partner).filter_by(name="Ramayana"))
    buyer = _register(
        event,
        ramayana,
        "buyer",
        today=opened,
        slots=yesterday,
        seeks="Sepatu pantofel wanita untuk gerai Ramayana di seluruh Indonesia.",
        request_ids=[r.id for r in services.open_requests(ramayana)[:1]],
    )
    makers = [
        _register(
            event,
            ikm,
            "ikm",
            today=opened,
            offers="Sepatu kulit buatan tangan Mojokerto.",
            product_ids=[p.id for p in services.active_products(ikm)[:3]],
        )
        for ikm in _shoemakers()
    ]
    exporter = db.session.scalar(db.select(Partner).filter_by(name="PT Inti Dragon Suryatama"))
    senders = [(buyer, "ramayana")]
    if exporter is not None:
        senders.append(
            (
                _register(
                    event,
                    exporter,
                    "partner",
                    today=opened,
                    slots=later,
                    seeks="IKM mitra untuk pesanan ekspor sepatu.",
                ),
                "intidragon",
            )
        )
    db.session.flush()
    for sender, login in senders:
        for index, maker in enumerate(makers):
            request = meetings.request_meeting(
                event,
                sender,
                [maker.id],
                priority=3 if index < 2 else 2,
                message="Kami mencari pemasok sepatu kulit wanita untuk musim depan.",
                by=_user(login),
            )
            meetings.answer(request, True, by=_owner(maker))
    workflow.transition(event, workflow.Action.CLOSE_REGISTRATION, by=admin)
    schedule.execute(schedule.new_run(event, by=admin), time_limit=5.0)
    _publish_quietly(event, admin)
    workflow.transition(event, workflow.Action.START, by=admin)
    _check_in(event, makers[-1])
    _yesterdays_outcomes(event, buyer)


def _upcoming_event(admin: User) -> None:
    """The craft and batik event three weeks ahead, open for registration."""
    today = clock.today()
    event = _create(
        admin,
        f"Temu Bisnis Kriya dan Batik Kota Mojokerto {today.year}",
        today,
        description=(
            "Temu bisnis IKM batik dan kriya (kuningan Trowulan, anyaman, batik tulis) dengan "
            "pusat oleh-oleh dan pembeli hotel. Pertemuan 30 menit per meja."
        ),
        starts_on=today + timedelta(days=21),
        ends_on=today + timedelta(days=21),
        day_starts_at=time(9),
        day_ends_at=time(15),
        meeting_minutes=30,
        breaks=[(time(12), time(13))],
        tables=20,
        registration_closes_on=today + timedelta(days=14),
        invited_kinds=["ikm", "buyer", "partner", "observer"],
        invited_sectors=["batik", "kriya", "fashion"],
    )
    if event is None:
        return
    keranjang = db.session.scalar(db.select(Partner).filter_by(name="The Keranjang Bali"))
    buyer = _register(
        event,
        keranjang,
        "buyer",
        seeks="Batik tulis, kerajinan kuningan dan anyaman untuk gerai oleh-oleh di Bali.",
    )
    makers = [
        _register(
            event,
            ikm,
            "ikm",
            offers="Batik dan kriya buatan tangan Mojokerto.",
            product_ids=[p.id for p in services.active_products(ikm)[:3]],
        )
        for ikm in db.session.scalars(
            db.select(IKM).filter(IKM.sector.in_(["batik", "kriya", "fashion"])).order_by(IKM.name)
        )
    ]
    db.session.flush()
    for index, maker in enumerate(makers[:4]):
        request = meetings.request_meeting(
            event,
            buyer,
            [maker.id],
            priority=3 if index == 0 else 2,
            message="Kami mencari produk khas Mojokerto untuk gerai oleh-oleh kami di Bali.",
            by=_user("keranjang"),
        )
        if index < 2:
            meetings.answer(request, True, by=_owner(maker))


def _owner(participant: Participant) -> User:
    return next(m.user for m in participant.organisation.memberships if m.role == "owner")


def _publish_quietly(event: Event, admin: User) -> None:
    """Publish without telling anyone: the demo's mail would go to made-up addresses."""
    workflow.transition(event, workflow.Action.PUBLISH, by=admin)
    db.session.execute(
        db.update(Meeting).where(Meeting.event_id == event.id).values(is_published=True)
    )


def _check_in(event: Event, absent: Participant) -> None:
    """Everyone arrived a quarter of an hour before the first meeting, but ``absent``."""
    arrived = event_slots(event)[0][0] - timedelta(minutes=15)
    for participant in db.session.scalars(db.select(Participant).filter_by(event_id=event.id)):
        if participant.id == absent.id:
            participant.no_show = True
        else:
            participant.checked_in_at = arrived


# What each side said of yesterday's meetings, in turn: (the sender's outcome, the IKM's).
YESTERDAY = [
    (("deal", 1500, "pasang", 180_000_000), ("deal", 1500, "pasang", 180_000_000)),
    (("quote_requested", None, None, None), ("follow_up", None, None, None)),
    (("sample_requested", None, None, None), ("sample_requested", None, None, None)),
    (("follow_up", None, None, None), ("follow_up", None, None, None)),
    (("deal", 30, "kodi", 27_000_000), ("deal", 30, "kodi", 27_000_000)),
    (("no_interest", None, None, None), ("follow_up", None, None, None)),
]


def _yesterdays_outcomes(event: Event, buyer: Participant) -> None:
    """Outcomes of yesterday's meetings, but Ramayana's with Sumber Rejeki (left to the demo
    accounts) and those of the absent IKM."""
    slots = event_slots(event)
    first_day = [n for n, (start, _end) in enumerate(slots) if start.date() == slots[0][0].date()]
    placed = db.session.scalars(
        db.select(Meeting)
        .filter(Meeting.event_id == event.id, Meeting.slot.in_(first_day))
        .order_by(Meeting.slot, Meeting.table_number)
    ).all()
    said = iter(YESTERDAY * len(placed))
    for meeting in placed:
        sender = meeting.request.sender
        maker = next(i.participant for i in meeting.request.invitees)
        if maker.no_show or (
            sender.id == buyer.id and maker.organisation.name == "Sepatu Kulit Sumber Rejeki"
        ):
            continue
        for side, user, outcome in zip(
            (sender, maker), (_speaker(sender), _owner(maker)), next(said), strict=True
        ):
            _record(meeting, side, user, outcome, maker, slots)


def _speaker(participant: Participant) -> User:
    return next(
        m.user
        for m in participant.organisation.memberships
        if m.role in ("owner", "partner_admin", "buyer")
    )


def _register(event: Event, org, kind: str, today=None, slots=None, **values) -> Participant:
    found = db.session.scalar(
        db.select(Participant).filter_by(event_id=event.id, organisation_id=org.id)
    )
    if found is not None:
        return found
    by = next(m.user for m in org.memberships if m.role in ("owner", "partner_admin", "buyer"))
    count = len(event_slots(event))
    data = services.RegistrationData(
        kind=kind,
        available_slots=list(range(count)) if slots is None else slots,
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
    _running_event(admin)
    _upcoming_event(admin)
    return _counts()


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
    _publish_quietly(event, admin)
    workflow.transition(event, workflow.Action.START, by=admin)
    _check_in(event, makers[-1])
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
    slots = event_slots(event)
    placed = db.session.scalars(
        db.select(Meeting).filter_by(event_id=event.id).order_by(Meeting.slot, Meeting.table_number)
    ).all()
    for meeting, (for_buyer, for_ikm) in zip(placed, PAST_OUTCOMES, strict=False):
        maker = next(i.participant for i in meeting.request.invitees)
        if maker.no_show:
            continue
        owner = next(m.user for m in maker.organisation.memberships if m.role == "owner")
        for side, user, said in ((buyer, _user("ramayana"), for_buyer), (maker, owner, for_ikm)):
            if said is None:
                continue
            _record(meeting, side, user, said, maker if side is buyer else None, slots)


def _record(meeting: Meeting, side: Participant, user: User, said, maker, slots) -> None:
    """``side`` records ``said`` (kind, quantity, unit, value) through the agenda's service,
    dated at the meeting's end. A request to ``maker`` (None: this side opens none) that is
    not verified cannot be sent, so that outcome becomes a follow-up."""
    kind, quantity, unit, value = said
    if maker is not None and kind in outcomes.OPENS_MATCHING and not maker.organisation.is_verified:
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
