"""Each participant's agenda once the schedule is published: the page, printable, and an
.ics file; only its own members and the office see it."""

from __future__ import annotations

from datetime import datetime

import pytest
from icalendar import Calendar

from app.events.models import Event, Meeting, Participant
from app.events.slots import event_slots
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, login, page_text
from tests.events.test_schedule import add_scheduled_meetings, close_registration, run_now


def publish(app, events, event) -> None:
    from app.auth.models import User
    from app.events import schedule

    with app.app_context():
        schedule.publish(
            db.session.get(Event, event.id), by=db.session.get(User, events.admin().id)
        )
        db.session.commit()


@pytest.fixture
def published(app, events, hall, catalog, categories):
    """The hall with buyer–A and buyer–B scheduled and published; A shows a product."""
    product = catalog.product(hall["a"].organisation, name="Pantofel Kulit Hitam")
    with app.app_context():
        from app.catalog.models import Product

        found = db.session.get(Participant, hall["a"].id)
        found.products.append(db.session.get(Product, product.id))
        db.session.commit()
    hall["ab"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"]
    )
    events.answer(hall["ab"], True, by=hall["owner_a"])
    hall["bb"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["b"]], hall["buyer_user"]
    )
    events.answer(hall["bb"], True, by=hall["owner_b"])
    close_registration(app, events, hall["event"])
    run_now(app, hall["event"])
    publish(app, events, hall["event"])
    return hall


def places(app, event) -> dict[int, tuple[int, int]]:
    with app.app_context():
        return {
            m.request_id: (m.slot, m.table_number)
            for m in db.session.scalars(db.select(Meeting).filter_by(event_id=event.id))
        }


def test_a_participant_sees_its_meetings_in_time_order(app, client, published):
    event = published["event"]
    login(client, published["buyer_user"])
    page = page_text(client.get(f"/temu-bisnis/{event.id}/agenda/{published['buyer'].id}"))
    assert "Agenda PT Ramayana Lestari (demo)" in page
    placed = places(app, event)
    first, second = sorted(placed.values())
    assert page.index(f"Meja {first[1] + 1}") < page.rindex(f"Meja {second[1] + 1}")
    names = {published["ab"].id: "Sepatu Kota Mojokerto", published["bb"].id: "Sepatu Sooko"}
    in_order = [names[r] for r, _ in sorted(placed.items(), key=lambda item: item[1])]
    assert page.index(in_order[0]) < page.index(in_order[1])
    assert "Pantofel Kulit Hitam" in page and "Sepatu kulit wanita" in page
    assert "Tambahkan ke kalender (.ics)" in page
    page = page_text(client.get(f"/temu-bisnis/{event.id}"))
    assert "Agenda" in page


def test_the_ikm_sees_the_buyer_and_what_it_seeks(app, client, published):
    event = published["event"]
    login(client, published["owner_a"])
    page = page_text(client.get(f"/temu-bisnis/{event.id}/agenda/{published['a'].id}"))
    assert "PT Ramayana Lestari (demo)" in page and "Sepatu Sooko" not in page


def test_others_get_404_and_the_office_sees_every_agenda(app, client, published, events, make):
    event = published["event"]
    url = f"/temu-bisnis/{event.id}/agenda/{published['a'].id}"
    assert client.get(url).status_code == 302  # to the login page
    stranger, _ikm = make.ikm_owner(name="Sepatu Lain")
    for user in (published["owner_b"], published["buyer_user"], stranger):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.get(url + ".ics").status_code == 404
        client.post("/akun/keluar")
    login(client, events.admin())
    assert "Agenda Sepatu Kota Mojokerto" in page_text(client.get(url))
    for bogus in (
        f"/temu-bisnis/{event.id}/agenda/999999",
        f"/temu-bisnis/{event.id}/agenda/{10**12}.ics",
        f"/temu-bisnis/999999/agenda/{published['a'].id}",
    ):
        assert client.get(bogus).status_code == 404, bogus


def test_before_publication_a_participant_has_no_agenda(app, client, events, hall):
    close_registration(app, events, hall["event"])
    login(client, hall["owner_a"])
    url = f"/temu-bisnis/{hall['event'].id}/agenda/{hall['a'].id}"
    assert client.get(url).status_code == 404
    client.post("/akun/keluar")
    login(client, events.admin())
    assert "belum diterbitkan" in page_text(client.get(url))


def test_the_calendar_file_has_one_event_per_meeting_at_the_venues_time(app, client, published):
    event = published["event"]
    url = f"/temu-bisnis/{event.id}/agenda/{published['buyer'].id}.ics"
    login(client, published["buyer_user"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    entries = calendar.walk("VEVENT")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    with app.app_context():
        slots = event_slots(db.session.get(Event, event.id))
    placed = places(app, event)
    assert len(entries) == len(placed) == 2
    by_uid = {str(e["UID"]): e for e in entries}
    for request_id, (slot, table) in placed.items():
        entry = by_uid[f"event-{event.id}-request-{request_id}@localhost"]
        start: datetime = entry.decoded("DTSTART")
        assert start == slots[slot][0] and entry.decoded("DTEND") == slots[slot][1]
        assert str(start.tzinfo) == "Asia/Jakarta"
        assert entry["DTSTART"].params["TZID"] == "Asia/Jakarta"
        assert f"Meja {table + 1}" in str(entry["SUMMARY"])
    again = Calendar.from_ical(client.get(url).data)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(by_uid)  # stable


def test_an_agenda_asks_the_database_as_often_for_many_meetings(
    app, client, events, make, sql_statements
):
    event = events.event(tables=40)
    buyer, buyer_user = make.buyer(company="PT Pembeli Banyak")
    buyer_p = events.participant(event, buyer, buyer_user, max_meetings=5)
    close_registration(app, events, event)
    publish(app, events, event)
    added = {"n": 0}

    def add(count):
        add_scheduled_meetings(app, make, event, buyer_p, added["n"], count)
        added["n"] += count

    login(client, buyer_user)
    response = assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/{event.id}/agenda/{buyer_p.id}", add, 3, 30
    )
    assert "IKM Sepatu 29" in page_text(response)
