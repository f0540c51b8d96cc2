"""An event's meeting slots: its days cut into meetings of equal length around the breaks.

Slots are numbered from 0 across all the event's days, in time order; participants'
availability and scheduled meetings refer to these numbers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VENUE_ZONE = ZoneInfo("Asia/Jakarta")

Slot = tuple[datetime, datetime]


def parse_time(value: str) -> time:
    """ "13:30" as a time; raises ValueError for anything else."""
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(value)
    return time(int(hours), int(minutes))


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def day_slots(
    day_start: time, day_end: time, meeting_minutes: int, breaks: list[tuple[time, time]]
) -> list[tuple[int, int]]:
    """The (start, end) minutes after midnight of one day's slots.

    A slot that would run into a break starts again when the break ends; the last slot ends
    at or before the end of the day.
    """
    if meeting_minutes <= 0:
        return []
    pauses = sorted((minutes_of(a), minutes_of(b)) for a, b in breaks)
    found, start, end_of_day = [], minutes_of(day_start), minutes_of(day_end)
    while start + meeting_minutes <= end_of_day:
        end = start + meeting_minutes
        clash = next((b for a, b in pauses if a < end and start < b), None)
        if clash is not None:
            start = clash
            continue
        found.append((start, end))
        start = end
    return found


def event_breaks(event) -> list[tuple[time, time]]:
    return [(parse_time(a), parse_time(b)) for a, b in event.breaks or []]


def event_days(event) -> list[date]:
    days = (event.ends_on - event.starts_on).days + 1
    return [event.starts_on + timedelta(days=n) for n in range(max(days, 0))]


def event_slots(event) -> list[Slot]:
    """Every slot of ``event``, in order: (start, end) as aware datetimes at the venue."""
    minutes = day_slots(
        event.day_starts_at, event.day_ends_at, event.meeting_minutes, event_breaks(event)
    )
    slots = []
    for day in event_days(event):
        midnight = datetime.combine(day, time(0), VENUE_ZONE)
        for start, end in minutes:
            slots.append((midnight + timedelta(minutes=start), midnight + timedelta(minutes=end)))
    return slots
