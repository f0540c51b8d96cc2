"""Curation rounds, rubrics, submissions, assignments, reviews and the recorded workflow."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, UTCDateTime, current_time
from app.extensions import db


class FeedbackVisibility(StrEnum):
    NOTHING = "nothing"
    AVERAGES = "averages"
    COMMENTS = "comments"


FEEDBACK_LABELS = {
    FeedbackVisibility.NOTHING: _l("Only the decision and the partner's feedback"),
    FeedbackVisibility.AVERAGES: _l("Also the average score per criterion"),
    FeedbackVisibility.COMMENTS: _l("Also the curators' comments"),
}


class Rubric(db.Model):
    """A list of weighted criteria. Templates are seeded; each round owns its copy."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    is_template: Mapped[bool] = mapped_column(Boolean, default=False)
    slug: Mapped[str | None] = mapped_column(String(60), unique=True)  # templates only

    criteria = relationship(
        "RubricCriterion",
        back_populates="rubric",
        order_by="RubricCriterion.position",
        cascade="all, delete-orphan",
    )


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    counts: Mapped[bool] = mapped_column(Boolean, default=True)  # False: informational only
    position: Mapped[int] = mapped_column(Integer, default=0)

    rubric = relationship("Rubric", back_populates="criteria")


round_categories = Table(
    "round_categories",
    db.metadata,
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class Round(TimestampMixin, db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)  # last day to submit
    review_due_on: Mapped[date] = mapped_column(Date)
    curators_per_submission: Mapped[int] = mapped_column(Integer, default=2)
    max_per_curator: Mapped[int | None] = mapped_column(Integer)
    min_capacity: Mapped[int | None] = mapped_column(Integer)
    min_capacity_unit: Mapped[str | None] = mapped_column(String(10))
    # {"makanan": [["halal"], ["pirt", "bpom"]]}: per sector (top-level category slug)
    required_certificates: Mapped[dict] = mapped_column(JSON, default=dict)
    is_blind: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_visibility: Mapped[str] = mapped_column(
        String(10), default=FeedbackVisibility.AVERAGES
    )
    pass_threshold: Mapped[int] = mapped_column(Integer, default=70)
    quota: Mapped[int | None] = mapped_column(Integer)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    partner = relationship("Partner", lazy="joined")
    rubric = relationship("Rubric", lazy="joined", cascade="all, delete-orphan", single_parent=True)
    categories = relationship("Category", secondary=round_categories, order_by="Category.position")
    submissions = relationship("Submission", back_populates="round", cascade="all, delete-orphan")


class SubmissionState(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVISION_REQUESTED = "revision"


STATE_LABELS = {
    SubmissionState.SUBMITTED: _l("Received"),
    SubmissionState.IN_REVIEW: _l("In review"),
    SubmissionState.WITHDRAWN: _l("Withdrawn"),
    SubmissionState.ACCEPTED: _l("Accepted"),
    SubmissionState.REJECTED: _l("Not accepted"),
    SubmissionState.REVISION_REQUESTED: _l("Revision requested"),
}


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    REVISE = "revise"


DECISION_LABELS = {
    Decision.ACCEPT: _l("Accept"),
    Decision.REJECT: _l("Reject"),
    Decision.REVISE: _l("Request a revision"),
}


class Submission(TimestampMixin, db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("round_id", "product_id"),
        # Badges and cards look submissions up by product, an IKM's page by IKM: with the state
        # in the index the planner starts there, not from every accepted submission.
        Index("ix_submissions_product_state", "product_id", "state", "published_at"),
        Index("ix_submissions_ikm_state", "ikm_id", "state"),
        # The programme figures' curation by round, counted from the index alone.
        Index(
            "ix_submissions_round_submitted",
            "round_id",
            "submitted_at",
            "state",
            "published_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(12), index=True)
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    # A decision is staged first and published later, together with others.
    staged_decision: Mapped[str | None] = mapped_column(String(10))
    decision_reason: Mapped[str | None] = mapped_column(Text)  # shown to the IKM
    conditions: Mapped[list] = mapped_column(
        JSON, default=list
    )  # [{"text": .., "done_at": iso or None}]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round = relationship("Round", back_populates="submissions", lazy="joined")
    product = relationship("Product", lazy="joined")
    ikm = relationship("IKM", lazy="joined")
    assignments = relationship(
        "Assignment", back_populates="submission", cascade="all, delete-orphan"
    )
    events = relationship(
        "SubmissionEvent",
        back_populates="submission",
        order_by="SubmissionEvent.id",
        cascade="all, delete-orphan",
    )

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[SubmissionState(self.state)])

    def current_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.cycle == self.cycle and a.is_active]


class SubmissionEvent(db.Model):
    """One recorded transition: who, when, from, to, and a note."""

    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    cycle: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    submission = relationship("Submission", back_populates="events")
    actor = relationship("User", lazy="joined")


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("submission_id", "curator_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    curator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cycle: Mapped[int] = mapped_column(Integer)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    conflict_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submission = relationship("Submission", back_populates="assignments")
    curator = relationship("User", foreign_keys=[curator_id], lazy="joined")
    review = relationship(
        "Review", back_populates="assignment", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.conflict_declared_at is None and self.removed_at is None


class Review(TimestampMixin, db.Model):
    """One curator's review of one cycle; saving again updates it, never duplicates it."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # {criterion id (str): score}
    comment: Mapped[str] = mapped_column(Text, default="")  # for the IKM
    private_note: Mapped[str] = mapped_column(Text, default="")  # for the partner only
    total: Mapped[float | None]  # weighted score out of 100, kept for ranking
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment = relationship("Assignment", back_populates="review")

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewScore(db.Model):
    """A submitted review's score for one criterion, as a row (``reviews.save_review`` keeps
    them in step with ``Review.scores``, which stays the review's own record): the programme
    figures count scores per criterion over a period from one covering index instead of
    reading every review's JSON (192 → 22 ms over 40,000 reviews)."""

    __tablename__ = "review_scores"
    __table_args__ = (
        Index("ix_review_scores_criterion_score_at", "criterion_id", "score", "submitted_at"),
    )

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Conflict(db.Model):
    """A curator who must not review an IKM's products."""

    __tablename__ = "curator_conflicts"
    __table_args__ = (UniqueConstraint("curator_id", "ikm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
