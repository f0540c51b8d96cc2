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


MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_one_date_format_and_one_time_format_with_the_zone(app):
    """ "1 Des 2026" and "1 Des 2026 14.30 WIB"; English "1 Dec 2026", whatever a template asks."""
    from zoneinfo import ZoneInfo

    from app.core import clock

    moment = clock.now().replace(second=0, microsecond=0)
    local = moment.astimezone(ZoneInfo("Asia/Jakarta"))
    day = local.date()
    filters = app.jinja_env.filters
    with app.test_request_context():
        assert filters["date"](day) == f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
        assert filters["date"](moment) == filters["date"](day)  # in the user's zone
        assert filters["datetime"](moment) == (
            f"{day.day} {MONTHS_ID[day.month - 1]} {day.year} {local:%H.%M} WIB"
        )
        assert filters["date"](None) == "–" and filters["datetime"](None) == "–"
    with app.test_request_context(headers={"Cookie": "etalase_lang=en"}):
        assert filters["date"](day) == f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
        assert filters["datetime"](moment).startswith(filters["date"](day) + " ")
        assert filters["datetime"](moment).endswith(" WIB")


def test_a_user_elsewhere_in_indonesia_sees_their_own_zone(app, client, make):
    from zoneinfo import ZoneInfo

    from app.core.notifications import Notification, notify

    user = make.user()
    with app.app_context():
        db.session.get(User, user.id).timezone = "Asia/Makassar"
        notify(db.session.get(User, user.id), "test:wita", "Ada kabar", "/dasbor")
        db.session.commit()
        sent_at = db.session.scalar(db.select(Notification.created_at))
    login(client, user)
    local = sent_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert f"{local:%H.%M} WITA" in page_text(client.get("/notifikasi"))


def test_scores_use_the_locales_decimal_mark(app):
    decimal = app.jinja_env.filters["decimal"]
    with app.test_request_context():
        assert decimal(78.5) == "78,5"
        assert decimal(78.57) == "78,6"
        assert decimal(75.0) == "75"
        assert decimal(1234.5) == "1.234,5"
        assert decimal(None) == "–"
    with app.test_request_context(headers={"Cookie": "etalase_lang=en"}):
        assert decimal(78.5) == "78.5"


def test_notification_times_say_their_zone(app, client, make):
    from app.core.notifications import notify

    user = make.user()
    with app.app_context():
        notify(db.session.get(User, user.id), "test:1", "Ada kabar", "/dasbor")
        db.session.commit()
    login(client, user)
    text = page_text(client.get("/notifikasi"))
    assert "Ada kabar" in text and " WIB" in text


def test_a_lazy_message_with_a_users_text_in_it_is_escaped_on_the_page(app):
    """Flask-Babel's lazy strings call themselves safe HTML; ours are text like any other."""
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context():
        message = lazy_gettext("Not an email address: %(addresses)s", addresses="<b>x</b>")
        page = render_template_string("<p>{{ message }}</p>", message=message)
    assert page == "<p>Bukan alamat email: &lt;b&gt;x&lt;/b&gt;</p>"


def test_a_lazy_message_travels_in_json_as_its_text(app):
    from flask import json
    from flask_babel import lazy_gettext

    with app.test_request_context():
        assert json.dumps({"m": lazy_gettext("Invitations")}) == '{"m": "Undangan"}'
