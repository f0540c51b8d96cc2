"""The schedule of a business-matching event: accepted meetings placed into slots and tables.

Hard rules: nobody is in two meetings in the same slot; a table holds one meeting per slot; a
meeting goes only into a slot every one of its participants can attend; nobody has more
meetings than their limit; a pinned meeting (placed by the office, or already published) stays
exactly at its slot and table.

The objective is lexicographic, written as one weighted sum: first the number of IKMs (of
``Problem.ikms``) that get at least one meeting, then the meetings weighted by priority
(1 low, 2 normal, 3 high: a high one counts as three low ones). An IKM is worth
``W = 1 + the sum of the priorities of every meeting the solver may place``, more than all the
meetings together, so no number of meetings outweighs one more IKM with a meeting.

Tables are interchangeable, so the model only chooses each meeting's slot (one boolean per
meeting and slot its participants share), with at most ``tables`` meetings per slot; tables
are numbered afterwards (``_tables``). That is always possible: in each slot the pinned
meetings hold distinct tables (checked), and the solver places at most ``tables - pinned``
more there, exactly as many as the tables left free, which are handed out by meeting id.
This is far smaller than a boolean per meeting, slot and table, and has no symmetric
solutions that differ only in table numbers.

Solved with OR-Tools CP-SAT, one worker and a fixed seed, over the meetings in id order (the
order of the input does not matter). The time limit is the solver's *deterministic* time
(its own count of work done, close to seconds on an idle machine), so the same problem and
seed give the same schedule however busy the machine is; a wall-clock cap of
``WALL_CAP`` times the limit stops a runaway (only then could the answer differ).
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

PRIORITIES = (1, 2, 3)
WALL_CAP = 3.0


class ProblemError(ValueError):
    """The problem cannot be scheduled as given. ``reason`` is a stable code a caller can
    translate (see ``REASONS``); ``meetings`` the ids involved; ``participant`` the one
    concerned, if any."""

    def __init__(
        self, reason: str, message: str, meetings: Iterable[int] = (), participant=None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.meetings = tuple(meetings)
        self.participant = participant


REASONS = (
    "no_slots",  # fewer than one slot
    "no_tables",  # fewer than one table
    "duplicate_meeting",  # two meetings with one id
    "too_few_participants",  # a meeting of fewer than two people
    "repeated_participant",  # a participant named twice in one meeting
    "bad_priority",  # not 1, 2 or 3
    "bad_limit",  # a negative meeting limit
    "pin_out_of_range",  # a pinned slot or table that does not exist
    "pins_share_table",  # two pinned meetings at one slot and table
    "pinned_unavailable",  # a pinned meeting in a slot one of its participants cannot attend
    "pinned_double_booked",  # a participant in two pinned meetings in one slot
    "pins_over_limit",  # a participant with more pinned meetings than their limit
)


@dataclass(frozen=True)
class Meeting:
    id: int
    participants: frozenset[int]  # 2 or more: a buyer may meet several IKMs at one table
    priority: int = 1  # 1 (low) .. 3 (high); the meeting's weight in the objective
    pinned: tuple[int, int] | None = None  # (slot, table), kept as is

    def __post_init__(self) -> None:
        given = self.participants
        if not isinstance(given, (set, frozenset)):  # a list or tuple may name someone twice
            given = list(given)
        people = frozenset(given)
        if len(people) < len(given):
            twice = sorted(p for p in people if list(given).count(p) > 1)
            raise ProblemError(
                "repeated_participant",
                f"Meeting {self.id} names participant {twice[0]} more than once.",
                [self.id],
                twice[0],
            )
        if len(people) < 2:
            raise ProblemError(
                "too_few_participants",
                f"Meeting {self.id} needs at least two different participants.",
                [self.id],
            )
        if self.priority not in PRIORITIES:
            raise ProblemError(
                "bad_priority",
                f"Meeting {self.id} has priority {self.priority}; it must be 1, 2 or 3.",
                [self.id],
            )
        object.__setattr__(self, "participants", people)
        if self.pinned is not None:
            object.__setattr__(self, "pinned", tuple(self.pinned))


@dataclass(frozen=True)
class Problem:
    slots: int  # slot indexes 0..slots-1 (breaks already removed by the caller)
    tables: int  # table indexes 0..tables-1
    meetings: tuple[Meeting, ...]
    available: dict[int, frozenset[int]] = field(default_factory=dict)  # missing: every slot
    limits: dict[int, int] = field(default_factory=dict)  # most meetings; missing: no limit
    ikms: frozenset[int] = frozenset()  # should get at least one meeting where possible


@dataclass(frozen=True)
class Schedule:
    placed: dict[int, tuple[int, int]]  # meeting id -> (slot, table)
    unplaced: tuple[int, ...]  # meeting ids left out, in id order
    optimal: bool  # the solver proved no schedule is better
    # An upper bound on the priority-weighted meetings (pinned ones included) of any schedule
    # that gives at least as many IKMs a meeting as this one; equal to this schedule's own
    # weighted meetings when ``optimal``. None when the solver gave no bound.
    bound: int | None
    seconds: float  # wall-clock time of the whole call


def weighted(problem: Problem, schedule: Schedule) -> int:
    """The schedule's meetings weighted by priority: what ``Schedule.bound`` bounds."""
    priority = {m.id: m.priority for m in problem.meetings}
    return sum(priority[i] for i in schedule.placed)


