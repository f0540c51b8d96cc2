"""The programme's trade figures: buyer requests, quotes and deals over time, at events and
outside them, demand by sector, and orders for export by the IKM's own region.

Definitions (the page shows them as each table's note):

- a *request* counts in the month it was opened (sent out), a *quote* in the month the IKM made
  it, an *accepted quote* in the month the buyer accepted it, at its accepted quantity (or its
  quoted one) times its unit price;
- an *event deal* is a meeting with a "deal" outcome, counted once, with the buyer's figures
  when the buyer recorded it (as the event report counts it), in the month it was recorded;
- an order is *for export* when the ordering organisation is an exporter partner (such as a shoe
  exporter that buys from IKMs); it counts under the IKM's kabupaten/kota, which is the point:
  the goods leave the region recorded as coming from where they were made.

With a sector or kabupaten/kota filter, requests count when they were sent to an IKM of that
sector or region, quotes and deals when their IKM is of it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from app.admin.figures import UNKNOWN, ikm_scope, region_label, sector_label
from app.admin.filters import Filters
from app.admin.tables import COUNT, RUPIAH, TEXT, Column, Table
from app.catalog.models import Category
from app.core.units import unit_name
from app.events.models import (
    Meeting,
    MeetingInvitee,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    Participant,
    ParticipantKind,
)
from app.extensions import db
from app.matching.models import BuyerRequest, Quote, QuoteState, Recipient
from app.orgs.models import IKM, Partner, PartnerType, Sector

# The catalogue's sectors (category tree roots) as the IKM sectors of their profiles.
CATEGORY_SECTORS = {
    "alas-kaki": Sector.FOOTWEAR.value,
    "batik": Sector.BATIK.value,
    "kriya": Sector.CRAFTS.value,
    "makanan": Sector.FOOD_DRINK.value,
    "minuman": Sector.FOOD_DRINK.value,
    "fashion": Sector.FASHION.value,
    "furnitur": Sector.FURNITURE.value,
    "logam": Sector.METAL.value,
}


def month_of(column):
    """``YYYY-MM`` of a stored UTC time, in Jakarta (UTC+7, no summer time), in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Jakarta", column), "YYYY-MM")
    return func.strftime("%Y-%m", column, "+7 hours")


def months(filters: Filters) -> list[str]:
    found, day = [], date(filters.start.year, filters.start.month, 1)
    while day <= filters.end:
        found.append(f"{day:%Y-%m}")
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def _in_period(column, filters: Filters):
    return (column >= filters.start_at) & (column < filters.end_at)


def _scoped(filters: Filters) -> bool:
    return bool(filters.sector or filters.regency)


def _ikm_ids(filters: Filters):
    return ikm_scope(db.select(IKM.id), filters)


def _requests_by_month(filters: Filters) -> dict[str, int]:
    month = month_of(BuyerRequest.opened_at)
    query = db.select(month, func.count()).where(_in_period(BuyerRequest.opened_at, filters))
    if _scoped(filters):
        query = query.where(
            db.select(Recipient.id)
            .where(Recipient.request_id == BuyerRequest.id)
            .where(Recipient.ikm_id.in_(_ikm_ids(filters)))
            .exists()
        )
    return dict(db.session.execute(query.group_by(month)).all())


def _quotes_by_month(filters: Filters) -> dict[str, int]:
    month = month_of(Quote.created_at)
    query = (
        db.select(month, func.count())
        .join(IKM, IKM.id == Quote.ikm_id)
        .where(_in_period(Quote.created_at, filters))
    )
    return dict(db.session.execute(ikm_scope(query, filters).group_by(month)).all())


def _accepted_quotes():
    quantity = func.coalesce(Quote.accepted_quantity, Quote.quantity)
    return quantity, quantity * Quote.unit_price


