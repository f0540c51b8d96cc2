"""Curators' reviews: drafts, submitting scores, and the summary of a submission's reviews."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core import audit, clock
from app.core.errors import DomainValidationError, InvalidTransition
from app.curation import scoring
from app.curation.models import (
    FeedbackVisibility,
    Review,
    ReviewScore,
    Round,
    Submission,
    SubmissionState,
)
from app.extensions import db


def criteria_of(round_: Round) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(c.id, c.weight, c.scale_max, c.counts) for c in round_.rubric.criteria
    ]


def save_review(
    assignment, scores: dict[int, int], comment: str, private_note: str, submit: bool, by
) -> Review:
    """Save a draft, or submit: every criterion must then be scored within its scale."""
    from app.curation.permissions import can_review

    submission = assignment.submission
    if assignment.curator_id != by.id or not can_review(by, submission):
        raise InvalidTransition(_l("Scores can no longer be given for this submission."))
    criteria = submission.round.rubric.criteria
    for criterion in criteria:
        value = scores.get(criterion.id)
        if value is not None and not 1 <= value <= criterion.scale_max:
            raise DomainValidationError(
                _l(
                    "Score %(name)s from 1 to %(max)d.",
                    name=criterion.name,
                    max=criterion.scale_max,
                ),
                field="scores",
            )
        if submit and value is None:
            raise DomainValidationError(
                _l("Score every criterion before submitting."), field="scores"
            )
    review = assignment.review or Review(assignment=assignment)
    review.scores = {str(c.id): scores[c.id] for c in criteria if scores.get(c.id) is not None}
    review.comment, review.private_note = comment, private_note
    complete = all(scores.get(c.id) is not None for c in criteria)
    review.total = (
        scoring.weighted_score(scores, criteria_of(submission.round)) if complete else None
    )
    if submit and review.submitted_at is None:
        review.submitted_at = clock.now()
    db.session.add(review)
    db.session.flush()
    _keep_score_rows(review)
    audit.record(
        "review.submitted" if submit else "review.saved", submission, actor=by, review_id=review.id
    )
    return review


def _keep_score_rows(review: Review) -> None:
    """A submitted review's scores as rows (``ReviewScore``), replaced on every save."""
    db.session.execute(db.delete(ReviewScore).where(ReviewScore.review_id == review.id))
    if review.submitted_at is not None and review.scores:
        db.session.execute(
            db.insert(ReviewScore),
            [
                {
                    "review_id": review.id,
                    "criterion_id": int(key),
                    "score": value,
                    "submitted_at": review.submitted_at,
                }
                for key, value in review.scores.items()
            ],
        )


def review_scores(review: Review) -> dict[int, int]:
    return {int(k): v for k, v in review.scores.items()}


def submitted_reviews(submission: Submission, cycle: int | None = None) -> list[Review]:
    cycle = cycle or submission.cycle
    return [
        a.review
        for a in submission.assignments
        if a.cycle == cycle
        and a.review is not None
        and a.review.is_submitted
        and a.conflict_declared_at is None
    ]


def summary(submission: Submission, cycle: int | None = None) -> scoring.Summary:
    return scoring.summarise(r.total for r in submitted_reviews(submission, cycle))


def others_seen_by(assignment) -> list[Review]:
    """The other curators' submitted reviews, which a curator sees only after submitting their
    own (so that nobody anchors on another's scores)."""
    own = assignment.review
    if own is None or not own.is_submitted:
        return []
    return [r for r in submitted_reviews(assignment.submission) if r.assignment_id != assignment.id]


DECIDED = (SubmissionState.ACCEPTED, SubmissionState.REJECTED, SubmissionState.REVISION_REQUESTED)


def feedback_for_ikm(submission: Submission) -> dict:
    """What the IKM may see of the reviews once a decision is published, per the round's
    setting: criterion averages, and comments too where the round shares them; never the
    curators' private notes or who scored what."""
    if submission.published_at is None and submission.state not in DECIDED:
        return {"feedback_averages": None, "feedback_comments": []}
    visibility = submission.round.feedback_visibility
    found = submitted_reviews(submission, submission.cycle)
    averages = None
    if visibility in (FeedbackVisibility.AVERAGES, FeedbackVisibility.COMMENTS) and found:
        averages = scoring.criterion_averages(
            [review_scores(r) for r in found], criteria_of(submission.round)
        )
    comments = (
        [r.comment for r in found if r.comment] if visibility == FeedbackVisibility.COMMENTS else []
    )
    return {"feedback_averages": averages, "feedback_comments": comments}
