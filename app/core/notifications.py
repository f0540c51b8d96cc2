"""Notifications in the site (and by email): each is sent once, by its key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock
from app.core.db import UTCDateTime, current_time
from app.core.mail import queue_email
from app.core.paging import ROWS, Page, paginate
from app.core.urls import absolute
from app.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))  # what makes it unique: "decision:42:1"
    text: Mapped[str] = mapped_column(Text)  # rendered in the user's language when created
    url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def notify(
    user, key: str, text, url: str, subject=None, template: str | None = None, **context
) -> bool:
    """Tell ``user`` once per ``key``: a notification in the site and, with a template, an email.

    :returns: False when this key was already sent to this user (nothing is sent again)
    """
    from flask_babel import force_locale

    exists = db.session.scalar(db.select(Notification.id).filter_by(user_id=user.id, key=key))
    if exists:
        return False
    with force_locale(user.locale or "id"):
        rendered = str(text)
    db.session.add(Notification(user_id=user.id, key=key, text=rendered, url=url))
    if template:
        queue_email(
            user.email,
            subject or text,
            template,
            locale=user.locale,
            user=user,
            url=absolute(url),
            **context,
        )
    db.session.flush()
    return True


def unread_count(user) -> int:
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).filter_by(user_id=user.id, read_at=None)
    )


def recent(user, number: int = 1) -> Page:
    """A page of the user's notifications, newest first."""
    return paginate(
        db.select(Notification).filter_by(user_id=user.id).order_by(Notification.id.desc()),
        number,
        ROWS,
    )


def mark_all_read(user) -> None:
    db.session.execute(
        db.update(Notification).filter_by(user_id=user.id, read_at=None).values(read_at=clock.now())
    )
