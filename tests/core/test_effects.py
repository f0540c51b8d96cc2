"""Slow side effects (mail, the search index) run after the response, never in its time."""

import http.client
import threading
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from app.core import mail
from app.core.mail import OutgoingEmail
from app.extensions import db


@pytest.fixture
def app_config(app_config):
    # The live-server test posts without a session cookie; CSRF is tested elsewhere.
    return app_config | {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def slow_mail_server(monkeypatch):
    """A mail backend that holds each message until ``release`` is set."""

    class Slow:
        started = threading.Event()
        release = threading.Event()
        delivered = threading.Event()
        sent: list[str] = []

        def __call__(self, email):
            self.started.set()
            self.release.wait(timeout=30)
            self.sent.append(email["To"])
            self.delivered.set()

    slow = Slow()
    monkeypatch.setitem(mail.BACKENDS, "memory", slow)
    return slow


def test_the_response_is_complete_before_its_mail_is_sent(client, make, slow_mail_server):
    slow_mail_server.release.set()
    user = make.user()
    response = client.post("/akun/lupa-sandi", data={"email": user.email}, buffered=False)
    assert response.status_code == 200 and user.email in response.get_data(as_text=True)
    assert slow_mail_server.sent == []  # nothing was sent in the request's own time
    response.close()  # what a server does once the client has the whole response
    assert slow_mail_server.sent == [user.email]


def test_a_slow_mail_server_does_not_keep_the_user_waiting(app, make, slow_mail_server):
    user = make.user()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request(
            "POST",
            "/akun/lupa-sandi",
            body=urlencode({"email": user.email}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()  # the mail server has not answered yet
        assert response.status == 200 and user.email in response.read().decode()
        assert slow_mail_server.started.wait(timeout=10)  # the mail is on its way...
        assert slow_mail_server.sent == []
        slow_mail_server.release.set()  # ...and arrives once the server answers
        assert slow_mail_server.delivered.wait(timeout=10)
        assert slow_mail_server.sent == [user.email]
        connection.close()
    finally:
        slow_mail_server.release.set()
        server.shutdown()
        thread.join(timeout=5)
    with app.app_context():
        [message] = db.session.scalars(db.select(OutgoingEmail)).all()
        assert message.sent_at is not None
