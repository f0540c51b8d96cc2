from app.auth.models import User
from app.extensions import db
from tests.conftest import login, page_text


def test_indonesian_is_the_default(client):
    response = client.get("/")
    assert 'lang="id"' in response.get_data(as_text=True)
    assert "Masuk" in page_text(response)


def test_visitors_switch_to_english_and_it_is_remembered(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "/akun/masuk"})
    assert response.headers["Location"] == "/akun/masuk"
    assert "Log in to Etalase" in page_text(client.get("/akun/masuk"))
    client.post("/bahasa", data={"lang": "id", "next": "/"})
    assert "Masuk ke Etalase" in page_text(client.get("/akun/masuk"))


def test_a_logged_in_choice_follows_the_account(app, client, make):
    user = make.user()
    login(client, user)
    client.post("/bahasa", data={"lang": "en", "next": "/dasbor"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    other_device = app.test_client()
    login(other_device, user)
    assert "My dashboard" in page_text(other_device.get("/dasbor"))


def test_unknown_languages_and_foreign_next_are_ignored(client):
    response = client.post("/bahasa", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert client.get_cookie("etalase_lang") is None


def test_rupiah_and_dates_follow_the_locale(app):
    from app.core.i18n import rupiah

    with app.test_request_context():
        assert rupiah(1250000) == "Rp1.250.000"
    with app.test_request_context(headers={"Cookie": "etalase_lang=en"}):
        assert rupiah(1250000) == "Rp1,250,000"
