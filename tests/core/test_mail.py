import smtplib
from datetime import timedelta

import pytest

from app.core import mail
from app.core.mail import OutgoingEmail
from app.extensions import db


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses connections until ``smtp_down.recover()``."""
    working = mail.BACKENDS["memory"]

    def refuse(email):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setitem(mail.BACKENDS, "memory", refuse)

    class Down:
        @staticmethod
        def recover():  # not monkeypatch.undo(): that would also unfreeze the clock
            monkeypatch.setitem(mail.BACKENDS, "memory", working)

    return Down


def test_an_action_succeeds_while_the_mail_server_is_down_and_the_mail_follows(
    app, client, make, smtp_down, frozen_clock
):
    user = make.user()
    response = client.post("/akun/lupa-sandi", data={"email": user.email})
    assert response.status_code == 200
    with app.app_context():
        [message] = db.session.scalars(db.select(OutgoingEmail)).all()
        assert message.sent_at is None and message.attempts == 1 and "refused" in message.last_error
    smtp_down.recover()
    frozen_clock.set(frozen_clock.current + timedelta(minutes=5))
    outbox = app.extensions.setdefault("mail_outbox", [])
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "1 message(s) sent" in result.output
    assert [m["To"] for m in outbox] == [user.email]
    # Sent once: another run sends nothing.
    assert "0 message(s) sent" in app.test_cli_runner().invoke(args=["mail", "send"]).output


def test_failed_messages_back_off(app, make, smtp_down, frozen_clock):
    with app.app_context():
        mail.queue_email("a@example.com", "Hai", "confirm_email", user=make.user(), url="x")
        db.session.commit()
        mail.deliver_pending()
        mail.deliver_pending()  # not due yet: no second attempt
        message = db.session.scalar(db.select(OutgoingEmail))
        assert message.attempts == 1
        assert message.next_attempt_at > frozen_clock.current


def test_mail_is_written_to_a_folder_in_development(app, tmp_path, make):
    app.config["MAIL_BACKEND"] = "file"
    with app.app_context():
        mail.queue_email(
            "a@example.com", "Hai", "confirm_email", user=make.user(), url="http://x/confirm"
        )
        db.session.commit()
        assert mail.deliver_pending() == 1
    [saved] = list((tmp_path / "mail").glob("*.eml"))
    assert "http://x/confirm" in saved.read_text()