def ikms_met(problem: Problem, schedule: Schedule) -> int:
    """How many of the problem's IKMs have at least one meeting in the schedule."""
    people = {m.id: m.participants for m in problem.meetings}
    met = set().union(*(people[i] for i in schedule.placed))
    return len(met & problem.ikms)


def _slots_of(problem: Problem, participant: int) -> frozenset[int]:
    every = frozenset(range(problem.slots))
    return every & problem.available.get(participant, every)


def validate(problem: Problem) -> None:
    """Raise ``ProblemError`` when the problem breaks a hard rule before any solving: no slot or
    table, duplicate ids, negative limits, or pins that cannot all be kept."""
    if problem.slots < 1:
        raise ProblemError("no_slots", "The event needs at least one meeting slot.")
    if problem.tables < 1:
        raise ProblemError("no_tables", "The event needs at least one table.")
    seen: set[int] = set()
    for meeting in problem.meetings:
        if meeting.id in seen:
            raise ProblemError(
                "duplicate_meeting", f"Two meetings have the id {meeting.id}.", [meeting.id]
            )
        seen.add(meeting.id)
    for participant, limit in sorted(problem.limits.items()):
        if limit < 0:
            raise ProblemError(
                "bad_limit",
                f"Participant {participant} has a negative meeting limit ({limit}).",
                participant=participant,
            )
    _validate_pins(problem)


def _validate_pins(problem: Problem) -> None:
    tables: dict[tuple[int, int], int] = {}
    people: dict[tuple[int, int], int] = {}
    count: dict[int, int] = defaultdict(int)
    for meeting in sorted(problem.meetings, key=lambda m: m.id):
        if meeting.pinned is None:
            continue
        slot, table = meeting.pinned
        if not (0 <= slot < problem.slots and 0 <= table < problem.tables):
            raise ProblemError(
                "pin_out_of_range",
                f"Meeting {meeting.id} is pinned to slot {slot}, table {table}; the event has "
                f"slots 0-{problem.slots - 1} and tables 0-{problem.tables - 1}.",
                [meeting.id],
            )
        if (slot, table) in tables:
            raise ProblemError(
                "pins_share_table",
                f"Meetings {tables[slot, table]} and {meeting.id} are both pinned to slot "
                f"{slot}, table {table}.",
                [tables[slot, table], meeting.id],
            )
        tables[slot, table] = meeting.id
        for participant in sorted(meeting.participants):
            if slot not in _slots_of(problem, participant):
                raise ProblemError(
                    "pinned_unavailable",
                    f"Meeting {meeting.id} is pinned to slot {slot}, which participant "
                    f"{participant} cannot attend.",
                    [meeting.id],
                    participant,
                )
            if (participant, slot) in people:
                raise ProblemError(
                    "pinned_double_booked",
                    f"Participant {participant} is in meetings {people[participant, slot]} "
                    f"and {meeting.id}, both pinned to slot {slot}.",
                    [people[participant, slot], meeting.id],
                    participant,
                )
            people[participant, slot] = meeting.id
            count[participant] += 1
            limit = problem.limits.get(participant)
            if limit is not None and count[participant] > limit:
                pinned = sorted(m for (p, _), m in people.items() if p == participant)
                raise ProblemError(
                    "pins_over_limit",
                    f"Participant {participant} has {count[participant]} pinned meetings; "
                    f"their limit is {limit}.",
                    pinned,
                    participant,
                )


