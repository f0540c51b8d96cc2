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


def prune(candidates: list[Candidate], quantity: int, max_size: int) -> list[Candidate]:
    """Without the candidates that more than ``max_size`` others dominate (as much free
    capacity, no larger minimum order, no worse match): any group with one of them has a
    dominator free to take its place, never worse, and never the same group as another
    (so the best and the next best are kept). Fewer choices make the solver quick."""
    ordered = sorted(candidates, key=lambda c: (-_cap(c, quantity), c.min_order, -c.quality))
    kept = []
    for index, c in enumerate(ordered):
        dominators = 0
        for other in ordered[:index]:
            if other.min_order <= c.min_order and other.quality >= c.quality:
                dominators += 1  # sorted: ``other`` has at least as much capacity
                if dominators > max_size:
                    break
        if dominators <= max_size:
            kept.append(c)
    return sorted(kept, key=lambda c: c.ikm_id)


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = SEED
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = TIME_LIMIT_SECONDS
    return solver


def _cap(candidate: Candidate, quantity: int) -> int:
    return min(candidate.free, quantity)


def allocate(members: Sequence[Candidate], quantity: int) -> tuple[tuple[int, int], ...]:
    """Shares of ``quantity`` (or of all the members can make, if less): each its minimum
    order, the rest to the best-matching members first, each within its free capacity."""
    shares = {c.ikm_id: c.min_order for c in members}
    left = min(quantity, sum(_cap(c, quantity) for c in members)) - sum(shares.values())
    for c in sorted(members, key=lambda c: (-c.quality, c.ikm_id)):
        more = min(left, _cap(c, quantity) - c.min_order)
        shares[c.ikm_id] += more
        left -= more
    return tuple(sorted(shares.items()))


def _group(members: Sequence[Candidate], quantity: int, is_optimal: bool) -> Group:
    return Group(
        allocations=allocate(members, quantity),
        quantity=quantity,
        quality=sum(c.quality for c in members),
        is_optimal=is_optimal,
    )


def _chosen(solver, candidates, used) -> list[Candidate]:
    return [c for c, use in zip(candidates, used, strict=True) if solver.value(use)]


def _of_size(candidates, quantity, size, exclude: frozenset[int] | None):
    """The best-matching group of exactly ``size`` IKMs that can cover ``quantity``: its
    minimum orders fit in the quantity and its free capacities reach it (then shares exist)."""
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"use{c.ikm_id}") for c in candidates]
    model.add(sum(used) == size)
    model.add(sum(_cap(c, quantity) * u for c, u in zip(candidates, used, strict=True)) >= quantity)
    model.add(sum(c.min_order * u for c, u in zip(candidates, used, strict=True)) <= quantity)
    if exclude is not None:  # not this very set of IKMs again
        model.add(
            sum(u for c, u in zip(candidates, used, strict=True) if c.ikm_id not in exclude) >= 1
        )
    model.maximize(sum(c.quality * u for c, u in zip(candidates, used, strict=True)))
    solver = _solver()
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    return _group(_chosen(solver, candidates, used), quantity, status == cp_model.OPTIMAL), True


def _smallest(candidates, quantity, max_size, exclude=None) -> Group | None:
    """The best group of the fewest IKMs (from the smallest size whose largest capacities
    could reach the quantity); None when none of up to ``max_size`` covers it."""
    caps = sorted((_cap(c, quantity) for c in candidates), reverse=True)
    running, first = 0, None
    for size, cap in enumerate(caps[:max_size], start=1):
        running += cap
        if running >= quantity:
            first = size
            break
    if first is None:
        return None
    for size in range(first, max_size + 1):
        group, proven = _of_size(candidates, quantity, size, exclude)
        if group is not None:
            return group
        if not proven:  # the time ran out before the solver knew: say so, search no further
            return None
    return None


def _closest(candidates, quantity, max_size) -> Group:
    """The group that delivers the most (never more than asked), then the fewest IKMs, then
    the best match."""
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"use{c.ikm_id}") for c in candidates]
    delivered = model.new_int_var(0, quantity, "delivered")
    model.add(sum(used) <= max_size)
    model.add(
        delivered <= sum(_cap(c, quantity) * u for c, u in zip(candidates, used, strict=True))
    )
    model.add(sum(c.min_order * u for c, u in zip(candidates, used, strict=True)) <= quantity)
    weight = sum(c.quality for c in candidates) + 1
    quality = sum(c.quality * u for c, u in zip(candidates, used, strict=True))
    model.maximize(delivered * (max_size + 1) * weight - weight * sum(used) + quality)
    solver = _solver()
    status = solver.solve(model)
    return _group(_chosen(solver, candidates, used), quantity, status == cp_model.OPTIMAL)


def solve(candidates: Iterable[Candidate], quantity: int, max_size: int) -> Plan:
    """The best group for ``quantity``, the next best, or the closest with its shortfall.

    :param max_size: the largest group the buyer accepts (1: one IKM alone)
    """
    pool = prune(usable(candidates, quantity), quantity, max_size)
    if not pool or max_size < 1:
        return Plan(None, None, Group((), quantity, 0, True))
    best = _smallest(pool, quantity, max_size)
    if best is None:
        return Plan(None, None, _closest(pool, quantity, max_size))
    return Plan(best, _smallest(pool, quantity, max_size, exclude=best.ikm_ids), None)
