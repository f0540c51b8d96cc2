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


def test_a_new_owners_confirmation_goes_out_before_a_backlog_of_notifications(
    app, client, make, outbox
):
    with app.app_context():
        for n in range(60):  # more than one request delivers
            mail.queue_email(
                f"member{n}@example.com", "Kabar", "confirm_email", user=make.user(), url="x"
            )
        db.session.commit()
    client.post(
        "/akun/daftar",
        data={
            "account_type": "ikm",
            "full_name": "Slamet Riyadi",
            "organisation_name": "Sepatu Sumber Rejeki",
            "email": "slamet@example.com",
            "password": "seven blue herons at dawn",
            "confirm": "seven blue herons at dawn",
        },
    )
    assert outbox and outbox[0]["To"] == "slamet@example.com"
    # The backlog follows, oldest first.
    assert [m["To"] for m in outbox[1:4]] == [f"member{n}@example.com" for n in range(3)]


def test_a_mail_server_that_does_not_answer_is_tried_once_per_run(app, make, monkeypatch):
    tried = []

    def hang(email):
        tried.append(email["To"])
        raise TimeoutError("timed out")

    monkeypatch.setitem(mail.BACKENDS, "memory", hang)
    with app.app_context():
        for to in ("a@example.com", "b@example.com", "c@example.com"):
            mail.queue_email(to, "Hai", "confirm_email", user=make.user(), url="x")
        db.session.commit()
        assert mail.deliver_pending() == 0
        assert tried == ["a@example.com"]  # not three timeouts in a row
        waiting = db.session.scalars(db.select(OutgoingEmail).filter_by(attempts=0)).all()
        assert len(waiting) == 2 and all(m.sent_at is None for m in waiting)
