"""The event's report for the trade office: registrations, meeting requests, meetings
scheduled and held, no-shows, outcomes, and deals by IKM sector and by buyer; on a page and
as CSV. Read in seven grouped queries however many participants and meetings there are.

Definitions (as the report page says):

- *scheduled*: meetings placed at a table and slot (of which *published*: on the agendas);
- *held*: a published meeting at which at least one side recorded an outcome, or at which
  everyone at the table was checked in;
- *no-shows*: participants the office marked as not having come;
- *deals*: meetings with a "deal" outcome, each counted once: with the buyer's figures when
  the buyer recorded the deal, otherwise those of the first side that did; filed under the
  sector of the first IKM at the table and under the first buyer at the table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, union_all

from app.core.units import Unit, in_pieces, unit_name
from app.curation.results import safe_cell
from app.events.models import (
    OUTCOME_KIND_LABELS,
    PARTICIPANT_KIND_LABELS,
    REQUEST_STATE_LABELS,
    Event,
    Meeting,
    MeetingInvitee,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    Participant,
    ParticipantKind,
)
from app.extensions import db
from app.orgs.models import SECTOR_LABELS, Organisation, Sector

ORGS = Organisation.__table__


@dataclass
class DealLine:
    label: str
    deals: int = 0
    value: int = 0
    quantities: dict[str, int] = field(default_factory=dict)  # unit -> total

    def add(
        self, quantity: int | None, unit: str | None, value: int | None, footwear: bool = False
    ) -> None:
        """Count a deal; its quantity joins the others of its kind: kodi, lusin and gros in
        pieces (in pairs for footwear), so that 10 kodi and 200 pasang add up to 400 pasang."""
        self.deals += 1
        self.value += value or 0
        if quantity and unit:
            unit, quantity = _counted(unit, quantity, footwear)
            self.quantities[unit] = self.quantities.get(unit, 0) + quantity

    @property
    def quantity_text(self) -> str:
        return "; ".join(
            f"{qty:,}".replace(",", ".") + f" {unit_name(unit, qty)}"
            for unit, qty in sorted(self.quantities.items())
        )


# Units that are so many pieces or pairs; pasang, pcs and set are themselves the count.
_MULTIPLES = {Unit.KODI, Unit.LUSIN, Unit.GROS}


def _counted(unit: str, quantity: int, footwear: bool) -> tuple[str, int]:
    if unit not in _MULTIPLES:
        return unit, quantity
    return (Unit.PASANG if footwear else Unit.PCS).value, in_pieces(quantity, unit)


@dataclass
class Report:
    registrations: dict[str, int]
    no_shows: int
    requests: dict[str, int]
    scheduled: int
    published: int
    held: int
    outcomes: dict[str, int]
    total: DealLine
    by_sector: list[DealLine]
    by_buyer: list[DealLine]


def _members():
    """Everyone at each meeting request's table: (request id, participant id)."""
    return union_all(
        db.select(
            MeetingRequest.id.label("request_id"),
            MeetingRequest.from_participant_id.label("participant_id"),
        ),
        db.select(
            MeetingInvitee.meeting_request_id.label("request_id"),
            MeetingInvitee.participant_id.label("participant_id"),
        ),
    ).subquery()


def event_report(event: Event) -> Report:
    registrations, no_shows = {}, 0
    for kind, count, absent in db.session.execute(
        db.select(
            Participant.kind,
            func.count(),
            func.coalesce(func.sum(case((Participant.no_show.is_(True), 1), else_=0)), 0),
        )
        .filter(Participant.event_id == event.id)
        .group_by(Participant.kind)
    ):
        registrations[kind] = count
        no_shows += int(absent)
    requests = dict(
        db.session.execute(
            db.select(MeetingRequest.state, func.count())
            .filter(MeetingRequest.event_id == event.id)
            .group_by(MeetingRequest.state)
        ).all()
    )
    scheduled, published = db.session.execute(
        db.select(
            func.count(),
            func.coalesce(func.sum(case((Meeting.is_published.is_(True), 1), else_=0)), 0),
        ).filter(Meeting.event_id == event.id)
    ).one()
    members = _members()
    all_checked_in = (
        db.select(members.c.request_id)
        .join(Participant, Participant.id == members.c.participant_id)
        .filter(Participant.event_id == event.id)
        .group_by(members.c.request_id)
        .having(func.count(Participant.checked_in_at) == func.count())
    )
    held = db.session.scalar(
        db.select(func.count(Meeting.id)).filter(
            Meeting.event_id == event.id,
            Meeting.is_published.is_(True),
            or_(
                Meeting.id.in_(db.select(MeetingOutcome.meeting_id)),
                Meeting.request_id.in_(all_checked_in),
            ),
        )
    )
    outcomes = dict(
        db.session.execute(
            db.select(MeetingOutcome.kind, func.count())
            .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
            .filter(Meeting.event_id == event.id)
            .group_by(MeetingOutcome.kind)
        ).all()
    )
    total, by_sector, by_buyer = _deals(event)
    return Report(
        registrations=registrations,
        no_shows=no_shows,
        requests=requests,
        scheduled=scheduled,
        published=int(published),
        held=held or 0,
        outcomes=outcomes,
        total=total,
        by_sector=by_sector,
        by_buyer=by_buyer,
    )