def _accepted_by_month(filters: Filters) -> dict[str, tuple[int, int, dict[str, int]]]:
    """Per month: accepted quotes, their value, and their quantities per unit (of the request)."""
    month = month_of(Quote.decided_at)
    quantity, value = _accepted_quotes()
    query = (
        db.select(month, BuyerRequest.unit, func.count(), func.sum(value), func.sum(quantity))
        .join(IKM, IKM.id == Quote.ikm_id)
        .join(BuyerRequest, BuyerRequest.id == Quote.request_id)
        .where(Quote.state == QuoteState.ACCEPTED, _in_period(Quote.decided_at, filters))
    )
    found: dict[str, tuple[int, int, dict[str, int]]] = {}
    for m, unit, n, v, q in db.session.execute(
        ikm_scope(query, filters).group_by(month, BuyerRequest.unit)
    ):
        count, total, units = found.get(m, (0, 0, {}))
        units[unit] = units.get(unit, 0) + int(q or 0)
        found[m] = (count + n, total + int(v or 0), units)
    return found


def _quantities(units: dict[str, int]) -> str:
    """ "1.500 pasang; 300 pcs": units are never added across."""
    return "; ".join(
        f"{qty:,}".replace(",", ".") + f" {unit_name(unit, qty)}"
        for unit, qty in sorted(units.items())
    )


def _table_members():
    """(meeting request id, participant id) for everyone at each meeting request's table."""
    return db.union_all(
        db.select(
            MeetingRequest.id.label("request_id"),
            MeetingRequest.from_participant_id.label("participant_id"),
        ),
        db.select(
            MeetingInvitee.meeting_request_id.label("request_id"),
            MeetingInvitee.participant_id.label("participant_id"),
        ),
    ).subquery()


def event_deals(filters: Filters) -> list[tuple[int, str, int, int | None]]:
    """(meeting id, month, value, first IKM's organisation id) per event deal recorded in the
    period, each meeting once, with the buyer's figures first."""
    buyer_first = case((Participant.kind == ParticipantKind.BUYER, 0), else_=1)
    rows = db.session.execute(
        db.select(
            MeetingOutcome.meeting_id,
            month_of(MeetingOutcome.recorded_at),
            MeetingOutcome.value,
        )
        .join(Participant, Participant.id == MeetingOutcome.participant_id)
        .where(MeetingOutcome.kind == OutcomeKind.DEAL)
        .where(_in_period(MeetingOutcome.recorded_at, filters))
        .order_by(MeetingOutcome.meeting_id, buyer_first, MeetingOutcome.id)
    ).all()
    deals: dict[int, tuple[str, int]] = {}
    for meeting_id, month, value in rows:
        deals.setdefault(meeting_id, (month, int(value or 0)))
    if not deals:
        return []
    members = _table_members()
    ikm_of: dict[int, int] = {}
    for meeting_id, org_id in db.session.execute(
        db.select(Meeting.id, Participant.organisation_id)
        .join(members, members.c.request_id == Meeting.request_id)
        .join(Participant, Participant.id == members.c.participant_id)
        .where(Meeting.id.in_(list(deals)), Participant.kind == ParticipantKind.IKM)
        .order_by(Meeting.id, Participant.id)
    ):
        if org_id is not None:
            ikm_of.setdefault(meeting_id, org_id)
    found = [(mid, month, value, ikm_of.get(mid)) for mid, (month, value) in deals.items()]
    if _scoped(filters):
        allowed = set(db.session.scalars(_ikm_ids(filters).where(IKM.id.in_(ikm_of.values()))))
        found = [row for row in found if row[3] in allowed]
    return found


