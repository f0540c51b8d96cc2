"""The consortium solver: which IKMs share an order none can deliver alone.

The best group is the fewest IKMs whose allocations, each at least the IKM's minimum order
and at most its free capacity by the delivery date, add up to the quantity; among groups of
that size, the one with the best match quality (the sum of its members' recommendation
scores). The next-best group is the best one that is not the same set of IKMs. When no group
of the allowed size covers the quantity, the group that comes closest is given with the
shortfall, in units and as a share.

Solved with OR-Tools CP-SAT: one worker, a fixed seed and a time limit, so that the same
request gives the same answer. ``Group.is_optimal`` says whether the solver proved it best
within the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

SEED = 20200
TIME_LIMIT_SECONDS = 2.0


@dataclass(frozen=True)
class Candidate:
    ikm_id: int
    free: int  # free capacity by the delivery date, in the request's unit
    min_order: int
    quality: int  # higher is better; whole numbers (a recommendation's score x 10)


@dataclass(frozen=True)
class Group:
    allocations: tuple[tuple[int, int], ...]  # (ikm id, quantity), by IKM id
    quantity: int  # asked for
    quality: int
    is_optimal: bool

    @property
    def size(self) -> int:
        return len(self.allocations)

    @property
    def total(self) -> int:
        return sum(amount for _, amount in self.allocations)

    @property
    def shortfall(self) -> int:
        return max(0, self.quantity - self.total)

    @property
    def shortfall_share(self) -> float:
        return self.shortfall / self.quantity if self.quantity else 0.0

    @property
    def ikm_ids(self) -> frozenset[int]:
        return frozenset(ikm_id for ikm_id, _ in self.allocations)


@dataclass(frozen=True)
class Plan:
    best: Group | None  # covers the quantity
    alternative: Group | None  # the next-best group that covers it
    closest: Group | None  # when no group covers it: the most it can get, and the shortfall


def usable(candidates: Iterable[Candidate], quantity: int) -> list[Candidate]:
    """Candidates that can take some part: free capacity at least their minimum order, and a
    minimum order within the quantity."""
    return sorted(
        (c for c in candidates if 0 < c.min_order <= min(c.free, quantity)),
        key=lambda c: c.ikm_id,
    )


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = SEED
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = TIME_LIMIT_SECONDS
    return solver


def _model(candidates: Sequence[Candidate], quantity: int, max_size: int):
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"use{c.ikm_id}") for c in candidates]
    amounts = [model.new_int_var(0, min(c.free, quantity), f"x{c.ikm_id}") for c in candidates]
    for c, use, x in zip(candidates, used, amounts, strict=True):
        model.add(x >= c.min_order * use)
        model.add(x <= min(c.free, quantity) * use)
    model.add(sum(used) <= max_size)
    return model, used, amounts


def _group(solver, candidates, used, amounts, quantity, status) -> Group:
    chosen = [
        (c.ikm_id, solver.value(x), c.quality)
        for c, use, x in zip(candidates, used, amounts, strict=True)
        if solver.value(use)
    ]
    return Group(
        allocations=tuple((ikm_id, amount) for ikm_id, amount, _ in chosen),
        quantity=quantity,
        quality=sum(quality for *_, quality in chosen),
        is_optimal=status == cp_model.OPTIMAL,
    )


def _covering(candidates, quantity, max_size, exclude: frozenset[int] | None = None):
    model, used, amounts = _model(candidates, quantity, max_size)
    model.add(sum(amounts) == quantity)
    if exclude is not None:  # not this very set of IKMs again
        model.add(
            sum(1 - u for c, u in zip(candidates, used, strict=True) if c.ikm_id in exclude)
            + sum(u for c, u in zip(candidates, used, strict=True) if c.ikm_id not in exclude)
            >= 1
        )
    weight = sum(c.quality for c in candidates) + 1  # one IKM fewer beats any quality
    model.minimize(
        weight * sum(used) - sum(c.quality * u for c, u in zip(candidates, used, strict=True))
    )
    solver = _solver()
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _group(solver, candidates, used, amounts, quantity, status)


def _closest(candidates, quantity, max_size) -> Group:
    model, used, amounts = _model(candidates, quantity, max_size)
    model.add(sum(amounts) <= quantity)
    quality = sum(c.quality * u for c, u in zip(candidates, used, strict=True))
    weight = sum(c.quality for c in candidates) + 1
    # The most units first, then fewer IKMs, then quality.
    model.maximize(sum(amounts) * (max_size + 1) * weight - weight * sum(used) + quality)
    solver = _solver()
    status = solver.solve(model)
    return _group(solver, candidates, used, amounts, quantity, status)


def solve(candidates: Iterable[Candidate], quantity: int, max_size: int) -> Plan:
    """The best group for ``quantity``, the next best, or the closest with its shortfall.

    :param max_size: the largest group the buyer accepts (1: one IKM alone)
    """
    pool = usable(candidates, quantity)
    if not pool or max_size < 1:
        return Plan(None, None, Group((), quantity, 0, True))
    best = None
    largest = sorted((min(c.free, quantity) for c in pool), reverse=True)[:max_size]
    if sum(largest) >= quantity:  # otherwise no group can cover it: skip the search
        best = _covering(pool, quantity, max_size)
    if best is None:
        return Plan(None, None, _closest(pool, quantity, max_size))
    return Plan(best, _covering(pool, quantity, max_size, exclude=best.ikm_ids), None)
