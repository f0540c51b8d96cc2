"""Assigning curators to submissions: by hand or balanced automatically, never with a conflict.

A curator has a conflict with an IKM when they belong to it, or when they declared one.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.auth.models import User
from app.core import audit, clock, i18n
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.notifications import notify
from app.core.paging import CARDS, Page, paginate
from app.core.urls import path_for
from app.curation.models import Assignment, Conflict, Review, Round, Submission, SubmissionState
from app.curation.workflow import Action, transition
from app.extensions import db
from app.orgs.models import MemberRole, Membership


def curators_of(round_: Round) -> list[User]:
    return db.session.scalars(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == round_.partner_id, Membership.role == MemberRole.CURATOR
        )
        .where(User.is_disabled.is_(False))
        .order_by(User.full_name)
    ).all()


def conflicts(curator_ids: list[int], ikm_ids: list[int]) -> set[tuple[int, int]]:
    """(curator, IKM) pairs that must never meet: membership or a declared conflict."""
    if not curator_ids or not ikm_ids:
        return set()
    members = db.session.execute(
        db.select(Membership.user_id, Membership.organisation_id).where(
            Membership.user_id.in_(curator_ids), Membership.organisation_id.in_(ikm_ids)
        )
    ).all()
    declared = db.session.execute(
        db.select(Conflict.curator_id, Conflict.ikm_id).where(
            Conflict.curator_id.in_(curator_ids), Conflict.ikm_id.in_(ikm_ids)
        )
    ).all()
    return {tuple(row) for row in [*members, *declared]}


def _current_seats(round_: Round):
    """Active assignments of this round's current review cycles, per curator."""
    return (
        db.select(Assignment.curator_id, db.func.count(Assignment.id))
        .join(Submission, Assignment.submission_id == Submission.id)
        .where(Submission.round_id == round_.id, Assignment.cycle == Submission.cycle)
        .where(Assignment.conflict_declared_at.is_(None), Assignment.removed_at.is_(None))
        .group_by(Assignment.curator_id)
    )


def round_load(round_: Round) -> dict[int, int]:
    """Seats per curator in the round's current cycles, done or not: what balancing and the
    round's limit per curator count."""
    return dict(db.session.execute(_current_seats(round_)).all())


def open_load(round_: Round) -> dict[int, int]:
    """The work still on each curator's desk: seats on submissions waiting for review whose
    review is not submitted yet (a draft still counts)."""
    rows = db.session.execute(
        _current_seats(round_)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Submission.state.in_((SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)))
        .where(Review.submitted_at.is_(None))
    ).all()
    return dict(rows)


def assign(submission: Submission, curator: User, by) -> Assignment:
    """Assign one curator by hand.

    :raises DomainValidationError: not a curator of the partner, a conflict, or already assigned
    """
    round_ = submission.round
    _ensure_assignable(submission)
    if curator.id not in {c.id for c in curators_of(round_)}:
        raise DomainValidationError(
            _l("Only curators of %(partner)s can be assigned.", partner=round_.partner.name),
            field="curator_id",
        )
    if conflicts([curator.id], [submission.ikm_id]):
        raise DomainValidationError(
            _l("%(name)s has a conflict of interest with this IKM.", name=curator.full_name),
            field="curator_id",
        )
    if any(a.curator_id == curator.id for a in submission.current_assignments()):
        raise DomainValidationError(
            _l("%(name)s is already assigned.", name=curator.full_name), field="curator_id"
        )
    return _create(submission, curator.id, by)


def _ensure_assignable(submission: Submission) -> None:
    if (
        submission.state not in (SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)
        or submission.round.closed_at
    ):
        raise InvalidTransition(
            _l("Curators can only be assigned to submissions waiting for review.")
        )


