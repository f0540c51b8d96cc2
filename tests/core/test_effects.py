"""Slow side effects (mail, the search index) run after the response, never in its time."""

import http.client
import socket
import threading
import time
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
    assert response.status_code == 200
    assert slow_mail_server.sent == []  # nothing was sent in the request's own time
    body = response.get_data(as_text=True)  # what a server does: write the whole body out
    assert user.email in body
    assert slow_mail_server.sent == [user.email]
    response.close()
    assert slow_mail_server.sent == [user.email]  # once


@pytest.fixture
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=5)


def test_the_mail_goes_while_the_browser_keeps_its_connection_open(app, make, live, outbox):
    """A browser may send more on a connection once it has the answer, and close its side
    only much later; Werkzeug's server waits for that before it closes the response (it reads
    what is left until the client hangs up). The mail must not wait for it."""
    user = make.user()
    body = urlencode({"email": user.email}).encode()
    with socket.create_connection(("127.0.0.1", live), timeout=10) as browser:
        browser.sendall(
            b"POST /akun/lupa-sandi HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        answer = b""
        while b"</html>" not in answer:
            answer += browser.recv(65536)
        browser.sendall(b"\r\n")  # more on the line, which stays open
        assert answer.startswith(b"HTTP/1.1 200")
        deadline = time.monotonic() + 10
        while not outbox and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [message["To"] for message in outbox] == [user.email]


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
