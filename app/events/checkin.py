"""At the venue: each participant's check-in QR code, the office checking people in at the
door, marking no-shows, and the hall live (which tables meet now and who is missing).

Only administrators check in and mark absences, and only while the schedule is published or
the event is under way. Every change is in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.core import audit, clock
from app.core.errors import Forbidden, InvalidTransition
from app.core.paging import Page, paginate
from app.events.models import (
    Event,
    EventState,
    Meeting,
    MeetingInvitee,
    MeetingRequest,
    Participant,
)
from app.events.permissions import can_run_events
from app.events.slots import VENUE_ZONE, event_slots
from app.extensions import db
from app.orgs.models import Organisation

CHECKIN_STATES = frozenset({EventState.PUBLISHED, EventState.RUNNING})
PARTICIPANTS_PER_PAGE = 50
TABLES_PER_PAGE = 20
SEARCH_MAX = 100

audit.ACTION_LABELS.update(
    {
        "participant.checked_in": _l("Checked in at the event"),
        "participant.no_show": _l("Marked absent from the event"),
        "participant.no_show_undone": _l("Absence from the event undone"),
    }
)


def qr_svg(url: str, label: str) -> Markup:
    """``url`` as a QR code in an inline ``<svg>`` (no XML declaration), ``label`` its title."""
    # segno writes only paths and escapes the title: safe to embed as it is.
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, omitsize=True, title=label, svgclass="qr-code"
    )
    return Markup(svg)  # noqa: S704


def participant_by_token(event: Event, token: str) -> Participant | None:
    """The event's participant whose check-in token is ``token`` (None: none is)."""
    if not token or len(token) > 32:
        return None
    return db.session.scalar(
        db.select(Participant).filter_by(event_id=event.id, checkin_token=token)
    )


def _guard(participant: Participant, by) -> None:
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))
    if participant.event.state not in CHECKIN_STATES:
        raise InvalidTransition(
            _l("Check-in is open only once the schedule is published and while the event runs.")
        )


def check_in(participant: Participant, by) -> bool:
    """Mark ``participant`` arrived now. Checking in twice changes nothing.

    :returns: True when it was checked in now, False when it already was
    :raises Forbidden: when ``by`` is not an administrator
    :raises InvalidTransition: outside the published and running states
    """
    _guard(participant, by)
    if participant.checked_in_at is not None:
        return False
    participant.checked_in_at = clock.now()
    participant.no_show = False
    audit.record("participant.checked_in", participant, actor=by)
    return True


def set_no_show(participant: Participant, absent: bool, by) -> Participant:
    """Mark ``participant`` absent (``absent``) or undo it.

    :raises InvalidTransition: when it has checked in (it is here), or outside the states
    """
    _guard(participant, by)
    if absent and participant.checked_in_at is not None:
        raise InvalidTransition(_l("This participant has checked in and is not absent."))
    if participant.no_show == absent:
        return participant
    participant.no_show = absent
    audit.record(
        "participant.no_show" if absent else "participant.no_show_undone", participant, actor=by
    )
    return participant


def checked_in_time(participant: Participant) -> str:
    return format_datetime(participant.checked_in_at.astimezone(VENUE_ZONE), "HH:mm")


def search(event: Event, query: str, number: int) -> Page:
    """A page of the event's participants by name, those whose name contains ``query``."""
    select = (
        db.select(Participant)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.event_id == event.id)
        .order_by(Organisation.name, Participant.id)
    )
    query = query.strip()[:SEARCH_MAX]
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        select = select.where(func.lower(Organisation.name).like(f"%{escaped}%", escape="\\"))
    return paginate(select, number, PARTICIPANTS_PER_PAGE)


def current_slot(event: Event, now: datetime | None = None) -> int | None:
    """The number of the slot under way at ``now`` (the clock's), None between slots."""
    moment = now or clock.now()
    return next(
        (n for n, (start, end) in enumerate(event_slots(event)) if start <= moment < end), None
    )


def next_slot(event: Event, now: datetime | None = None) -> int | None:
    moment = now or clock.now()
    return next((n for n, (start, _) in enumerate(event_slots(event)) if start > moment), None)


@dataclass(frozen=True)
class HallTable:
    meeting: Meeting
    people: list[Participant]

    @property
    def table(self) -> int:
        return self.meeting.table_number + 1

    @property
    def missing(self) -> list[Participant]:
        """Those at the table who have not checked in."""
        return [p for p in self.people if p.checked_in_at is None]


def hall_now(event: Event, slot: int, number: int) -> Page:
    """A page of the published meetings in ``slot`` by table, each with everyone at the table
    and who of them has not checked in; a fixed number of queries however many tables."""
    select = (
        db.select(Meeting)
        .filter(
            Meeting.event_id == event.id,
            Meeting.slot == slot,
            Meeting.is_published.is_(True),
        )
        .options(
            selectinload(Meeting.request).joinedload(MeetingRequest.sender),
            selectinload(Meeting.request)
            .selectinload(MeetingRequest.invitees)
            .joinedload(MeetingInvitee.participant)
            .joinedload(Participant.organisation),
        )
        .order_by(Meeting.table_number)
    )
    page = paginate(select, number, TABLES_PER_PAGE)

    def tables(meetings):
        return [
            HallTable(m, [m.request.sender] + [i.participant for i in m.request.invitees])
            for m in meetings
        ]

    return page.map(tables)


def hall_totals(event: Event) -> dict[str, int]:
    """How many participants have checked in, are marked absent, and are registered."""
    row = db.session.execute(
        db.select(
            func.count(Participant.id),
            func.count(Participant.checked_in_at),
            func.sum(db.case((Participant.no_show.is_(True), 1), else_=0)),
        ).where(Participant.event_id == event.id)
    ).one()
    return {"registered": row[0], "checked_in": row[1], "no_show": row[2] or 0}
