import logging
from datetime import timedelta

import pytest

from app.auth.models import User
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import PASSWORD


def test_login_with_the_right_password_opens_the_dashboard(client, make):
    user = make.user()
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dasbor"
    assert user.full_name in page_text(client.get("/dasbor"))


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make):
    user = make.user()
    wrong = client.post(
        "/akun/masuk", data={"email": user.email, "password": "not the password at all"}
    )
    unknown = client.post("/akun/masuk", data={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    assert "Email atau kata sandi salah" in page_text(wrong)
    text_wrong = page_text(wrong).replace(user.email, "X")
    text_unknown = page_text(unknown).replace("nobody@example.com", "X")
    assert text_wrong == text_unknown


def test_disabled_accounts_cannot_log_in(app, client, make):
    user = make.user()
    with app.app_context():
        db.session.get(User, user.id).is_disabled = True
        db.session.commit()
    assert login(client, user).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\t/evil.example",
        "",
    ],
)
def test_next_only_accepts_relative_paths(client, make, target):
    user = make.user()
    response = client.post(
        f"/akun/masuk?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/dasbor"


def test_next_brings_people_back_to_where_they_were(client, make):
    user = make.user()
    assert client.get("/akun/pengaturan").headers["Location"].startswith("/akun/masuk?next=")
    response = client.post(
        "/akun/masuk?next=/akun/pengaturan", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/akun/pengaturan"


def test_login_starts_a_fresh_session(client, make):
    user = make.user()
    client.csrf_token()  # the anonymous session holds a value
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_logout_is_a_post_and_needs_the_csrf_token(client, make):
    login(client, make.user())
    assert client.get("/akun/keluar").status_code == 405
    assert client.post("/akun/keluar", csrf=False).status_code == 400
    assert client.get("/dasbor").status_code == 200  # still logged in


def test_a_cookie_copied_before_logout_no_longer_works(app, client, make):
    user = make.user()
    login(client, user)
    stolen = client.get_cookie("etalase_session").value
    client.post("/akun/keluar")
    thief = app.test_client()
    thief.set_cookie("etalase_session", stolen)
    response = thief.get("/dasbor")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/akun/masuk")


def test_a_password_change_logs_out_other_devices(app, client, make):
    user = make.user()
    login(client, user)
    other_device = app.test_client()
    login(other_device, user)
    response = client.post(
        "/akun/pengaturan",
        data={
            "current": PASSWORD,
            "password": "a brand new kitchen table",
            "confirm": "a brand new kitchen table",
        },
    )
    assert response.status_code == 302
    assert client.get("/dasbor").status_code == 200  # this device continues
    assert other_device.get("/dasbor").status_code == 302


def test_password_change_with_a_wrong_current_password_changes_nothing(app, client, make):
    user = make.user()
    login(client, user)
    response = client.post(
        "/akun/pengaturan",
        data={
            "current": "wrong wrong wrong",
            "password": "a brand new kitchen table",
            "confirm": "a brand new kitchen table",
        },
    )
    assert response.status_code == 200
    assert "saat ini salah" in page_text(response)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def test_remember_me_lasts_thirty_days_at_most(client, make):
    user = make.user()
    client.post("/akun/masuk", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("etalase_remember")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.expires - cookie.expires.now(cookie.expires.tzinfo) <= timedelta(
        days=30, minutes=1
    )


def test_administrators_are_never_remembered(client, make):
    admin = make.admin()
    client.post("/akun/masuk", data={"email": admin.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("etalase_remember") is None


def test_logins_are_logged_without_secrets(client, make, caplog):
    user = make.user()
    with caplog.at_level(logging.INFO, logger="etalase.security"):
        client.post("/akun/masuk", data={"email": user.email, "password": "a wrong guess here"})
        login(client, user)
    lines = [r.getMessage() for r in caplog.records if r.name == "etalase.security"]
    assert any(line.startswith("login.failed") for line in lines)
    assert any(line.startswith("login.succeeded") for line in lines)
    assert not any(
        PASSWORD in line or "a wrong guess" in line or user.email in line for line in lines
    )


def test_a_weak_new_password_is_refused_in_settings(app, client, make):
    user = make.user()
    login(client, user)
    response = client.post(
        "/akun/pengaturan",
        data={"current": PASSWORD, "password": "qwerty123456", "confirm": "qwerty123456"},
    )
    assert response.status_code == 200 and "sering digunakan" in page_text(response)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash
