"""The trade office creates, changes and runs events; nobody else may (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.events.models import Event
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.events.conftest import event_form


def count_events(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Event.id)))


def test_the_office_creates_an_event_as_a_draft_and_opens_registration(app, client, admin):
    login(client, admin)
    response = client.post("/temu-bisnis/kelola/baru", data=event_form(breaks="11:00-11:15"))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        assert (event.name, event.state, event.tables) == ("Temu Bisnis Alas Kaki", "draft", 10)
        assert event.breaks == [["11:00", "11:15"]]
        assert event.invited_kinds == ["ikm", "buyer"]
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}"))
    assert "Draf" in page and "Graha Mojokerto Service City" in page
    response = client.post(
        f"/temu-bisnis/kelola/{event.id}/buka-pendaftaran", follow_redirects=True
    )
    assert "Pendaftaran dibuka." in page_text(response)
    response = client.post(
        f"/temu-bisnis/kelola/{event.id}/buka-pendaftaran", follow_redirects=True
    )
    assert "tidak lagi dalam keadaan" in page_text(response)
    client.post(f"/temu-bisnis/kelola/{event.id}/tutup-pendaftaran")
    with app.app_context():
        assert db.session.get(Event, event.id).state == "scheduling"


def test_the_office_changes_an_event_while_registration_is_open(app, client, admin, events):
    event = events.event()
    login(client, admin)
    form = client.get(f"/temu-bisnis/kelola/{event.id}/ubah")
    assert "10:30-10:45" in form.get_data(as_text=True)
    client.post(
        f"/temu-bisnis/kelola/{event.id}/ubah",
        data=event_form(name="Temu Bisnis Baru", tables="30"),
    )
    with app.app_context():
        found = db.session.get(Event, event.id)
        assert (found.name, found.tables) == ("Temu Bisnis Baru", 30)


BAD = [
    ({"day_starts_at": "12:00", "day_ends_at": "09:00"}, "day_ends_at", "Hari harus berakhir"),
    ({"breaks": "11:00-10:00"}, "breaks", "Jeda harus berakhir"),
    ({"breaks": "10:00-10:30, 10:15-10:45"}, "breaks", "tidak boleh bertumpang"),
    ({"breaks": "08:00-09:30"}, "breaks", "di dalam hari"),
    ({"breaks": "makan siang"}, "breaks", "12:00-13:00"),
    ({"meeting_minutes": "200"}, "meeting_minutes", "lebih lama dari hari"),
    ({"breaks": "09:10-11:50", "meeting_minutes": "20"}, "meeting_minutes", "Tidak ada pertemuan"),
    ({"tables": "0"}, "tables", "Antara 1 dan 500 meja"),
    ({"tables": "banyak"}, "tables", None),
    ({"ends_on": "past"}, "ends_on", "sebelum hari pertama"),
    ({"starts_on": "yesterday", "ends_on": "yesterday"}, "starts_on", "sudah lewat"),
    ({"registration_closes_on": "after"}, "registration_closes_on", "hari pertama acara"),
    ({"registration_opens_on": "late"}, "registration_closes_on", "setelah hari dibuka"),
    ({"invited_kinds": []}, "invited_kinds", "Pilih siapa yang boleh mendaftar"),
    ({"invited_kinds": ["alien"]}, "invited_kinds", None),
    ({"name": ""}, "name", None),
]


def _dates(overrides: dict) -> dict:
    today = clock.today()
    start = today + timedelta(days=14)
    words = {
        "past": (start - timedelta(days=1)).isoformat(),
        "yesterday": (today - timedelta(days=1)).isoformat(),
        "after": (start + timedelta(days=1)).isoformat(),
        "late": (today + timedelta(days=12)).isoformat(),
    }
    return {k: words.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}


@pytest.mark.parametrize("overrides, field, message", BAD)
def test_bad_event_input_is_refused_with_a_clear_message_and_nothing_saved(
    app, client, admin, overrides, field, message
):
    login(client, admin)
    response = client.post("/temu-bisnis/kelola/baru", data=event_form(**_dates(overrides)))
    assert response.status_code == 200
    body = page_text(response)
    assert "Silakan perbaiki" in body or "form-errors" in response.get_data(as_text=True)
    if message:
        assert message in body
    assert count_events(app) == 0


def test_an_event_can_no_longer_be_changed_once_registration_closes(app, client, admin, events):
    event = events.event(state="scheduling")
    login(client, admin)
    response = client.post(f"/temu-bisnis/kelola/{event.id}/ubah", data=event_form(name="Lain"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Event, event.id).name == "Temu Bisnis Alas Kaki"


@pytest.mark.parametrize("who", ["ikm", "buyer", "curator", "anonymous"])
def test_nobody_but_an_administrator_reaches_the_office(app, client, make, events, who):
    event = events.event(state="draft")
    users = {
        "ikm": lambda: make.ikm_owner()[0],
        "buyer": lambda: make.buyer()[1],
        "curator": lambda: make.partner_with("curator")[0],
    }
    if who != "anonymous":
        login(client, users[who]())
    expected = (302,) if who == "anonymous" else (404,)
    base = f"/temu-bisnis/kelola/{event.id}"
    for url in (
        "/temu-bisnis/kelola",
        "/temu-bisnis/kelola/baru",
        base,
        base + "/ubah",
        base + "/peserta",
    ):
        assert client.get(url).status_code in expected, url
    for url in ("/temu-bisnis/kelola/baru", base + "/ubah", base + "/buka-pendaftaran"):
        assert client.post(url, data=event_form(name="Diambil alih")).status_code in expected, url
    assert count_events(app) == 1
    with app.app_context():
        found = db.session.get(Event, event.id)
        assert (found.state, found.name) == ("draft", "Temu Bisnis Alas Kaki")


def test_the_office_list_of_events_is_paged_and_flat(app, client, admin, events, sql_statements):
    login(client, admin)
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        "/temu-bisnis/kelola",
        lambda n: [events.event(state="draft", name=f"Acara {i}") for i in range(n)],
        few=2,
        many=55,
    )
    assert "Halaman 1 dari 2" in page_text(response)
    assert_pages_are_safe(client, "/temu-bisnis/kelola")


def test_the_office_list_of_participants_is_paged_and_flat(
    app, client, admin, events, make, sql_statements
):
    event = events.event()
    login(client, admin)

    def add(n):
        for _ in range(n):
            owner, ikm = make.ikm_owner()
            events.participant(event, ikm, owner)

    response = assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/kelola/{event.id}/peserta", add, few=2, many=12
    )
    assert "Peserta" in page_text(response)
    assert_pages_are_safe(client, f"/temu-bisnis/kelola/{event.id}/peserta")


def test_the_office_sees_how_many_have_registered_and_asked(client, admin, events, hall):
    request = events.meeting_request(hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"])
    events.answer(request, True, by=hall["owner_a"])
    events.meeting_request(hall["event"], hall["buyer"], [hall["b"]], hall["buyer_user"])
    login(client, admin)
    body = page_text(client.get(f"/temu-bisnis/kelola/{hall['event'].id}"))
    assert "2 IKM, 1 Pembeli" in body
    assert "1 Menunggu jawaban, 1 Diterima" in body