@dataclass
class _Model:
    """The CP-SAT model and what is needed to read a solution back."""

    model: cp_model.CpModel
    choices: dict[int, dict[int, cp_model.IntVar]]  # meeting id -> slot -> placed there
    weight: int  # what one more IKM with a meeting is worth
    fixed: int  # the pinned meetings' weighted sum


def _pinned_use(problem: Problem):
    """What the pins take: (participant, slot) pairs, meetings per slot, meetings per
    participant."""
    pinned = [m for m in problem.meetings if m.pinned is not None]
    busy = {(p, m.pinned[0]) for m in pinned for p in m.participants}
    return (
        busy,
        Counter(m.pinned[0] for m in pinned),
        Counter(p for m in pinned for p in m.participants),
    )


def _choices(problem: Problem, model: cp_model.CpModel) -> dict[int, dict[int, cp_model.IntVar]]:
    """For each meeting the solver may place, a boolean per slot it could go to: every
    participant available, none already in a pinned meeting then, a table left, and limits
    not used up by pins."""
    busy, full, used = _pinned_use(problem)
    choices = {}
    for m in sorted(problem.meetings, key=lambda m: m.id):
        if m.pinned is not None or any(
            problem.limits.get(p, used[p] + 1) <= used[p] for p in m.participants
        ):
            continue
        shared = frozenset.intersection(*(_slots_of(problem, p) for p in m.participants))
        slots = [
            s
            for s in sorted(shared)
            if full[s] < problem.tables and not any((p, s) in busy for p in m.participants)
        ]
        if slots:
            choices[m.id] = {s: model.new_bool_var(f"m{m.id}s{s}") for s in slots}
    return choices


def _build(problem: Problem) -> _Model:
    meetings = sorted(problem.meetings, key=lambda m: m.id)
    pinned = [m for m in meetings if m.pinned is not None]
    _, full, used = _pinned_use(problem)
    left = {p: limit - used[p] for p, limit in problem.limits.items()}
    model = cp_model.CpModel()
    choices = _choices(problem, model)

    by_id = {m.id: m for m in meetings}
    placed = {i: sum(slots.values()) for i, slots in choices.items()}
    for slots in choices.values():
        model.add_at_most_one(slots.values())
    at: dict[tuple[int, int], list] = defaultdict(list)  # (participant, slot) -> choices
    per_slot: dict[int, list] = defaultdict(list)
    per_person: dict[int, list[int]] = defaultdict(list)
    for i, slots in choices.items():
        for p in sorted(by_id[i].participants):
            per_person[p].append(i)
        for s, var in slots.items():
            per_slot[s].append(var)
            for p in sorted(by_id[i].participants):
                at[p, s].append(var)
    for key in sorted(at):
        if len(at[key]) > 1:
            model.add_at_most_one(at[key])
    for s in sorted(per_slot):
        if len(per_slot[s]) > problem.tables - full[s]:
            model.add(sum(per_slot[s]) <= problem.tables - full[s])
    for p in sorted(per_person):
        reach = len({s for i in per_person[p] for s in choices[i]})
        cap = min(left.get(p, reach), reach)  # the slot count is implied; said for the LP
        if cap < len(per_person[p]):
            model.add(sum(placed[i] for i in per_person[p]) <= cap)

    weight = 1 + sum(by_id[i].priority for i in choices)
    covered = {p for m in pinned for p in m.participants}
    wanted = []
    for p in sorted(problem.ikms - covered):
        if per_person.get(p):
            met = model.new_bool_var(f"ikm{p}")
            model.add(met <= sum(placed[i] for i in per_person[p]))
            wanted.append(met)
    model.maximize(
        weight * sum(wanted) + sum(by_id[i].priority * placed[i] for i in sorted(choices))
    )
    return _Model(model, choices, weight, sum(m.priority for m in pinned))