def trade_by_month(filters: Filters) -> Table:
    requests = _requests_by_month(filters)
    quotes = _quotes_by_month(filters)
    accepted = _accepted_by_month(filters)
    deals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, month, value, _ in event_deals(filters):
        deals[month][0] += 1
        deals[month][1] += value
    rows = []
    for month in months(filters):
        yes, value, units = accepted.get(month, (0, 0, {}))
        at_events, event_value = deals.get(month, (0, 0))
        rows.append(
            (
                month,
                requests.get(month, 0),
                quotes.get(month, 0),
                yes,
                _quantities(units),
                value,
                at_events,
                event_value,
            )
        )
    return Table(
        slug="permintaan-per-bulan",
        title=str(_l("Buyer requests, quotes and deals by month")),
        columns=(
            Column("month", str(_l("Month")), TEXT),
            Column("requests", str(_l("Requests opened")), COUNT),
            Column("quotes", str(_l("Quotes made")), COUNT),
            Column("accepted", str(_l("Quotes accepted")), COUNT),
            Column("accepted_quantity", str(_l("Accepted quantities")), TEXT),
            Column("accepted_value", str(_l("Accepted value")), RUPIAH),
            Column("event_deals", str(_l("Deals at events")), COUNT),
            Column("event_value", str(_l("Value of event deals")), RUPIAH),
        ),
        rows=tuple(rows),
        note=str(
            _l(
                "Requests by the month they were opened, quotes by the month they were made, "
                "accepted quotes (quantity × unit price) by the month the buyer accepted them; "
                "deals at business-matching events by the month they were recorded, each "
                "meeting once."
            )
        ),
        chart="line",
        extra={"series": ("accepted_value", "event_value")},
    )


def demand_by_sector(filters: Filters) -> dict[tuple[str, str], int]:
    """(IKM sector, unit) -> quantity of the buyer requests opened in the period."""
    parent = db.aliased(Category)
    root = func.coalesce(parent.slug, Category.slug)
    rows = db.session.execute(
        db.select(root, BuyerRequest.unit, func.sum(BuyerRequest.quantity))
        .join(Category, Category.id == BuyerRequest.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(_in_period(BuyerRequest.opened_at, filters))
        .group_by(root, BuyerRequest.unit)
    ).all()
    demand: dict[tuple[str, str], int] = defaultdict(int)
    for slug, unit, quantity in rows:
        sector = CATEGORY_SECTORS.get(slug, Sector.OTHER.value)
        if filters.sector and sector != filters.sector:
            continue
        demand[(sector, unit or "")] += int(quantity or 0)
    return dict(demand)


def exports_by_origin(filters: Filters) -> Table:
    """Accepted orders of exporter partners, by the kabupaten/kota of the IKM that makes them."""
    _, value = _accepted_quotes()
    exporter = (
        db.select(Partner.id)
        .where(Partner.partner_type == PartnerType.EXPORTER)
        .correlate(None)
        .scalar_subquery()
    )
    query = (
        db.select(IKM.regency_code, IKM.sector, func.count(), func.sum(value))
        .select_from(Quote)
        .join(IKM, IKM.id == Quote.ikm_id)
        .where(Quote.state == QuoteState.ACCEPTED, _in_period(Quote.decided_at, filters))
        .where(
            Quote.request_id.in_(
                db.select(BuyerRequest.id).where(BuyerRequest.buyer_org_id.in_(exporter))
            )
        )
        .group_by(IKM.regency_code, IKM.sector)
        .order_by(func.sum(value).desc(), IKM.regency_code)
    )
    rows = db.session.execute(ikm_scope(query, filters)).all()
    return Table(
        slug="ekspor-per-asal",
        title=str(_l("Orders for export by origin")),
        columns=(
            Column("region", str(_l("Kabupaten/kota of the IKM"))),
            Column("sector", str(_l("Sector"))),
            Column("orders", str(_l("Orders accepted")), COUNT),
            Column("value", str(_l("Value")), RUPIAH),
        ),
        rows=tuple(
            (region_label(code), sector_label(sector), n, int(v or 0))
            for code, sector, n, v in rows
        ),
        note=str(
            _l(
                "Quotes accepted in the period on requests of exporter partners, under the "
                "IKM's own kabupaten/kota and sector: what leaves the region as made there."
            )
        ),
        chart="hbar",
        extra={"label": ("region", "sector"), "series": ("value",)},
    )


__all__ = ["UNKNOWN", "demand_by_sector", "exports_by_origin", "trade_by_month"]
