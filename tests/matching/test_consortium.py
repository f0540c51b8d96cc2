"""The consortium solver against exhaustive enumeration, and the 40,000-pair story."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.consortium import Candidate, solve, usable


def _enumerate(candidates, quantity, max_size):
    """Every group's key (size, -quality) that can cover ``quantity``, best first; and the
    most units any allowed group can deliver."""
    pool = usable(candidates, quantity)
    keys, most = [], 0
    for size in range(1, max_size + 1):
        for group in combinations(pool, size):
            low = sum(c.min_order for c in group)
            high = sum(min(c.free, quantity) for c in group)
            if low <= quantity:
                most = max(most, min(high, quantity))
            if low <= quantity <= high:
                keys.append((size, -sum(c.quality for c in group)))
    return sorted(keys), most


candidate = st.builds(
    Candidate,
    ikm_id=st.integers(1, 10_000),
    free=st.integers(0, 60),
    min_order=st.integers(1, 25),
    quality=st.integers(0, 30),
)


@settings(max_examples=150, deadline=None)
@given(
    candidates=st.lists(candidate, min_size=1, max_size=6, unique_by=lambda c: c.ikm_id),
    quantity=st.integers(1, 150),
    max_size=st.integers(1, 4),
)
def test_the_solver_finds_what_enumeration_finds(candidates, quantity, max_size):
    plan = solve(candidates, quantity, max_size)
    keys, most = _enumerate(candidates, quantity, max_size)
    by_id = {c.ikm_id: c for c in candidates}
    if not keys:
        assert plan.best is None and plan.closest is not None
        assert plan.closest.total == most
        assert plan.closest.shortfall == quantity - most
        groups = [plan.closest]
    else:
        assert (plan.best.size, -plan.best.quality) == keys[0]
        assert plan.best.total == quantity
        if len(keys) > 1:
            assert (plan.alternative.size, -plan.alternative.quality) == keys[1]
            assert plan.alternative.ikm_ids != plan.best.ikm_ids
        else:
            assert plan.alternative is None
        groups = [g for g in (plan.best, plan.alternative) if g]
    for group in groups:
        assert group.size <= max_size
        for ikm_id, amount in group.allocations:
            assert by_id[ikm_id].min_order <= amount <= by_id[ikm_id].free


def test_forty_thousand_pairs_need_a_group():
    # Free pairs by the delivery date of eight Mojokerto makers; none reaches 40,000.
    makers = [
        Candidate(1, 12_000, 500, 820),
        Candidate(2, 9_000, 300, 790),
        Candidate(3, 8_000, 200, 760),
        Candidate(4, 6_000, 200, 800),
        Candidate(5, 6_000, 100, 700),
        Candidate(6, 4_500, 100, 650),
        Candidate(7, 3_000, 60, 600),
        Candidate(8, 2_000, 60, 550),
    ]
    assert all(m.free < 40_000 for m in makers)
    plan = solve(makers, 40_000, max_size=6)
    assert plan.best.total == 40_000 and plan.best.size == 5
    assert plan.best.is_optimal
    free = {m.ikm_id: m.free for m in makers}
    assert all(amount <= free[ikm_id] for ikm_id, amount in plan.best.allocations)
    assert plan.alternative is not None and plan.alternative.ikm_ids != plan.best.ikm_ids


def test_a_shortfall_is_stated_when_no_group_can():
    makers = [Candidate(i, 5_000, 100, 500) for i in range(1, 5)]
    plan = solve(makers, 40_000, max_size=3)
    assert plan.best is None
    assert plan.closest.total == 15_000
    assert (plan.closest.shortfall, plan.closest.shortfall_share) == (25_000, 0.625)


def test_the_same_instance_gives_the_same_answer():
    makers = [Candidate(i, 1_000 + 37 * i, 50, 10 + i % 3) for i in range(1, 80)]
    first, second = solve(makers, 9_000, 6), solve(makers, 9_000, 6)
    assert first == second