def _tables(problem: Problem, slot_of: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Table numbers: pinned meetings keep theirs; the others in each slot get the lowest free
    tables in meeting-id order (enough are free: see the module's docstring)."""
    placed = {m.id: m.pinned for m in problem.meetings if m.pinned is not None}
    taken = defaultdict(set)
    for slot, table in placed.values():
        taken[slot].add(table)
    waiting = defaultdict(list)
    for i in sorted(slot_of):
        waiting[slot_of[i]].append(i)
    for slot, ids in waiting.items():
        free = [t for t in range(problem.tables) if t not in taken[slot]]
        assert len(free) >= len(ids), "the slot capacity constraint guarantees a free table"
        placed.update({i: (slot, t) for i, t in zip(ids, free, strict=False)})
    return placed


def _solution(solver: cp_model.CpSolver, built: _Model) -> dict[int, int]:
    slot_of = {}
    for i, slots in built.choices.items():
        chosen = [s for s, var in slots.items() if solver.value(var)]
        if chosen:
            slot_of[i] = chosen[0]
    return slot_of


def _greedy(problem: Problem, built: _Model) -> dict[int, int]:
    """A schedule when the solver found none in time: each IKM without a meeting gets its
    best one that fits, then the others by priority, meetings with fewer possible slots
    first, each in its earliest free slot."""
    by_id = {m.id: m for m in problem.meetings}
    busy = {(p, m.pinned[0]) for m in problem.meetings if m.pinned for p in m.participants}
    load = Counter(m.pinned[0] for m in problem.meetings if m.pinned)
    count = Counter(p for m in problem.meetings if m.pinned for p in m.participants)
    order = sorted(built.choices, key=lambda i: (-by_id[i].priority, len(built.choices[i]), i))
    slot_of: dict[int, int] = {}

    def place(i: int) -> bool:
        people = by_id[i].participants
        if any(count[p] >= problem.limits.get(p, count[p] + 1) for p in people):
            return False
        for s in built.choices[i]:
            if load[s] < problem.tables and not any((p, s) in busy for p in people):
                slot_of[i], load[s] = s, load[s] + 1
                busy.update((p, s) for p in people)
                count.update(people)
                return True
        return False

    for ikm in sorted(problem.ikms):
        if not count[ikm]:
            next((i for i in order if ikm in by_id[i].participants and place(i)), None)
    for i in order:
        if i not in slot_of:
            place(i)
    return slot_of


def solve(problem: Problem, time_limit: float = 10.0, seed: int = 0) -> Schedule:
    """The best schedule found within ``time_limit`` (the solver's deterministic seconds).

    :param problem: the event's slots, tables, accepted meetings, availability and limits
    :param seed: the solver's random seed; the same problem and seed give the same schedule
    :raises ProblemError: a ``ValueError`` when the problem breaks a hard rule (``validate``)

    When the solver finds no schedule within the limit (a large event and a limit under a
    second), a greedy one is returned instead, with ``optimal`` False and no ``bound``.
    """
    started = time.perf_counter()
    validate(problem)
    built = _build(problem)
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    # The LP with the at-most-one rows as cuts proves 600-request events optimal three times
    # sooner than the default relaxation (bench/events.py).
    solver.parameters.linearization_level = 2
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = time_limit * WALL_CAP
    status = solver.solve(built.model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    slot_of = _solution(solver, built) if found else _greedy(problem, built)
    placed = _tables(problem, slot_of)
    schedule = Schedule(
        placed=dict(sorted(placed.items())),
        unplaced=tuple(sorted(m.id for m in problem.meetings if m.id not in placed)),
        optimal=status == cp_model.OPTIMAL,
        bound=None,
        seconds=0.0,
    )
    bound = None
    if found:  # without a solution the solver's bound means nothing (it reads 0)
        covered = {p for m in problem.meetings if m.pinned for p in m.participants}
        newly = ikms_met(problem, schedule) - len(problem.ikms & covered)
        best = math.floor(solver.best_objective_bound + 1e-6)
        bound = built.fixed + best - built.weight * newly
    return Schedule(
        schedule.placed,
        schedule.unplaced,
        schedule.optimal,
        bound,
        round(time.perf_counter() - started, 3),
    )
