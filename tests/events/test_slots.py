"""The slots of an event: its days cut into meetings around the breaks."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

from app.core import clock
from app.events.slots import VENUE_ZONE, day_slots, event_slots


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def labels(slots) -> list[str]:
    return [f"{hm(a)}-{hm(b)}" for a, b in slots]


def test_a_day_without_breaks_is_cut_into_equal_meetings_and_the_rest_is_left():
    slots = day_slots(time(9), time(10, 50), 20, [])
    assert labels(slots) == [
        "09:00-09:20",
        "09:20-09:40",
        "09:40-10:00",
        "10:00-10:20",
        "10:20-10:40",
    ]


def test_a_meeting_that_would_run_into_a_break_starts_after_it():
    slots = day_slots(time(9), time(12), 30, [(time(10, 30), time(10, 45))])
    assert labels(slots) == [
        "09:00-09:30",
        "09:30-10:00",
        "10:00-10:30",
        "10:45-11:15",
        "11:15-11:45",
    ]


def test_a_break_in_the_middle_of_a_meeting_moves_it_past_the_break():
    slots = day_slots(time(9), time(11), 40, [(time(9, 50), time(10))])
    assert labels(slots) == ["09:00-09:40", "10:00-10:40"]


def test_breaks_at_the_start_and_end_of_the_day_and_given_out_of_order():
    slots = day_slots(time(8), time(12), 60, [(time(11, 30), time(12)), (time(8), time(8, 30))])
    assert labels(slots) == ["08:30-09:30", "09:30-10:30", "10:30-11:30"]


def test_a_meeting_as_long_as_the_day_is_one_slot_and_a_longer_one_none():
    assert labels(day_slots(time(9), time(10), 60, [])) == ["09:00-10:00"]
    assert day_slots(time(9), time(10), 61, []) == []
    assert day_slots(time(9), time(10), 0, []) == []


def test_an_event_numbers_its_slots_over_every_day_at_the_venue():
    first = clock.today() + timedelta(days=3)
    event = SimpleNamespace(
        starts_on=first,
        ends_on=first + timedelta(days=1),
        day_starts_at=time(9),
        day_ends_at=time(10),
        meeting_minutes=20,
        breaks=[["09:20", "09:40"]],
    )
    slots = event_slots(event)
    assert len(slots) == 4
    assert [s.date() for s, _ in slots] == [first, first, first + timedelta(days=1)] * 1 + [
        first + timedelta(days=1)
    ]
    start, end = slots[1]
    assert (start.hour, start.minute, end.hour, end.minute) == (9, 40, 10, 0)
    assert start.tzinfo == VENUE_ZONE
    assert slots == sorted(slots)
