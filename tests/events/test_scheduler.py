"""The event scheduler: its hard rules over random events, its optimum against exhaustive
search on small ones, determinism, the IKM rule, and the problems it refuses."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.events.scheduler import (
    Meeting,
    Problem,
    ProblemError,
    ikms_met,
    solve,
    weighted,
)

PEOPLE = range(1, 7)


def _slots_of(problem, person):
    return problem.available.get(person, frozenset(range(problem.slots)))


def _keep_valid_pins(problem: Problem) -> Problem:
    """The problem with each pin that would break a hard rule (given the pins before it)
    taken out, so that the random problems are valid."""
    tables, busy, count, meetings = set(), set(), Counter(), []
    for m in problem.meetings:
        if m.pinned is not None:
            slot, table = m.pinned
            ok = (
                slot < problem.slots
                and table < problem.tables
                and (slot, table) not in tables
                and all(slot in _slots_of(problem, p) for p in m.participants)
                and not any((p, slot) in busy for p in m.participants)
                and all(count[p] < problem.limits.get(p, 99) for p in m.participants)
            )
            if ok:
                tables.add((slot, table))
                busy.update((p, slot) for p in m.participants)
                count.update(m.participants)
            else:
                m = replace(m, pinned=None)
        meetings.append(m)
    return replace(problem, meetings=tuple(meetings))


@st.composite
def problems(draw, max_meetings=7, max_slots=3, max_tables=2, priorities=(1, 2, 3), ikms=True):
    """Valid events of up to ``max_meetings`` meetings among six people, a fifth pinned."""
    slots = draw(st.integers(1, max_slots))
    tables = draw(st.integers(1, max_tables))
    count = draw(st.integers(0, max_meetings))
    meetings = []
    for i in range(count):
        people = draw(st.sets(st.sampled_from(PEOPLE), min_size=2, max_size=3))
        pinned = None
        if draw(st.integers(0, 4)) == 0:
            pinned = (draw(st.integers(0, slots - 1)), draw(st.integers(0, tables - 1)))
        priority = draw(st.sampled_from(priorities))
        meetings.append(Meeting(10 + i, frozenset(people), priority, pinned))
    available = draw(
        st.dictionaries(
            st.sampled_from(PEOPLE),
            st.frozensets(st.integers(0, slots - 1)),
            max_size=3,
        )
    )
    limits = draw(st.dictionaries(st.sampled_from(PEOPLE), st.integers(0, 3), max_size=3))
    makers = draw(st.frozensets(st.sampled_from(PEOPLE))) if ikms else frozenset()
    return _keep_valid_pins(Problem(slots, tables, tuple(meetings), available, limits, makers))


def assert_keeps_the_rules(problem: Problem, schedule) -> None:
    by_id = {m.id: m for m in problem.meetings}
    assert set(schedule.placed) | set(schedule.unplaced) == set(by_id)
    assert not set(schedule.placed) & set(schedule.unplaced)
    seats, busy, count = set(), set(), Counter()
    for i, (slot, table) in schedule.placed.items():
        assert 0 <= slot < problem.slots and 0 <= table < problem.tables
        assert (slot, table) not in seats, "a table double-booked"
        seats.add((slot, table))
        for p in by_id[i].participants:
            assert (p, slot) not in busy, "a participant double-booked"
            busy.add((p, slot))
            assert slot in _slots_of(problem, p), "a participant away in that slot"
            count[p] += 1
    for p, n in count.items():
        assert n <= problem.limits.get(p, n), "more meetings than the participant's limit"
    for m in problem.meetings:
        if m.pinned is not None:
            assert schedule.placed[m.id] == m.pinned, "a pinned meeting moved"


def _best(problem: Problem) -> tuple[int, int, int]:
    """By exhaustive search over each meeting's slot (or none; tables are interchangeable, so
    a slot holding at most ``tables`` meetings can always be seated): the best
    (IKMs with a meeting, meetings weighted by priority), and the most meetings."""
    meetings = sorted(problem.meetings, key=lambda m: m.pinned is None)
    best = [(-1, -1), -1]

    def search(index, busy, load, count, chosen):
        if index == len(meetings):
            met = {p for m in chosen for p in m.participants} & problem.ikms
            best[0] = max(best[0], (len(met), sum(m.priority for m in chosen)))
            best[1] = max(best[1], len(chosen))
            return
        m = meetings[index]
        if m.pinned is None:
            search(index + 1, busy, load, count, chosen)
        for slot in [m.pinned[0]] if m.pinned else range(problem.slots):
            if (
                load[slot] < problem.tables
                and all(slot in _slots_of(problem, p) for p in m.participants)
                and not any((p, slot) in busy for p in m.participants)
                and all(count[p] < problem.limits.get(p, 99) for p in m.participants)
            ):
                load[slot] += 1
                count.update(m.participants)
                search(
                    index + 1,
                    busy | {(p, slot) for p in m.participants},
                    load,
                    count,
                    [*chosen, m],
                )
                load[slot] -= 1
                count.subtract(m.participants)

    search(0, frozenset(), Counter(), Counter(), [])
    return (*best[0], best[1])


@settings(max_examples=150, deadline=None)
@given(problem=problems(max_meetings=12, max_slots=4, max_tables=3))
def test_the_schedule_keeps_every_hard_rule(problem):
    assert_keeps_the_rules(problem, solve(problem, time_limit=5))


@settings(max_examples=60, deadline=None)
@given(problem=problems(max_meetings=12, max_slots=4, max_tables=3))
def test_a_schedule_cut_short_by_the_time_limit_keeps_every_hard_rule(problem):
    # no time to solve: the greedy schedule
    assert_keeps_the_rules(problem, solve(problem, time_limit=0))


@settings(max_examples=100, deadline=None)
@given(problem=problems())
def test_the_schedule_is_as_good_as_exhaustive_search_finds(problem):
    schedule = solve(problem, time_limit=5)
    ikms, value, _ = _best(problem)
    assert (ikms_met(problem, schedule), weighted(problem, schedule)) == (ikms, value)
    assert schedule.optimal
    assert schedule.bound == value


@settings(max_examples=60, deadline=None)
@given(problem=problems(priorities=(1,), ikms=False))
def test_with_equal_priorities_it_schedules_the_most_meetings(problem):
    schedule = solve(problem, time_limit=5)
    assert len(schedule.placed) == _best(problem)[2]


@settings(max_examples=40, deadline=None)
@given(problem=problems(max_meetings=12, max_slots=4, max_tables=3), order=st.randoms())
def test_the_same_problem_gives_the_same_schedule_in_any_order(problem, order):
    first = solve(problem, seed=3)
    assert solve(problem, seed=3).placed == first.placed
    meetings = list(problem.meetings)
    order.shuffle(meetings)
    shuffled = solve(replace(problem, meetings=tuple(meetings)), seed=3)
    assert len(shuffled.placed) == len(first.placed)
    assert weighted(problem, shuffled) == weighted(problem, first)
    assert shuffled.placed == first.placed  # the input is put in id order first


def test_every_ikm_gets_a_meeting_before_more_meetings_are_made():
    # The buyer (1) has one slot: the "must" with IKM 11 would leave IKM 12 without any
    # meeting, while 11 also meets buyer 2. IKM 13's only partner is never there.
    problem = Problem(
        slots=2,
        tables=2,
        meetings=(
            Meeting(1, frozenset({1, 11}), priority=3),
            Meeting(2, frozenset({1, 12}), priority=1),
            Meeting(3, frozenset({2, 11}), priority=1),
            Meeting(4, frozenset({3, 13}), priority=3),
        ),
        available={1: frozenset({0}), 3: frozenset()},
        limits={},
        ikms=frozenset({11, 12, 13}),
    )
    schedule = solve(problem)
    assert set(schedule.placed) == {2, 3}
    assert schedule.unplaced == (1, 4)
    assert ikms_met(problem, schedule) == 2
    without_the_rule = solve(replace(problem, ikms=frozenset()))
    assert set(without_the_rule.placed) == {1, 3}


def test_pinned_meetings_stay_and_the_rest_fit_around_them():
    problem = Problem(
        slots=3,
        tables=2,
        meetings=(
            Meeting(1, frozenset({1, 11}), pinned=(1, 1)),
            Meeting(2, frozenset({1, 12}), pinned=(0, 0)),
            Meeting(3, frozenset({1, 13})),
            Meeting(4, frozenset({2, 11})),
            Meeting(5, frozenset({2, 12})),
        ),
        available={},
        limits={1: 3},
        ikms=frozenset({11, 12, 13}),
    )
    schedule = solve(problem)
    assert_keeps_the_rules(problem, schedule)
    assert schedule.placed[1] == (1, 1) and schedule.placed[2] == (0, 0)
    assert schedule.placed[3][0] == 2  # buyer 1's only free slot
    assert len(schedule.placed) == 5 and schedule.optimal


def test_tables_are_numbered_from_the_lowest_free_one_by_meeting_id():
    problem = Problem(
        slots=1,
        tables=3,
        meetings=(
            Meeting(7, frozenset({1, 2})),
            Meeting(5, frozenset({3, 4}), pinned=(0, 0)),
            Meeting(6, frozenset({5, 6})),
        ),
        available={},
        limits={},
    )
    assert solve(problem).placed == {5: (0, 0), 6: (0, 1), 7: (0, 2)}


def _busy_event() -> Problem:
    """Five buyers (one only in the morning), thirty IKMs of at most three meetings, 120
    requests for 48 seats."""
    rng = random.Random(5)
    meetings, seen = [], set()
    while len(meetings) < 120:
        pair = frozenset({rng.randrange(1, 6), rng.randrange(100, 130)})
        if pair not in seen:
            seen.add(pair)
            meetings.append(Meeting(len(meetings) + 1, pair, rng.choice([1, 2, 3])))
    return Problem(
        slots=8,
        tables=6,
        meetings=tuple(meetings),
        available={1: frozenset(range(4)), 101: frozenset(range(4, 8))},
        limits={p: 3 for p in range(100, 130)},
        ikms=frozenset(range(100, 130)),
    )


def test_a_busy_event_is_scheduled_within_its_limits():
    problem = _busy_event()
    schedule = solve(problem, time_limit=5)
    assert_keeps_the_rules(problem, schedule)
    assert schedule.bound is not None and weighted(problem, schedule) <= schedule.bound
    assert len(schedule.placed) <= 5 * 8 - 4  # the five buyers' slots bound it
    assert ikms_met(problem, schedule) == 30


def test_a_large_event_without_time_to_solve_still_gets_a_greedy_schedule():
    problem = _busy_event()
    schedule = solve(problem, time_limit=0)
    assert_keeps_the_rules(problem, schedule)
    assert not schedule.optimal and schedule.bound is None
    assert ikms_met(problem, schedule) == 30
    assert weighted(problem, schedule) >= 0.8 * weighted(problem, solve(problem, time_limit=5))


def _problem(*meetings, slots=3, tables=2, **fields):
    return Problem(slots, tables, tuple(meetings), fields.get("available", {}),
                   fields.get("limits", {}))  # fmt: skip


@pytest.mark.parametrize(
    ("problem", "reason", "words"),
    [
        (_problem(Meeting(1, frozenset({1, 2})), tables=0), "no_tables", "at least one table"),
        (_problem(Meeting(1, frozenset({1, 2})), slots=0), "no_slots", "at least one"),
        (
            _problem(Meeting(1, frozenset({1, 2}), pinned=(3, 0))),
            "pin_out_of_range",
            "Meeting 1 is pinned to slot 3",
        ),
        (
            _problem(Meeting(1, frozenset({1, 2}), pinned=(0, 2))),
            "pin_out_of_range",
            "tables 0-1",
        ),
        (
            _problem(
                Meeting(1, frozenset({1, 2}), pinned=(1, 0)),
                Meeting(2, frozenset({3, 4}), pinned=(1, 0)),
            ),
            "pins_share_table",
            "Meetings 1 and 2 are both pinned to slot 1, table 0",
        ),
        (
            _problem(
                Meeting(1, frozenset({1, 2}), pinned=(1, 0)),
                Meeting(2, frozenset({1, 4}), pinned=(1, 1)),
            ),
            "pinned_double_booked",
            "Participant 1 is in meetings 1 and 2",
        ),
        (
            _problem(Meeting(1, frozenset({1, 2}), pinned=(1, 0)), available={2: frozenset({0})}),
            "pinned_unavailable",
            "participant 2 cannot attend",
        ),
        (
            _problem(
                Meeting(1, frozenset({1, 2}), pinned=(0, 0)),
                Meeting(2, frozenset({1, 3}), pinned=(1, 0)),
                limits={1: 1},
            ),
            "pins_over_limit",
            "their limit is 1",
        ),
        (
            _problem(Meeting(1, frozenset({1, 2})), Meeting(1, frozenset({3, 4}))),
            "duplicate_meeting",
            "id 1",
        ),
        (_problem(Meeting(1, frozenset({1, 2})), limits={2: -1}), "bad_limit", "negative"),
    ],
)
def test_a_problem_that_breaks_a_hard_rule_is_refused(problem, reason, words):
    with pytest.raises(ProblemError) as error:
        solve(problem)
    assert isinstance(error.value, ValueError)
    assert error.value.reason == reason
    assert words in str(error.value)


@pytest.mark.parametrize(
    ("participants", "priority", "reason", "words"),
    [
        ((1, 1), 1, "repeated_participant", "Meeting 9 names participant 1 more than once"),
        ([4, 5, 4], 1, "repeated_participant", "participant 4 more than once"),
        (frozenset({1}), 1, "too_few_participants", "at least two different participants"),
        (frozenset(), 1, "too_few_participants", "Meeting 9"),
        (frozenset({1, 2}), 4, "bad_priority", "must be 1, 2 or 3"),
    ],
)
def test_a_meeting_that_is_not_one_is_refused(participants, priority, reason, words):
    with pytest.raises(ProblemError) as error:
        Meeting(9, participants, priority)
    assert error.value.reason == reason
    assert error.value.meetings == (9,)
    assert words in str(error.value)


def test_a_meeting_given_as_a_list_of_people_is_kept_as_a_set():
    assert Meeting(1, [3, 2]).participants == frozenset({2, 3})
