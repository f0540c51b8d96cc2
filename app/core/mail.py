"""Email: queued in an outbox table in the same transaction, delivered after the commit.

A message that cannot be delivered (mail server down) stays in the outbox and is retried
with backoff by the next request or by ``flask mail send``; the user's action still succeeds.
Messages someone is waiting for (a confirmation link, a password reset) go before notices.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from enum import IntEnum
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import SmallInteger, String, Text, or_, update
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock, effects
from app.core.db import UTCDateTime, current_time
from app.extensions import db

log = logging.getLogger("etalase.mail")

_suppressed: ContextVar[bool] = ContextVar("mail_suppressed", default=False)


class Priority(IntEnum):
    """The lower goes out first."""

    TRANSACTIONAL = 0  # someone is waiting for it: confirmation, reset, invitation
    NOTIFICATION = 1  # decisions, reminders, assignments: fine a few minutes later


class OutgoingEmail(db.Model):
    __tablename__ = "outgoing_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(SmallInteger, default=Priority.NOTIFICATION)


@contextmanager
def suppressed() -> Iterator[None]:
    """Queue no mail in this block (the demo data: its people are made up)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_email(
    to: str,
    subject: str,
    template: str,
    locale: str | None = None,
    priority: Priority = Priority.NOTIFICATION,
    **context,
) -> OutgoingEmail | None:
    """Render ``templates/email/<template>.txt`` in the recipient's language and queue it.

    :param subject: a lazy or plain string; it is rendered in ``locale`` too
    :param priority: ``Priority.TRANSACTIONAL`` for mail someone is waiting for
    :returns: the queued message; None inside :func:`suppressed`
    """
    if _suppressed.get():
        return None
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    message = OutgoingEmail(recipient=to, subject=subject, body=body, priority=priority)
    db.session.add(message)
    effects.queue(db.session(), "mail")
    return message


def deliver_pending(limit: int = 50) -> int:
    """Send queued messages that are due, by priority then age; returns how many went out.

    A failure other than a refused message (its recipient or its content) ends the run: the
    server is down or not answering, and trying the rest would only wait out one timeout
    each. They stay due for the next run.
    """
    sent = 0
    now = clock.now()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    due = db.session.scalars(
        db.select(OutgoingEmail.id)
        .where(OutgoingEmail.sent_at.is_(None), OutgoingEmail.next_attempt_at <= now)
        .where(OutgoingEmail.attempts < max_attempts)
        .order_by(OutgoingEmail.priority, OutgoingEmail.id)
        .limit(limit)
    ).all()
    for message_id in due:
        if not _claim(message_id, now):
            continue
        try:
            sent += _deliver_one(db.session.get(OutgoingEmail, message_id))
        except _ServerUnavailable:
            break
    return sent


class _ServerUnavailable(Exception):
    """The mail server could not take a message (refused, timed out, dropped the line)."""


def _claim(message_id: int, now: datetime) -> bool:
    """Take a message for one minute, so that two workers never send it twice."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == message_id, OutgoingEmail.sent_at.is_(None))
        .where(or_(OutgoingEmail.claimed_until.is_(None), OutgoingEmail.claimed_until < now))
        .values(claimed_until=now + timedelta(minutes=1))
    )
    db.session.commit()
    return result.rowcount == 1


def _deliver_one(message: OutgoingEmail) -> int:
    """1 when sent, 0 when the server refused this message; raises _ServerUnavailable when the
    server could not take any."""
    try:
        BACKENDS[current_app.config["MAIL_BACKEND"]](_as_email(message))
    except (OSError, smtplib.SMTPException) as error:  # SMTPException is an OSError
        message.attempts += 1
        message.last_error = f"{error.__class__.__name__}: {error}"[:500]
        message.next_attempt_at = clock.now() + timedelta(minutes=2**message.attempts)
        message.claimed_until = None
        db.session.commit()
        log.warning(
            "mail to %s failed (attempt %d), will retry", message.recipient, message.attempts
        )
        if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
            return 0  # this message was refused, not the server down
        raise _ServerUnavailable from error
    message.sent_at = clock.now()
    message.attempts += 1
    db.session.commit()
    return 1


def _as_email(message: OutgoingEmail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="etalase")
    email.set_content(message.body)
    return email


def _send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def _send_to_file(email: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    path.write_bytes(bytes(email))
    log.info(
        "mail to %s: %s (saved to %s)\n%s", email["To"], email["Subject"], path, email.get_content()
    )


def _send_to_memory(email: EmailMessage) -> None:
    current_app.extensions.setdefault("mail_outbox", []).append(email)


BACKENDS = {"smtp": _send_smtp, "file": _send_to_file, "memory": _send_to_memory}


def register(app) -> None:
    if app.config["MAIL_BACKEND"] not in BACKENDS:
        raise ValueError(f"MAIL_BACKEND must be one of {sorted(BACKENDS)}")
    effects.register_runner("mail", lambda _: deliver_pending())
