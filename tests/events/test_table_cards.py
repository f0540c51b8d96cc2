"""Printable cards for the hall's tables: one per table with its meetings by slot, ten tables a
page; the office only."""

from __future__ import annotations

from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.events.test_schedule import add_scheduled_meetings, close_registration, run_now


def test_each_table_has_a_card_with_its_meetings_in_slot_order(app, client, events, hall):
    from app.events.models import Meeting
    from app.extensions import db

    event = hall["event"]
    request = events.meeting_request(event, hall["buyer"], [hall["a"]], hall["buyer_user"])
    events.answer(request, True, by=hall["owner_a"])
    close_registration(app, events, event)
    run_now(app, event)
    with app.app_context():
        table = db.session.scalar(db.select(Meeting.table_number))
    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/kartu-meja"))
    assert "Meja 1" in page and "Meja 10" in page and "Meja 11" not in page
    assert f"Meja {table + 1}" in page
    assert "PT Ramayana Lestari (demo) – Sepatu Kota Mojokerto" in page
    assert "Belum ada pertemuan di meja ini." in page
    assert_pages_are_safe(client, f"/temu-bisnis/kelola/{event.id}/kartu-meja")
    client.post("/akun/keluar")
    login(client, hall["owner_a"])
    assert client.get(f"/temu-bisnis/kelola/{event.id}/kartu-meja").status_code == 404


def test_table_cards_ask_the_database_as_often_for_many_meetings(
    app, client, events, make, sql_statements
):
    event = events.event(tables=6)
    buyer, buyer_user = make.buyer(company="PT Pembeli Banyak")
    buyer_p = events.participant(event, buyer, buyer_user, max_meetings=5)
    close_registration(app, events, event)
    added = {"n": 0}

    def add(count):
        add_scheduled_meetings(app, make, event, buyer_p, added["n"], count)
        added["n"] += count

    login(client, events.admin())
    response = assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/kelola/{event.id}/kartu-meja", add, 3, 30
    )
    assert "IKM Sepatu 29" in page_text(response)
