"""The audit trail: who did what to which object, recorded in the same transaction."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, current_time
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")


def record(action: str, obj, actor=None, **details) -> AuditEntry:
    """Add an audit entry for ``obj`` (flushed, so it has an id) to the session.

    :param action: a dotted verb such as ``ikm.verified``
    :param actor: the user who acted, or None for the system
    """
    entry = AuditEntry(
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        actor_id=actor.id if actor is not None else None,
        details=details,
    )
    db.session.add(entry)
    return entry


def entries_for(obj) -> list[AuditEntry]:
    return db.session.scalars(
        db.select(AuditEntry)
        .filter_by(object_type=obj.__tablename__, object_id=obj.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()


ACTION_LABELS = {
    "user.created": _l("Account created"),
    "user.email_confirmed": _l("Email confirmed"),
    "user.password_changed": _l("Password changed"),
    "member.added": _l("Member added"),
    "member.removed": _l("Member removed"),
    "invitation.sent": _l("Invitation sent"),
    "invitation.revoked": _l("Invitation cancelled"),
    "ikm.profile_saved": _l("Profile saved"),
    "ikm.verified": _l("Verified"),
    "ikm.rejected": _l("Asked for changes"),
    "organisation.logo_changed": _l("Logo changed"),
    "partner.created": _l("Partner created"),
    "partner.activated": _l("Partner activated"),
    "partner.deactivated": _l("Partner deactivated"),
    "product.created": _l("Product created"),
    "product.updated": _l("Product changed"),
    "product.duplicated": _l("Product duplicated"),
    "product.archived": _l("Product archived"),
    "product.restored": _l("Product restored"),
    "product.photo_added": _l("Photo added"),
    "product.photo_deleted": _l("Photo deleted"),
    "product.photos_reordered": _l("Photos reordered"),
    "product.cover_changed": _l("Cover photo changed"),
    "certificate.claimed": _l("Certificate added"),
    "certificate.updated": _l("Certificate changed"),
    "certificate.verified": _l("Certificate verified"),
    "certificate.rejected": _l("Certificate rejected"),
    "certificate.deleted": _l("Certificate deleted"),
    "certificate.reminded": _l("Expiry reminder sent"),
    # Recorded by curation, matching and events without a label of their own there.
    "round.created": _l("Round created"),
    "round.updated": _l("Round changed"),
    "round.closed": _l("Round closed"),
    "round.rubric_changed": _l("Rubric changed"),
    "assignment.created": _l("Curator assigned"),
    "assignment.removed": _l("Curator removed"),
    "assignment.automatic": _l("Curators assigned automatically"),
    "assignment.conflict_declared": _l("Conflict of interest declared"),
    "review.saved": _l("Review saved"),
    "review.submitted": _l("Review submitted"),
    "submission.decision_staged": _l("Decision staged"),
    "submission.condition_ticked": _l("Condition ticked"),
    "meeting.outcome": _l("Meeting outcome recorded"),
    "thread.started": _l("Conversation started"),
    # The trade office's user administration (app/admin/people.py).
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.admin_granted": _l("Administrator rights granted"),
    "user.admin_withdrawn": _l("Administrator rights withdrawn"),
    "member.role_changed": _l("Role changed"),
}


def action_label(action: str) -> str:
    """What an audit action means, in the user's language (the code itself if unknown)."""
    return str(ACTION_LABELS.get(action, action))
