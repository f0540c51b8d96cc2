"""What curation counts for the homes: rounds closing soon, reviews due, staged decisions and
the latest published decisions. Grouped queries: as many statements for many rows as for few."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func

from app.core.paging import ROWS, Page, paginate
from app.curation.models import Assignment, Review, Round, Submission, SubmissionState
from app.extensions import db

CLOSING_DAYS = 14
SHOWN = 5  # rows a home shows of each list; a link leads to the whole list


def _closing_soon(today: date, days: int = CLOSING_DAYS):
    """Rounds open for submissions today whose last day is within ``days``."""
    return db.select(Round).where(
        Round.closed_at.is_(None),
        Round.opens_on <= today,
        Round.closes_on >= today,
        Round.closes_on <= today + timedelta(days=days),
    )


def rounds_closing_soon(today: date, number: int = 1) -> Page:
    """A page of every partner's rounds that close within 14 days, the soonest first."""
    return paginate(_closing_soon(today).order_by(Round.closes_on, Round.id), number, ROWS)


def closing_soon_count(today: date) -> int:
    return db.session.scalar(db.select(func.count()).select_from(_closing_soon(today).subquery()))


@dataclass(frozen=True)
class DueReview:
    submission_id: int
    product: str
    round_title: str
    due_on: date


def reviews_due(user, limit: int = SHOWN) -> tuple[int, list[DueReview]]:
    """How many reviews ``user`` still has to submit, and the ``limit`` due soonest."""
    query = (
        db.select(
            Submission.id, Submission.snapshot, Round.title, Round.review_due_on, Assignment.id
        )
        .select_from(Assignment)
        .join(Submission, Assignment.submission_id == Submission.id)
        .join(Round, Submission.round_id == Round.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.curator_id == user.id, Assignment.cycle == Submission.cycle)
        .where(Assignment.conflict_declared_at.is_(None), Assignment.removed_at.is_(None))
        .where(Submission.state == SubmissionState.IN_REVIEW, Round.closed_at.is_(None))
        .where(Review.submitted_at.is_(None))
    )
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(Round.review_due_on, Assignment.id).limit(limit)).all()
    return total, [
        DueReview(sid, (snapshot or {}).get("name", ""), title, due)
        for sid, snapshot, title, due, _ in rows
    ]


@dataclass(frozen=True)
class PartnerRounds:
    """A partner's rounds by phase, and its decisions staged but not yet published."""

    open: int = 0
    closing_soon: int = 0
    in_review: int = 0
    closed: int = 0
    staged: int = 0


def partner_round_counts(partner_ids: list[int], today: date) -> dict[int, PartnerRounds]:
    """Per partner, in two grouped queries whatever the number of rounds."""
    if not partner_ids:
        return {}
    not_closed = Round.closed_at.is_(None)
    accepting = not_closed & (Round.opens_on <= today) & (Round.closes_on >= today)
    soon = accepting & (Round.closes_on <= today + timedelta(days=CLOSING_DAYS))

    def tally(condition):
        return func.sum(case((condition, 1), else_=0))

    phases = {
        row[0]: row[1:]
        for row in db.session.execute(
            db.select(
                Round.partner_id,
                tally(accepting),
                tally(soon),
                tally(not_closed & (Round.closes_on < today)),
                tally(~not_closed),
            )
            .where(Round.partner_id.in_(partner_ids))
            .group_by(Round.partner_id)
        )
    }
    staged = dict(
        db.session.execute(
            db.select(Round.partner_id, func.count(Submission.id))
            .join(Round, Submission.round_id == Round.id)
            .where(Round.partner_id.in_(partner_ids), not_closed)
            .where(Submission.staged_decision.is_not(None))
            .where(Submission.state == SubmissionState.IN_REVIEW)
            .group_by(Round.partner_id)
        ).all()
    )
    return {
        pid: PartnerRounds(
            *(int(n or 0) for n in phases.get(pid, (0, 0, 0, 0))), staged=staged.get(pid, 0)
        )
        for pid in partner_ids
    }


def current_rounds(partner_ids: list[int], limit: int = SHOWN) -> list[Round]:
    """The partners' rounds not yet closed, the one closing soonest first."""
    if not partner_ids:
        return []
    return list(
        db.session.scalars(
            db.select(Round)
            .where(Round.partner_id.in_(partner_ids), Round.closed_at.is_(None))
            .order_by(Round.closes_on, Round.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class PublishedDecision:
    ikm_id: int
    product: str
    round_title: str
    state: str
    published_at: datetime

    @property
    def state_label(self) -> str:
        from app.curation.models import STATE_LABELS

        return str(STATE_LABELS[SubmissionState(self.state)])


def latest_decisions(ikm_ids: list[int], limit: int = SHOWN) -> list[PublishedDecision]:
    """The latest published decisions on these IKMs' submissions, newest first (one query)."""
    if not ikm_ids:
        return []
    rows = db.session.execute(
        db.select(
            Submission.ikm_id,
            Submission.snapshot,
            Round.title,
            Submission.state,
            Submission.published_at,
        )
        .join(Round, Submission.round_id == Round.id)
        .where(Submission.ikm_id.in_(ikm_ids), Submission.published_at.is_not(None))
        .order_by(Submission.published_at.desc(), Submission.id.desc())
        .limit(limit)
    ).all()
    return [
        PublishedDecision(ikm_id, (snapshot or {}).get("name", ""), title, state, published)
        for ikm_id, snapshot, title, state, published in rows
    ]
