"""A round's results: the ranked table, the CSV export and the statistics the office plans with.

These read plain columns rather than ORM objects: a round can hold thousands of submissions.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.curation import scoring
from app.curation.models import (
    DECISION_LABELS,
    STATE_LABELS,
    Assignment,
    Decision,
    Review,
    Round,
    Submission,
    SubmissionState,
)
from app.curation.reviews import criteria_of
from app.extensions import db
from app.orgs.models import IKM


@dataclass(frozen=True)
class Row:
    submission_id: int
    name: str
    ikm_name: str
    category: str
    state: str
    cycle: int
    staged_decision: str | None
    published_at: datetime | None
    seats: int
    summary: scoring.Summary
    passes: bool
    rank: int | None
    criterion_averages: dict[int, float] = field(default_factory=dict)


def _submissions(round_: Round):
    return db.session.execute(
        db.select(
            Submission.id,
            Submission.snapshot["name"].as_string(),
            Submission.snapshot["category"].as_string(),
            IKM.name,
            Submission.state,
            Submission.cycle,
            Submission.staged_decision,
            Submission.published_at,
        )
        .join(IKM, Submission.ikm_id == IKM.id)
        .where(Submission.round_id == round_.id)
    ).all()


def _current_seats(round_: Round, with_scores: bool):
    """(submission id, total, scores, submitted at) per active seat of each current cycle."""
    columns = [Assignment.submission_id, Review.total, Review.submitted_at]
    if with_scores:
        columns.append(Review.scores)
    return db.session.execute(
        db.select(*columns)
        .join(Submission, Assignment.submission_id == Submission.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Submission.round_id == round_.id, Assignment.cycle == Submission.cycle)
        .where(Assignment.conflict_declared_at.is_(None), Assignment.removed_at.is_(None))
    ).all()


def ranked(round_: Round, with_criteria: bool = False) -> list[Row]:
    """Every submission with its mean, median, disagreement and pass mark, best first."""
    seats: dict[int, int] = defaultdict(int)
    totals: dict[int, list[float]] = defaultdict(list)
    scores: dict[int, list[dict[int, int]]] = defaultdict(list)
    for seat in _current_seats(round_, with_criteria):
        seats[seat[0]] += 1
        if seat[2] is not None:  # submitted
            totals[seat[0]].append(seat[1])
            if with_criteria:
                scores[seat[0]].append({int(k): v for k, v in seat[3].items()})
    criteria = criteria_of(round_) if with_criteria else []
    summaries = []
    for sid, name, category, ikm_name, state, cycle, staged, published in _submissions(round_):
        summaries.append(
            (
                scoring.summarise(totals[sid]),
                sid,
                name,
                category,
                ikm_name,
                state,
                cycle,
                staged,
                published,
            )
        )
    summaries.sort(key=lambda item: (item[0].mean is None, -(item[0].mean or 0), item[1]))
    rows, rank = [], 0
    for summary, sid, name, category, ikm_name, state, cycle, staged, published in summaries:
        counted = summary.mean is not None and state != SubmissionState.WITHDRAWN
        rank += counted
        averages = scoring.criterion_averages(scores[sid], criteria) if with_criteria else {}
        rows.append(
            Row(
                sid,
                name or "",
                ikm_name,
                category or "",
                state,
                cycle,
                staged,
                published,
                seats[sid],
                summary,
                scoring.passes(summary.mean, round_.pass_threshold),
                rank if counted else None,
                averages,
            )
        )
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula: such text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


CSV_HEADERS = (
    _l("Rank"),
    _l("Submission"),
    _l("Product"),
    _l("IKM"),
    _l("Category"),
    _l("Review cycle"),
    _l("State"),
    _l("Staged decision"),
    _l("Reviews"),
    _l("Mean"),
    _l("Median"),
    _l("Spread"),
    _l("Passes"),
)


def results_csv(round_: Round, show_ikm: bool = True) -> str:
    """The ranked table for a spreadsheet, in the user's language; every cell formula-safe."""
    criteria = round_.rubric.criteria
    out = io.StringIO()
    writer = csv.writer(out)
    header = [*(str(h) for h in CSV_HEADERS), *[c.name for c in criteria]]
    writer.writerow([safe_cell(h) for h in header])
    for row in ranked(round_, with_criteria=True):
        values = [
            row.rank,
            row.submission_id,
            row.name,
            row.ikm_name if show_ikm else "",
            row.category,
            row.cycle,
            STATE_LABELS[SubmissionState(row.state)],
            DECISION_LABELS[Decision(row.staged_decision)] if row.staged_decision else "",
            row.summary.count,
            row.summary.mean,
            row.summary.median,
            row.summary.spread,
            _("yes") if row.passes else _("no"),
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


def statistics(round_: Round) -> Statistics:
    """Counts by state, pass rate, and per criterion over every submitted review of every cycle."""
    by_state = Counter(
        dict(
            db.session.execute(
                db.select(Submission.state, db.func.count(Submission.id))
                .where(Submission.round_id == round_.id)
                .group_by(Submission.state)
            ).all()
        )
    )
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
        {int(k): v for k, v in scores.items()}
        for scores in db.session.scalars(
            db.select(Review.scores)
            .join(Assignment, Review.assignment_id == Assignment.id)
            .join(Submission, Assignment.submission_id == Submission.id)
            .where(
                Submission.round_id == round_.id,
                Review.submitted_at.is_not(None),
                Assignment.conflict_declared_at.is_(None),
            )
        )
    ]
    criteria = criteria_of(round_)
    averages = scoring.criterion_averages(all_reviews, criteria)
    shortfalls = scoring.shortfall_rates(all_reviews, criteria)
    by_id = {c.id: c for c in round_.rubric.criteria}
    return Statistics(
        by_state=dict(by_state),
        decided=decided,
        accepted=accepted,
        pass_rate=None if decided == 0 else round(accepted / decided, 3),
        criterion_averages=[(by_id[cid], share) for cid, share in averages.items()],
        shortfalls=sorted(
            ((by_id[cid], rate) for cid, rate in shortfalls.items()), key=lambda item: -item[1]
        ),
        reviews=len(all_reviews),
    )
