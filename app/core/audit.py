"""The audit trail: who did what to which object, recorded in the same transaction."""

from __future__ import annotations

from datetime import datetime

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
