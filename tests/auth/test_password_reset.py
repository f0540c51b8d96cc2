from datetime import timedelta

from app.auth.models import User
from app.extensions import db
from tests.conftest import links_in, login, page_text
from tests.factories import PASSWORD

NEW = "seven blue herons at dawn"


def reset_link(client, outbox, email):
    client.post("/akun/lupa-sandi", data={"email": email})
    [link] = links_in(outbox[-1])
    return link.removeprefix("http://localhost")


def test_reset_by_email_sets_a_new_password(client, make, outbox):
    user = make.user()
    link = reset_link(client, outbox, user.email)
    assert outbox[-1]["To"] == user.email
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/akun/masuk"
    assert login(client, user, password=PASSWORD).status_code == 200  # old password refused
    assert login(client, user, password=NEW).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(client, make, outbox):
    user = make.user()
    known = client.post("/akun/lupa-sandi", data={"email": user.email})
    unknown = client.post("/akun/lupa-sandi", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert page_text(known).replace(user.email, "X") == page_text(unknown).replace(
        "nobody@example.com", "X"
    )
    assert [m["To"] for m in outbox] == [user.email]


def test_a_reset_link_works_once(client, make, outbox):
    user = make.user()
    link = reset_link(client, outbox, user.email)
    client.post(link, data={"password": NEW, "confirm": NEW})
    again = client.post(
        link, data={"password": "another fine password", "confirm": "another fine password"}
    )
    assert again.headers["Location"] == "/akun/lupa-sandi"
    assert login(client, user, password=NEW).status_code == 302


def test_an_expired_reset_link_is_refused(app, client, make, outbox):
    user = make.user()
    link = reset_link(client, outbox, user.email)
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    assert client.get(link).headers["Location"] == "/akun/lupa-sandi"


def test_a_reset_link_expires_an_hour_later_by_the_apps_clock(client, make, outbox, frozen_clock):
    user = make.user()
    link = reset_link(client, outbox, user.email)
    frozen_clock.set(frozen_clock.current + timedelta(minutes=59))
    assert client.get(link).status_code == 200
    frozen_clock.set(frozen_clock.current + timedelta(minutes=2))
    assert client.get(link).headers["Location"] == "/akun/lupa-sandi"


def test_a_weak_new_password_is_refused_and_nothing_changes(app, client, make, outbox):
    user = make.user()
    link = reset_link(client, outbox, user.email)
    response = client.post(link, data={"password": "qwerty123456", "confirm": "qwerty123456"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def test_a_reset_ends_existing_sessions(app, client, make, outbox):
    user = make.user()
    other_device = app.test_client()
    login(other_device, user)
    link = reset_link(client, outbox, user.email)
    client.post(link, data={"password": NEW, "confirm": NEW})
    assert other_device.get("/dasbor").status_code == 302