def _create(submission: Submission, curator_id: int, by, tell: bool = True) -> Assignment:
    """Seat a curator; a seat once removed is reused rather than duplicated."""
    existing = next(
        (
            a
            for a in submission.assignments
            if a.curator_id == curator_id and a.cycle == submission.cycle
        ),
        None,
    )
    assignment = existing or Assignment(
        submission=submission, curator_id=curator_id, cycle=submission.cycle
    )
    assignment.removed_at = None
    assignment.assigned_at = clock.now()
    assignment.assigned_by_id = by.id
    db.session.add(assignment)
    if submission.state == SubmissionState.SUBMITTED:
        transition(submission, Action.START_REVIEW, by=by)
    if tell:  # automatic runs record one entry for the round instead
        audit.record(
            "assignment.created",
            submission,
            actor=by,
            curator_id=curator_id,
            cycle=submission.cycle,
        )
        notify(
            db.session.get(User, curator_id),
            f"assigned:{submission.id}:{submission.cycle}",
            _l(
                "You are asked to review %(product)s for %(round)s.",
                product=_product_name(submission, for_curator=True),
                round=submission.round.title,
            ),
            path_for("curation.submission", submission_id=submission.id),
            template="curator_assigned",
            due=submission.round.review_due_on,
            submission=submission,
        )
    return assignment


def _product_name(submission: Submission, for_curator: bool) -> str:
    return submission.snapshot.get("name") or submission.product.name


def unassign(assignment: Assignment, by) -> None:
    if assignment.review is not None and assignment.review.is_submitted:
        raise InvalidTransition(_l("This curator has already submitted a review."))
    assignment.removed_at = clock.now()
    audit.record(
        "assignment.removed", assignment.submission, actor=by, curator_id=assignment.curator_id
    )


def auto_assign(round_: Round, by, max_per_curator: int | None = None) -> int:
    """Fill every waiting submission up to the round's number of curators.

    Balanced: each seat goes to the eligible curator with the least work in the round (ties
    by name order); nobody gets more than ``max_per_curator``; conflicts are never assigned;
    a resubmitted product goes back to its earlier curators where possible. Returns how many
    assignments were made; submissions that cannot be filled keep their empty seats.
    """
    limit = max_per_curator or round_.max_per_curator
    curators = curators_of(round_)
    submissions = db.session.scalars(
        db.select(Submission)
        .where(Submission.round_id == round_.id)
        .where(Submission.state.in_((SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)))
        .options(selectinload(Submission.assignments).selectinload(Assignment.review))
    ).all()
    waiting = list(submissions)
    if not curators or not waiting or round_.closed_at:
        return 0
    blocked = conflicts([c.id for c in curators], list({s.ikm_id for s in waiting}))
    load = defaultdict(int, round_load(round_))
    order = {c.id: i for i, c in enumerate(curators)}
    heap = [(load[c.id], order[c.id], c.id) for c in curators]
    heapq.heapify(heap)
    made: dict[int, int] = defaultdict(int)
    with db.session.no_autoflush:  # one flush at the end, not one per seat
        _fill(waiting, round_, heap, load, order, limit, blocked, made, by)
    db.session.flush()
    audit.record(
        "assignment.automatic", round_, actor=by, made={str(k): v for k, v in made.items()}
    )
    _tell_curators(round_, made)
    return sum(made.values())


def _fill(waiting, round_, heap, load, order, limit, blocked, made, by) -> None:
    for submission in sorted(waiting, key=lambda s: s.id):
        taken = {a.curator_id for a in submission.current_assignments()}
        for _ in range(round_.curators_per_submission - len(taken)):

            def fits(cid, taken=taken, ikm_id=submission.ikm_id):
                return cid not in taken and (cid, ikm_id) not in blocked

            chosen = _pick(heap, load, order, limit, fits, preferred=_earlier_curators(submission))
            if chosen is None:
                break
            _create(submission, chosen, by, tell=False)
            taken.add(chosen)
            made[chosen] += 1


def _tell_curators(round_: Round, made: dict[int, int]) -> None:
    """One message per curator for a whole run, not one per product."""
    stamp = clock.now().strftime("%Y%m%d%H%M%S%f")
    for curator_id, count in made.items():
        notify(
            db.session.get(User, curator_id),
            f"assigned-batch:{round_.id}:{stamp}",
            _ln(
                "You have %(num)d new product to review for %(round)s.",
                "You have %(num)d new products to review for %(round)s.",
                count,
                round=round_.title,
            ),
            path_for("curation.queue"),
            template="curator_assigned_batch",
            round=round_,
            count=count,
        )


def _earlier_curators(submission: Submission) -> set[int]:
    return {
        a.curator_id
        for a in submission.assignments
        if a.cycle < submission.cycle and a.conflict_declared_at is None
    }


