"""Who may see and do what in curation. Anything not allowed answers 404."""

from __future__ import annotations

from app.catalog import permissions as catalog_permissions
from app.curation.models import Round, Submission, SubmissionState
from app.extensions import db
from app.orgs.models import MemberRole
from app.orgs.permissions import has_role


def is_partner_admin(user, partner) -> bool:
    return has_role(user, partner, MemberRole.PARTNER_ADMIN)


def can_manage_round(user, round_: Round) -> bool:
    return is_partner_admin(user, round_.partner)


def assignment_of(user, submission: Submission):
    """The user's active assignment on the submission's current cycle, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next((a for a in submission.current_assignments() if a.curator_id == user.id), None)


def is_ikm_member(user, submission: Submission) -> bool:
    return has_role(user, submission.ikm, MemberRole.OWNER, MemberRole.STAFF)


def can_view_submission(user, submission: Submission) -> bool:
    return (
        can_manage_round(user, submission.round)
        or is_ikm_member(user, submission)
        or assignment_of(user, submission) is not None
    )


def can_review(user, submission: Submission) -> bool:
    """Assigned now, in review, no decision published, round still open for scores."""
    return (
        assignment_of(user, submission) is not None
        and submission.state == SubmissionState.IN_REVIEW
        and submission.round.closed_at is None
        and has_role(user, submission.round.partner, MemberRole.CURATOR, MemberRole.PARTNER_ADMIN)
    )


def can_see_ikm_identity(user, submission: Submission) -> bool:
    return not submission.round.is_blind or not (
        assignment_of(user, submission) and not can_manage_round(user, submission.round)
    )


def can_view_round_figures(user, round_: Round) -> bool:
    """Statistics and exports: the partner's admins and the trade office."""
    return can_manage_round(user, round_) or getattr(user, "is_admin", False)


def may_read_document_in_curation(user, certificate) -> bool:
    """A curator assigned now, or a partner admin of the round, to a submission including it."""

    submissions = db.session.scalars(
        db.select(Submission).filter_by(ikm_id=certificate.ikm_id)
    ).all()
    for submission in submissions:
        if certificate.id not in submission.snapshot.get("certificate_ids", []):
            continue
        if can_manage_round(user, submission.round) or assignment_of(user, submission) is not None:
            return True
    return False


catalog_permissions.DOCUMENT_READERS.append(may_read_document_in_curation)
