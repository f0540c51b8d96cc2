"""A round's results: the ranked table, the CSV export and the statistics the office plans with."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from app.curation import scoring
from app.curation.models import Assignment, Round, Submission, SubmissionState
from app.curation.services import criteria_of, review_scores
from app.extensions import db


@dataclass(frozen=True)
class Row:
    submission: Submission
    summary: scoring.Summary
    criterion_averages: dict[int, float]
    passes: bool
    rank: int | None


def _load(round: Round) -> list[Submission]:
    """The round's submissions with their assignments and reviews, in three queries."""
    return (
        db.session.scalars(
            db.select(Submission)
            .where(Submission.round_id == round.id)
            .options(selectinload(Submission.assignments).selectinload(Assignment.review))
        )
        .unique()
        .all()
    )


def _current_reviews(submission: Submission):
    return [
        a.review
        for a in submission.assignments
        if a.cycle == submission.cycle
        and a.conflict_declared_at is None
        and a.review is not None
        and a.review.is_submitted
    ]


def ranked(round: Round) -> list[Row]:
    """Every submission with its mean, median, disagreement and pass mark, best first."""
    criteria = criteria_of(round)
    rows = []
    for submission in _load(round):
        reviews = _current_reviews(submission)
        summary = scoring.summarise(r.total for r in reviews)
        averages = scoring.criterion_averages([review_scores(r) for r in reviews], criteria)
        rows.append((submission, summary, averages))
    rows.sort(key=lambda row: (row[1].mean is None, -(row[1].mean or 0), row[0].id))
    ranked_rows, rank = [], 0
    for submission, summary, averages in rows:
        counted = summary.mean is not None and submission.state != SubmissionState.WITHDRAWN
        rank += counted
        ranked_rows.append(
            Row(
                submission,
                summary,
                averages,
                scoring.passes(summary.mean, round.pass_threshold),
                rank if counted else None,
            )
        )
    return ranked_rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula: such text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def results_csv(round: Round, show_ikm: bool = True) -> str:
    criteria = round.rubric.criteria
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        "rank",
        "submission",
        "product",
        "ikm",
        "category",
        "cycle",
        "state",
        "staged_decision",
        "reviews",
        "mean",
        "median",
        "spread",
        "passes",
        *[c.name for c in criteria],
    ]
    writer.writerow([safe_cell(h) for h in header])
    for row in ranked(round):
        s = row.submission
        values = [
            row.rank,
            s.id,
            s.snapshot.get("name", s.product.name),
            s.ikm.name if show_ikm else "",
            s.snapshot.get("category", ""),
            s.cycle,
            s.state,
            s.staged_decision or "",
            row.summary.count,
            row.summary.mean,
            row.summary.median,
            row.summary.spread,
            "yes" if row.passes else "no",
            *[_percent(row.criterion_averages.get(c.id)) for c in criteria],
        ]
        writer.writerow([safe_cell(v) for v in values])
    return out.getvalue()


def _percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}"


@dataclass(frozen=True)
class Statistics:
    by_state: dict[str, int]
    decided: int
    accepted: int
    pass_rate: float | None
    criterion_averages: list[tuple[object, float]]  # (criterion, share of the scale)
    shortfalls: list[tuple[object, float]]  # (criterion, share of reviews in the lower half)
    reviews: int


def statistics(round: Round) -> Statistics:
    submissions = _load(round)
    by_state = Counter(s.state for s in submissions)
    decided = sum(
        by_state[s]
        for s in (
            SubmissionState.ACCEPTED,
            SubmissionState.REJECTED,
            SubmissionState.REVISION_REQUESTED,
        )
    )
    accepted = by_state[SubmissionState.ACCEPTED]
    all_reviews = [
        review_scores(a.review)
        for s in submissions
        for a in s.assignments
        if a.review is not None and a.review.is_submitted and a.conflict_declared_at is None
    ]
    criteria = criteria_of(round)
    averages = scoring.criterion_averages(all_reviews, criteria)
    shortfalls = scoring.shortfall_rates(all_reviews, criteria)
    by_id = {c.id: c for c in round.rubric.criteria}
    return Statistics(
        by_state=dict(by_state),
        decided=decided,
        accepted=accepted,
        pass_rate=round_share(accepted, decided),
        criterion_averages=[(by_id[cid], share) for cid, share in averages.items()],
        shortfalls=sorted(
            ((by_id[cid], rate) for cid, rate in shortfalls.items()), key=lambda item: -item[1]
        ),
        reviews=len(all_reviews),
    )


def round_share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 3)