def _pick(heap, load, order, limit, fits, preferred: set[int]) -> int | None:
    """The least-loaded curator who fits (an earlier curator of the product first)."""
    for cid in sorted(preferred, key=lambda c: (load[c], order.get(c, 0))):
        if cid in order and fits(cid) and (limit is None or load[cid] < limit):
            _bump(heap, load, order, cid)
            return cid
    skipped, chosen = [], None
    while heap:
        current, rank, cid = heapq.heappop(heap)
        if current != load[cid]:
            continue  # stale entry
        if fits(cid) and (limit is None or current < limit):
            chosen = cid
            break
        skipped.append((current, rank, cid))
    for entry in skipped:
        heapq.heappush(heap, entry)
    if chosen is not None:
        load[chosen] += 1
        heapq.heappush(heap, (load[chosen], order[chosen], chosen))
    return chosen


def _bump(heap, load, order, cid) -> None:
    load[cid] += 1
    heapq.heappush(heap, (load[cid], order[cid], cid))


def declare_conflict(assignment: Assignment, reason: str, by) -> None:
    """The curator steps aside; the seat frees up and the IKM is never assigned to them again."""
    if assignment.curator_id != by.id or not assignment.is_active:
        raise InvalidTransition(_l("This assignment is not yours to decline."))
    if assignment.review is not None and assignment.review.is_submitted:
        raise InvalidTransition(_l("You have already submitted a review for this product."))
    assignment.conflict_declared_at = clock.now()
    ikm_id = assignment.submission.ikm_id
    if not db.session.scalar(db.select(Conflict.id).filter_by(curator_id=by.id, ikm_id=ikm_id)):
        db.session.add(Conflict(curator_id=by.id, ikm_id=ikm_id, reason=reason.strip()))
    db.session.flush()
    audit.record("assignment.conflict_declared", assignment.submission, actor=by)


def curator_queue(user: User, number: int = 1) -> Page:
    """A page of a curator's current work (active assignments on submissions still in review):
    what is still to do first, then by due date; each with its submission, round and review."""
    finished = Review.submitted_at.is_not(None)
    return paginate(
        db.select(Assignment)
        .join(Submission, Assignment.submission_id == Submission.id)
        .join(Round, Submission.round_id == Round.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.curator_id == user.id, Assignment.cycle == Submission.cycle)
        .where(Assignment.conflict_declared_at.is_(None), Assignment.removed_at.is_(None))
        .where(Submission.state == SubmissionState.IN_REVIEW)
        .options(contains_eager(Assignment.review), joinedload(Assignment.submission))
        .order_by(finished, Round.review_due_on, Assignment.id),
        number,
        CARDS,
    )


def send_due_reminders(today, days: int = 3) -> int:
    """Remind curators whose review is due within ``days`` and not yet submitted, once."""
    from datetime import timedelta

    from app.curation.models import Round as RoundModel

    sent = 0
    rows = db.session.scalars(
        db.select(Assignment)
        .join(Submission, Assignment.submission_id == Submission.id)
        .join(RoundModel, Submission.round_id == RoundModel.id)
        .where(Assignment.cycle == Submission.cycle, Assignment.conflict_declared_at.is_(None))
        .where(Assignment.removed_at.is_(None), Submission.state == SubmissionState.IN_REVIEW)
        .where(
            RoundModel.review_due_on <= today + timedelta(days=days), RoundModel.closed_at.is_(None)
        )
    ).all()
    for assignment in rows:
        if assignment.review is not None and assignment.review.is_submitted:
            continue
        submission = assignment.submission
        if notify(
            assignment.curator,
            f"due:{submission.id}:{submission.cycle}",
            _l(
                "Your review of %(product)s is due on %(date)s.",
                product=_product_name(submission, True),
                date=i18n.lazy_day(submission.round.review_due_on),
            ),
            path_for("curation.review", submission_id=submission.id),
            template="review_due",
            due=submission.round.review_due_on,
            submission=submission,
        ):
            assignment.reminded_at = clock.now()
            sent += 1
    return sent


def lacking_curators(round_) -> int:
    """How many submissions waiting for review have fewer curators than the round asks for."""
    return sum(
        1
        for s in round_.submissions
        if s.state in (SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW)
        and len(s.current_assignments()) < round_.curators_per_submission
    )
