"""What the schedule looks like to people: the office's grid a day at a time, a participant's
agenda (page and ``.ics``), and the cards on the hall's tables. Each is read in a fixed number
of queries, however many meetings there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from app.core import clock
from app.events.models import (
    Event,
    Meeting,
    MeetingInvitee,
    MeetingRequest,
    Participant,
    RequestState,
    ScheduleRun,
)
from app.events.slots import VENUE_ZONE, Slot, event_slots
from app.extensions import db

UNPLACED_SHOWN = 20


def day_of_slots(slots: list[Slot]) -> list[list[int]]:
    """The slot numbers of each day, in order."""
    days: dict = {}
    for number, (start, _end) in enumerate(slots):
        days.setdefault(start.date(), []).append(number)
    return list(days.values())


def _people():
    """Load a meeting's request with everyone at the table, their organisations and what they
    bring (products, buyers' requests), in a few queries for any number of meetings."""
    request = selectinload(Meeting.request)
    sender = request.joinedload(MeetingRequest.sender)
    invitee = request.selectinload(MeetingRequest.invitees).joinedload(MeetingInvitee.participant)
    return [
        sender.selectinload(Participant.products),
        sender.selectinload(Participant.requests),
        invitee.selectinload(Participant.products),
        invitee.selectinload(Participant.requests),
    ]


def table_of(meeting: Meeting) -> list[Participant]:
    """Everyone at the meeting's table: the sender first, then the invitees."""
    return [meeting.request.sender] + [i.participant for i in meeting.request.invitees]


def meetings_in_slots(event: Event, slots: list[int]) -> dict[int, list[Meeting]]:
    """The meetings in these slots, by slot, each slot's in table order."""
    if not slots:
        return {}
    found = db.session.scalars(
        db.select(Meeting)
        .filter(Meeting.event_id == event.id, Meeting.slot.in_(slots))
        .options(*_people())
        .order_by(Meeting.slot, Meeting.table_number)
    ).all()
    by_slot: dict[int, list[Meeting]] = {n: [] for n in slots}
    for meeting in found:
        by_slot[meeting.slot].append(meeting)
    return by_slot


def unplaced_requests(run: ScheduleRun | None) -> list[tuple[MeetingRequest, str]]:
    """The first requests the run left out, with the reason code."""
    if run is None or not run.unplaced:
        return []
    shown = dict((request_id, reason) for request_id, reason in run.unplaced[:UNPLACED_SHOWN])
    # One placed by hand since, or no longer accepted, is no longer left out.
    found = db.session.scalars(
        db.select(MeetingRequest)
        .filter(
            MeetingRequest.id.in_(shown),
            MeetingRequest.state == RequestState.ACCEPTED,
            ~db.exists().where(Meeting.request_id == MeetingRequest.id),
        )
        .order_by(MeetingRequest.id)
    ).all()
    return [(r, shown[r.id]) for r in found]


@dataclass(frozen=True)
class AgendaItem:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    others: list[Participant]

    @property
    def table(self) -> int:
        return self.meeting.table_number + 1


def agenda_of(participant: Participant) -> list[AgendaItem]:
    """The participant's published meetings in time order."""
    event = participant.event
    slots = event_slots(event)
    invited = db.select(MeetingInvitee.meeting_request_id).filter_by(participant_id=participant.id)
    found = db.session.scalars(
        db.select(Meeting)
        .join(MeetingRequest, Meeting.request_id == MeetingRequest.id)
        .filter(
            Meeting.event_id == event.id,
            Meeting.is_published.is_(True),
            or_(
                MeetingRequest.from_participant_id == participant.id,
                MeetingRequest.id.in_(invited),
            ),
        )
        .options(*_people())
        .order_by(Meeting.slot)
    ).all()
    items = []
    for meeting in found:
        if meeting.slot >= len(slots):
            continue  # the event's hours changed under a published meeting: not a time to show
        start, end = slots[meeting.slot]
        others = [p for p in table_of(meeting) if p.id != participant.id]
        items.append(AgendaItem(meeting, start, end, others))
    return items


def meeting_uid(event: Event, meeting: Meeting, host: str) -> str:
    """Stable across scheduler runs and moves: a meeting is its request."""
    return f"event-{event.id}-request-{meeting.request_id}@{host}"


def agenda_calendar(participant: Participant, items: list[AgendaItem], host: str, title) -> bytes:
    """The agenda as an iCalendar file: one VEVENT per meeting, times at the venue
    (Asia/Jakarta, with its VTIMEZONE)."""
    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//Etalase//Temu Bisnis//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} · {participant.organisation.name}")
    stamp = clock.now()
    for item in items:
        entry = CalendarEvent()
        entry.add("uid", meeting_uid(event, item.meeting, host))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", item.starts_at.astimezone(VENUE_ZONE))
        entry.add("dtend", item.ends_at.astimezone(VENUE_ZONE))
        names = ", ".join(p.organisation.name for p in item.others)
        entry.add("summary", str(title(item, names)))
        entry.add("location", f"{event.venue}")
        entry.add("description", names)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def tables_of(event: Event, first: int, count: int) -> dict[int, list[Meeting]]:
    """Table numbers (from 0) ``first`` to ``first + count - 1`` with their meetings by slot."""
    tables = list(range(first, min(first + count, event.tables)))
    if not tables:
        return {}
    found = db.session.scalars(
        db.select(Meeting)
        .filter(Meeting.event_id == event.id, Meeting.table_number.in_(tables))
        .options(*_people())
        .order_by(Meeting.table_number, Meeting.slot)
    ).all()
    by_table: dict[int, list[Meeting]] = {n: [] for n in tables}
    for meeting in found:
        by_table[meeting.table_number].append(meeting)
    return by_table
