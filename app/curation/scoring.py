"""Score arithmetic: weighted scores out of 100, and what a set of reviews says together."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Reviews of one submission further apart than this (points out of 100) are flagged.
DISAGREEMENT_SPREAD = 25
# A criterion scored in the lower half of its scale counts as "falling short".
SHORTFALL_SHARE = 0.5


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: int
    scale_max: int
    counts: bool = True


def normalised(score: int, scale_max: int) -> float:
    """A score on 1..scale_max as a share of the scale: 1 is 0.0, scale_max is 1.0."""
    return (score - 1) / (scale_max - 1)


def weighted_score(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> float | None:
    """The weighted score out of 100 over the criteria that count; None when nothing counts.

    Weights are relative (multiplying them all by the same number changes nothing), and a
    higher score on any criterion never lowers the total.
    """
    counted = [c for c in criteria if c.counts and c.weight > 0]
    total_weight = sum(c.weight for c in counted)
    if not counted or total_weight == 0:
        return None
    earned = sum(c.weight * normalised(scores[c.id], c.scale_max) for c in counted)
    return round(100 * earned / total_weight, 2)


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    median: float | None
    spread: float | None

    @property
    def disagrees(self) -> bool:
        return self.spread is not None and self.spread > DISAGREEMENT_SPREAD


def summarise(totals: Iterable[float]) -> Summary:
    values = [t for t in totals if t is not None]
    if not values:
        return Summary(0, None, None, None)
    return Summary(
        len(values),
        round(statistics.fmean(values), 1),
        round(statistics.median(values), 1),
        round(max(values) - min(values), 1),
    )


def criterion_averages(
    reviews: Iterable[Mapping[int, int]], criteria: Iterable[Criterion]
) -> dict[int, float]:
    """The mean score per criterion, as a share of its scale (0..1), over the reviews given."""
    sums: dict[int, list[float]] = {}
    for scores in reviews:
        for criterion in criteria:
            if criterion.id in scores:
                sums.setdefault(criterion.id, []).append(
                    normalised(scores[criterion.id], criterion.scale_max)
                )
    return {cid: round(statistics.fmean(values), 3) for cid, values in sums.items()}


def shortfall_rates(
    reviews: Iterable[Mapping[int, int]], criteria: Iterable[Criterion]
) -> dict[int, float]:
    """For each criterion, the share of reviews that scored it in the lower half of its scale."""
    low: dict[int, int] = {}
    seen: dict[int, int] = {}
    for scores in reviews:
        for criterion in criteria:
            if criterion.id in scores:
                seen[criterion.id] = seen.get(criterion.id, 0) + 1
                if normalised(scores[criterion.id], criterion.scale_max) < SHORTFALL_SHARE:
                    low[criterion.id] = low.get(criterion.id, 0) + 1
    return {cid: round(low.get(cid, 0) / count, 3) for cid, count in seen.items()}


def passes(mean: float | None, threshold: int) -> bool:
    return mean is not None and mean >= threshold