def _deals(event: Event) -> tuple[DealLine, list[DealLine], list[DealLine]]:
    deal_meetings = (
        db.select(MeetingOutcome.meeting_id)
        .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
        .filter(Meeting.event_id == event.id, MeetingOutcome.kind == OutcomeKind.DEAL)
    )
    buyer_first = case((Participant.kind == ParticipantKind.BUYER, 0), else_=1)
    figures: dict[int, tuple] = {}
    for meeting_id, quantity, unit, value in db.session.execute(
        db.select(
            MeetingOutcome.meeting_id,
            MeetingOutcome.quantity,
            MeetingOutcome.unit,
            MeetingOutcome.value,
        )
        .join(Participant, Participant.id == MeetingOutcome.participant_id)
        .filter(
            MeetingOutcome.meeting_id.in_(deal_meetings), MeetingOutcome.kind == OutcomeKind.DEAL
        )
        .order_by(MeetingOutcome.meeting_id, buyer_first, MeetingOutcome.id)
    ):
        figures.setdefault(meeting_id, (quantity, unit, value))
    members = _members()
    sector_of: dict[int, str] = {}
    buyer_of: dict[int, str] = {}
    for meeting_id, kind, name, sector in db.session.execute(
        db.select(Meeting.id, Participant.kind, ORGS.c.name, ORGS.c.sector)
        .join(members, members.c.request_id == Meeting.request_id)
        .join(Participant, Participant.id == members.c.participant_id)
        .join(ORGS, ORGS.c.id == Participant.organisation_id)
        .filter(Meeting.id.in_(deal_meetings))
        .order_by(Meeting.id, Participant.id)
    ):
        if kind == ParticipantKind.IKM:
            sector_of.setdefault(meeting_id, sector or "")
        elif kind == ParticipantKind.BUYER:
            buyer_of.setdefault(meeting_id, name)
    total = DealLine(str(_l("All deals")))
    sectors: dict[str, DealLine] = {}
    buyers: dict[str, DealLine] = {}
    unknown = str(_l("(not given)"))
    for meeting_id, (quantity, unit, value) in figures.items():
        sector = sector_of.get(meeting_id, "")
        footwear = sector == Sector.FOOTWEAR
        total.add(quantity, unit, value, footwear)
        label = str(SECTOR_LABELS[Sector(sector)]) if sector in set(Sector) else unknown
        sectors.setdefault(label, DealLine(label)).add(quantity, unit, value, footwear)
        buyer = buyer_of.get(meeting_id) or unknown
        buyers.setdefault(buyer, DealLine(buyer)).add(quantity, unit, value, footwear)
    ordered = lambda lines: sorted(lines.values(), key=lambda line: (-line.value, line.label))  # noqa: E731
    return total, ordered(sectors), ordered(buyers)


def labelled(report: Report):
    """The report's counts with their labels, in the order the page and the CSV show them."""
    registrations = [
        (str(label), report.registrations.get(kind.value, 0))
        for kind, label in PARTICIPANT_KIND_LABELS.items()
    ]
    requests = [
        (str(label), report.requests.get(state.value, 0))
        for state, label in REQUEST_STATE_LABELS.items()
    ]
    outcomes = [
        (str(label), report.outcomes.get(kind.value, 0))
        for kind, label in OUTCOME_KIND_LABELS.items()
    ]
    meetings = [
        (str(_l("Requested")), sum(report.requests.values())),
        (str(_l("Scheduled")), report.scheduled),
        (str(_l("Published on the agendas")), report.published),
        (str(_l("Held")), report.held),
        (str(_l("No-shows (participants)")), report.no_shows),
    ]
    return registrations, requests, meetings, outcomes


def report_csv(event: Event, report: Report) -> str:
    """The report as CSV: section, item, count, quantity, value (Rupiah). Every cell is
    formula-safe."""
    registrations, requests, meetings, outcomes = labelled(report)
    out = io.StringIO()
    writer = csv.writer(out)
    row = lambda *cells: writer.writerow([safe_cell(c) for c in cells])  # noqa: E731
    row(_l("Section"), _l("Item"), _l("Count"), _l("Quantity"), _l("Value (Rupiah)"))
    for section, lines in (
        (_l("Registrations"), registrations),
        (_l("Meeting requests"), requests),
        (_l("Meetings"), meetings),
        (_l("Outcomes"), outcomes),
    ):
        for label, count in lines:
            row(section, label, count, "", "")
    row(
        _l("Deals"),
        report.total.label,
        report.total.deals,
        report.total.quantity_text,
        report.total.value,
    )
    for section, lines in (
        (_l("Deals by IKM sector"), report.by_sector),
        (_l("Deals by buyer"), report.by_buyer),
    ):
        for line in lines:
            row(section, line.label, line.deals, line.quantity_text, line.value)
    return out.getvalue()
