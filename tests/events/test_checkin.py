"""At the venue: each participant's QR code on its agenda, the office checking people in (by
the code's URL or by name), marking no-shows, and the hall live at the clock's slot."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.core.audit import AuditEntry
from app.events.models import Event, Participant
from app.events.slots import event_slots
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.events import test_agenda
from tests.events.test_agenda import places, publish
from tests.events.test_schedule import add_scheduled_meetings, close_registration

published = test_agenda.published  # the fixture: the hall with two meetings, published


def participant(app, participant_id: int) -> Participant:
    with app.app_context():
        found = db.session.get(Participant, participant_id)
        db.session.expunge(found)
        return found


def token_url(event, p) -> str:
    return f"/temu-bisnis/kelola/{event.id}/check-in/t/{p.checkin_token}"


def csrf(client, url: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(True))
    return match.group(1) if match else ""


def post(client, url: str, page: str, **data):
    return client.post(url, data={"csrf_token": csrf(client, page), **data}, follow_redirects=True)


def test_every_participant_has_its_own_unguessable_token(app, published):
    tokens = {participant(app, published[k].id).checkin_token for k in ("buyer", "a", "b")}
    assert len(tokens) == 3 and all(len(t) >= 20 for t in tokens)


def test_the_agenda_shows_a_qr_code_of_the_check_in_url(app, client, published):
    event, buyer = published["event"], published["buyer"]
    login(client, published["buyer_user"])
    html = client.get(f"/temu-bisnis/{event.id}/agenda/{buyer.id}").get_data(True)
    assert "<svg" in html and 'class="qr-code"' in html
    assert "Tunjukkan kode ini di pintu masuk" in html
    assert participant(app, buyer.id).checkin_token not in html  # only in the code's pixels


def test_the_qr_code_encodes_the_check_in_url(app, published):
    from app.events import checkin

    p = participant(app, published["buyer"].id)
    url = f"http://localhost{token_url(published['event'], p)}"
    with app.test_request_context():
        svg = str(checkin.qr_svg(url, "kode"))
    import segno

    expected = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title="kode")
    assert svg.startswith("<svg") and re.sub(r' class="[^"]*"', "", svg) == re.sub(
        r' class="[^"]*"', "", expected
    )


def test_no_qr_code_before_the_schedule_is_published(app, client, events, hall):
    login(client, events.admin())
    html = client.get(f"/temu-bisnis/{hall['event'].id}/agenda/{hall['buyer'].id}").get_data(True)
    assert 'class="qr-code"' not in html


def test_the_office_checks_a_participant_in_from_its_qr_code(app, client, events, published):
    event = published["event"]
    buyer = participant(app, published["buyer"].id)
    login(client, events.admin())
    page = page_text(client.get(token_url(event, buyer)))
    assert "PT Ramayana Lestari (demo)" in page and "Check-in" in page
    url = f"/temu-bisnis/kelola/{event.id}/check-in/{buyer.id}"
    response = post(client, url, token_url(event, buyer))
    assert "PT Ramayana Lestari (demo) kini tercatat hadir." in page_text(response)
    first = participant(app, buyer.id).checked_in_at
    assert first is not None
    again = post(client, url, f"/temu-bisnis/kelola/{event.id}/check-in")
    assert "PT Ramayana Lestari (demo) sudah tercatat hadir pukul" in page_text(again)
    assert participant(app, buyer.id).checked_in_at == first  # idempotent
    with app.app_context():
        entries = db.session.scalars(
            db.select(AuditEntry).filter_by(action="participant.checked_in", object_id=buyer.id)
        ).all()
        assert len(entries) == 1


def test_a_wrong_token_or_another_events_participant_is_404(app, client, events, published):
    event = published["event"]
    login(client, events.admin())
    assert client.get(f"/temu-bisnis/kelola/{event.id}/check-in/t/bukan-token").status_code == 404
    assert client.get(f"/temu-bisnis/kelola/{event.id}/check-in/t/{'x' * 300}").status_code == 404
    other = events.event(name="Temu Bisnis Lain")
    buyer = participant(app, published["buyer"].id)
    assert client.get(token_url(other, buyer)).status_code == 404
    assert client.get(f"/temu-bisnis/kelola/{event.id}/check-in/99999999999").status_code == 405
    page = f"/temu-bisnis/kelola/{event.id}/check-in"
    assert post(client, f"{page}/99999999999", page).status_code == 404


def test_nobody_but_the_office_checks_in_or_sees_the_hall(app, client, events, published):
    event = published["event"]
    buyer = participant(app, published["buyer"].id)
    login(client, published["buyer_user"])
    base = f"/temu-bisnis/kelola/{event.id}"
    for url in (token_url(event, buyer), f"{base}/check-in", f"{base}/aula"):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{base}/check-in/{buyer.id}",
        f"{base}/tidak-hadir/{buyer.id}",
        f"{base}/tidak-hadir/{buyer.id}/batal",
        f"{base}/mulai",
    ):
        assert client.post(url, data={}).status_code == 404, url
    client.post("/akun/keluar")
    assert client.get(token_url(event, buyer)).status_code in (302, 404)
    assert participant(app, buyer.id).checked_in_at is None


def test_check_in_waits_for_the_published_schedule(app, client, events, hall):
    event = hall["event"]
    close_registration(app, events, event)
    buyer = participant(app, hall["buyer"].id)
    login(client, events.admin())
    page = f"/temu-bisnis/kelola/{event.id}/check-in"
    assert "hanya dibuka setelah jadwal diterbitkan" in page_text(client.get(page))
    response = post(client, f"{page}/{buyer.id}", token_url(event, buyer))
    assert "hanya dibuka setelah jadwal diterbitkan" in page_text(response)
    assert participant(app, buyer.id).checked_in_at is None
    response = post(client, f"/temu-bisnis/kelola/{event.id}/tidak-hadir/{buyer.id}", page)
    assert "hanya dibuka setelah jadwal diterbitkan" in page_text(response)
    assert participant(app, buyer.id).no_show is False


def test_the_office_starts_the_event_and_checks_in_while_it_runs(app, client, events, published):
    event = published["event"]
    login(client, events.admin())
    page = f"/temu-bisnis/kelola/{event.id}/check-in"
    response = post(client, f"/temu-bisnis/kelola/{event.id}/mulai", page)
    assert "Acara sedang berlangsung." in page_text(response)
    with app.app_context():
        assert db.session.get(Event, event.id).state == "running"
    a = published["a"]
    response = post(client, f"{page}/{a.id}", page)
    assert participant(app, a.id).checked_in_at is not None


def test_the_office_finds_a_participant_by_name(app, client, events, published):
    event = published["event"]
    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/check-in?q=sooko"))
    assert "Sepatu Sooko" in page and "Sepatu Kota Mojokerto" not in page
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/check-in?q=%25_"))
    assert "Sepatu Sooko" not in page and "Tidak ada peserta" in page


def test_the_office_marks_a_no_show_and_undoes_it(app, client, events, published):
    event = published["event"]
    a = published["a"]
    login(client, events.admin())
    page = f"/temu-bisnis/kelola/{event.id}/check-in"
    response = post(client, f"/temu-bisnis/kelola/{event.id}/tidak-hadir/{a.id}", page)
    assert "Sepatu Kota Mojokerto ditandai tidak hadir." in page_text(response)
    assert participant(app, a.id).no_show is True
    assert "Batalkan tidak hadir" in page_text(client.get(page))
    response = post(client, f"/temu-bisnis/kelola/{event.id}/tidak-hadir/{a.id}/batal", page)
    assert "Sepatu Kota Mojokerto tidak lagi ditandai tidak hadir." in page_text(response)
    assert participant(app, a.id).no_show is False
    # Arriving after all: checked in, and no longer absent; then it cannot be marked absent.
    post(client, f"/temu-bisnis/kelola/{event.id}/tidak-hadir/{a.id}", page)
    post(client, f"{page}/{a.id}", page)
    found = participant(app, a.id)
    assert found.checked_in_at is not None and found.no_show is False
    response = post(client, f"/temu-bisnis/kelola/{event.id}/tidak-hadir/{a.id}", page)
    assert "sudah tercatat hadir dan tidak absen" in page_text(response)
    assert participant(app, a.id).no_show is False


def _slot_start(app, event, slot: int):
    with app.app_context():
        return event_slots(db.session.get(Event, event.id))[slot][0]


def test_the_hall_shows_who_is_missing_at_the_tables_meeting_now(
    app, client, events, published, frozen_clock
):
    event = published["event"]
    placed = places(app, event)
    slot, table = placed[published["ab"].id]
    other_slot, _ = placed[published["bb"].id]
    assert slot != other_slot  # the buyer meets A and B in different rounds
    login(client, events.admin())
    page = f"/temu-bisnis/kelola/{event.id}/check-in"
    post(client, f"{page}/{published['buyer'].id}", page)

    frozen_clock.set(_slot_start(app, event, slot) + timedelta(minutes=5))
    hall = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/aula"))
    assert f"Putaran {slot + 1}" in hall and f"Meja {table + 1}" in hall
    assert "Sepatu Kota Mojokerto belum datang" in hall
    assert "PT Ramayana Lestari (demo) ✓ hadir" in hall
    assert "Sepatu Sooko" not in hall  # its meeting is in another round

    post(client, f"{page}/{published['a'].id}", page)
    hall = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/aula"))
    assert "belum datang" not in hall and "Semua sudah hadir" in hall

    frozen_clock.set(_slot_start(app, event, 0) - timedelta(hours=1))
    hall = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/aula"))
    assert "Tidak ada pertemuan yang sedang berlangsung" in hall and "09.00" in hall


@pytest.mark.parametrize("url", ["check-in", "aula"])
def test_check_in_and_hall_pages_ask_the_database_as_often_for_many(
    app, client, events, make, sql_statements, frozen_clock, url
):
    event = events.event(tables=40)
    buyer, buyer_user = make.buyer(company="PT Pembeli Banyak")
    buyer_p = events.participant(event, buyer, buyer_user, max_meetings=5)
    close_registration(app, events, event)
    publish(app, events, event)
    frozen_clock.set(_slot_start(app, event, 0) + timedelta(minutes=1))
    added = {"n": 0}

    def add(count):
        add_scheduled_meetings(app, make, event, buyer_p, added["n"], count)
        added["n"] += count

    login(client, events.admin())
    response = assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/kelola/{event.id}/{url}", add, 3, 30
    )
    text = page_text(response)
    assert "IKM Sepatu 25" in text and ("belum datang" in text or url == "check-in")


def test_page_numbers_and_searches_that_are_not_numbers_give_a_page(
    app, client, events, published, frozen_clock
):
    event = published["event"]
    login(client, events.admin())
    frozen_clock.set(_slot_start(app, event, 0) + timedelta(minutes=1))
    assert_pages_are_safe(client, f"/temu-bisnis/kelola/{event.id}/check-in")
    assert_pages_are_safe(client, f"/temu-bisnis/kelola/{event.id}/aula")
    for query in ("x" * 500, "%00", "'; --", "\\"):
        assert (
            client.get(
                f"/temu-bisnis/kelola/{event.id}/check-in", query_string={"q": query}
            ).status_code
            == 200
        )


def test_the_office_event_page_links_check_in_and_the_hall_once_published(
    client, events, published
):
    event = published["event"]
    login(client, events.admin())
    html = client.get(f"/temu-bisnis/kelola/{event.id}").get_data(True)
    assert f"/temu-bisnis/kelola/{event.id}/check-in" in html
    assert f"/temu-bisnis/kelola/{event.id}/aula" in html
    draft = events.event(state="draft", name="Temu Bisnis Draf")
    html = client.get(f"/temu-bisnis/kelola/{draft.id}").get_data(True)
    assert f"/temu-bisnis/kelola/{draft.id}/check-in" not in html


def test_the_qr_code_escapes_its_title():
    # The SVG goes into the page as markup: a participant's name must stay text in it.
    from app.events.checkin import qr_svg

    svg = str(qr_svg("https://etalase.example/t/abc", '<script>alert(1)</script> & "x"'))
    assert svg.startswith("<svg") and "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in svg
