"""The office changes a schedule by hand and after publication: a meeting the solver left out is
placed by hand, a late request is fitted around the published meetings and published as a
change, a published meeting is moved; the participants concerned are told, nobody else."""

from __future__ import annotations

import pytest

from app.core.notifications import Notification
from app.events.models import Event, Meeting, MeetingRequest, Participant
from app.extensions import db
from tests.conftest import login, page_text
from tests.events.test_schedule import close_registration, meetings_of, run_now


def told(app, user, word="berubah") -> list[str]:
    with app.app_context():
        texts = db.session.scalars(db.select(Notification.text).filter_by(user_id=user.id)).all()
    return [t for t in texts if word in t]


def meeting_id(app, request) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(Meeting.id).filter_by(request_id=request.id))


@pytest.fixture
def left_out(app, events, make, hall):
    """Two accepted meetings with a buyer who wants one meeting only: a run places the one of
    higher priority (buyer–A, slot 0: A can attend nothing else) and leaves buyer–B out; then
    the office raises the buyer's limit."""
    hall["ab"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"], priority=3
    )
    events.answer(hall["ab"], True, by=hall["owner_a"])
    hall["bb"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["b"]], hall["buyer_user"], priority=1
    )
    events.answer(hall["bb"], True, by=hall["owner_b"])
    with app.app_context():
        db.session.get(Participant, hall["a"].id).available_slots = [0]
        db.session.get(Participant, hall["b"].id).available_slots = [0, 1]
        db.session.get(Participant, hall["buyer"].id).max_meetings = 1
        db.session.commit()
    hall["owner_c"], ikm_c = make.ikm_owner(name="Sepatu Kemlagi")  # registered, no meetings yet
    hall["c"] = events.participant(hall["event"], ikm_c, hall["owner_c"])
    close_registration(app, events, hall["event"])
    run_now(app, hall["event"])
    assert set(meetings_of(app, hall["event"])) == {hall["ab"].id}
    with app.app_context():  # the office raises the buyer's limit after the run
        db.session.get(Participant, hall["buyer"].id).max_meetings = 3
        db.session.commit()
    return hall


def place_url(hall, request) -> str:
    return f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/tempatkan/{request.id}"


def test_the_office_places_a_left_out_meeting_by_hand(app, client, events, left_out):
    hall = left_out
    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{hall['event'].id}/jadwal"))
    assert "Tempatkan sendiri" in page
    assert "Tempatkan pertemuan sendiri" in page_text(client.get(place_url(hall, hall["bb"])))
    response = client.post(
        place_url(hall, hall["bb"]), data={"slot": "1", "table": "3"}, follow_redirects=True
    )
    assert "Pertemuan ditempatkan dan disematkan di sana." in page_text(response)
    assert meetings_of(app, hall["event"])[hall["bb"].id] == (1, 2, True, False)
    # No longer among the left out; before publication nobody is told.
    assert "Tempatkan sendiri" not in page_text(response)
    assert told(app, hall["owner_b"]) == []
    # A later run keeps it where the office put it.
    run_now(app, hall["event"])
    assert meetings_of(app, hall["event"])[hall["bb"].id] == (1, 2, True, False)


PLACE_REFUSED = [
    ({"slot": "0", "table": "5"}, "sudah punya pertemuan pada sesi itu"),  # the buyer meets A
    ({"slot": "2", "table": "1"}, "tidak dapat hadir pada sesi itu"),  # B cannot attend
    ({"slot": "1", "table": "99"}, "Sesi atau meja itu tidak ada"),
    ({"slot": "x", "table": "1"}, "Pilihan tidak valid"),
    ({"slot": "1", "table": ""}, "Wajib diisi"),
]


@pytest.mark.parametrize(("data", "message"), PLACE_REFUSED)
def test_a_placing_that_breaks_the_schedule_is_refused(
    app, client, events, left_out, data, message
):
    hall = left_out
    before = meetings_of(app, hall["event"])
    login(client, events.admin())
    response = client.post(place_url(hall, hall["bb"]), data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert meetings_of(app, hall["event"]) == before


def test_a_request_with_a_place_or_not_accepted_cannot_be_placed(app, client, events, left_out):
    hall = left_out
    login(client, events.admin())
    response = client.post(place_url(hall, hall["ab"]), data={"slot": "1", "table": "4"})
    assert "sudah punya tempat di jadwal" in page_text(response)
    with app.app_context():
        db.session.get(MeetingRequest, hall["bb"].id).state = "cancelled"
        db.session.commit()
    response = client.post(place_url(hall, hall["bb"]), data={"slot": "1", "table": "4"})
    assert "tidak lagi berstatus diterima" in page_text(response)
    assert set(meetings_of(app, hall["event"])) == {hall["ab"].id}


def test_only_the_office_places_and_publishes_changes(app, client, events, left_out):
    hall = left_out
    other = events.event(name="Temu Bisnis Lain")
    before = meetings_of(app, hall["event"])
    for user in (hall["buyer_user"], hall["owner_b"]):
        login(client, user)
        assert client.get(place_url(hall, hall["bb"])).status_code == 404
        assert (
            client.post(place_url(hall, hall["bb"]), data={"slot": "1", "table": "1"}).status_code
            == 404
        )
        url = f"/temu-bisnis/kelola/{hall['event'].id}/terbitkan-perubahan"
        assert client.post(url).status_code == 404
        client.post("/akun/keluar")
    login(client, events.admin())  # a request of another event, or none at all
    assert (
        client.get(f"/temu-bisnis/kelola/{other.id}/jadwal/tempatkan/{hall['bb'].id}").status_code
        == 404
    )
    assert (
        client.get(f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/tempatkan/999999").status_code
        == 404
    )
    assert meetings_of(app, hall["event"]) == before


def publish(client, hall):
    return client.post(f"/temu-bisnis/kelola/{hall['event'].id}/terbitkan", follow_redirects=True)


def test_a_late_request_is_fitted_around_the_published_schedule(
    app, client, events, make, left_out, outbox
):
    hall = left_out
    login(client, events.admin())
    publish(client, hall)
    placed = meetings_of(app, hall["event"])
    # After publication: the buyer may meet more (B's left-out request now fits), and a late
    # request from IKM C is accepted. A run fits both around buyer–A.
    owner_c = hall["owner_c"]
    late = events.meeting_request(hall["event"], hall["c"], [hall["buyer"]], owner_c)
    events.answer(late, True, by=hall["buyer_user"])
    run_now(app, hall["event"])
    now = meetings_of(app, hall["event"])
    assert now[hall["ab"].id] == placed[hall["ab"].id]  # the published meeting stayed
    assert now[hall["bb"].id][0] == 1 and now[late.id][0] not in (0, 1)
    assert now[hall["bb"].id][3] is False and now[late.id][3] is False  # not yet published
    agenda = f"/temu-bisnis/{hall['event'].id}/agenda/{hall['b'].id}"
    client.post("/akun/keluar")
    login(client, hall["owner_b"])
    assert "PT Ramayana Lestari (demo)" not in page_text(client.get(agenda))
    client.post("/akun/keluar")

    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{hall['event'].id}/jadwal"))
    assert "2 pertemuan yang ditambahkan sejak penerbitan belum ada di agenda." in page
    outbox.clear()
    response = client.post(
        f"/temu-bisnis/kelola/{hall['event'].id}/terbitkan-perubahan", follow_redirects=True
    )
    assert "2 pertemuan baru diterbitkan" in page_text(response)
    assert meetings_of(app, hall["event"])[late.id][3] is True
    for user in (hall["owner_b"], owner_c, hall["buyer_user"]):  # the buyer: one message for two
        assert told(app, user) == ["Agenda Anda untuk Temu Bisnis Alas Kaki berubah"]
    assert told(app, hall["owner_a"]) == []  # A's agenda did not change
    mail = next(m for m in outbox if m["To"] == hall["owner_b"].email).get_content()
    assert "Dengan PT Ramayana Lestari (demo)" in mail
    assert f"meja {now[hall['bb'].id][1] + 1}" in mail
    buyer_mail = next(m for m in outbox if m["To"] == hall["buyer_user"].email).get_content()
    assert "Dengan Sepatu Sooko" in buyer_mail and "Dengan Sepatu Kemlagi" in buyer_mail
    client.post("/akun/keluar")
    login(client, hall["owner_b"])
    assert "PT Ramayana Lestari (demo)" in page_text(client.get(agenda))
    client.post("/akun/keluar")
    login(client, events.admin())
    response = client.post(
        f"/temu-bisnis/kelola/{hall['event'].id}/terbitkan-perubahan", follow_redirects=True
    )
    assert "Tidak ada perubahan yang menunggu diterbitkan." in page_text(response)


def test_moving_a_published_meeting_tells_its_participants_at_once(
    app, client, events, left_out, outbox
):
    hall = left_out
    login(client, events.admin())
    publish(client, hall)
    outbox.clear()
    mid = meeting_id(app, hall["ab"])
    # A can attend only slot 0: a move to another slot is refused and nobody is told.
    response = client.post(
        f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/{mid}/pindah",
        data={"slot": "1", "table": "1"},
    )
    assert "tidak dapat hadir pada sesi itu" in page_text(response)
    assert told(app, hall["owner_a"]) == []
    response = client.post(
        f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/{mid}/pindah",
        data={"slot": "0", "table": "7"},
        follow_redirects=True,
    )
    assert "Pertemuan dipindahkan" in page_text(response)
    assert meetings_of(app, hall["event"])[hall["ab"].id] == (0, 6, True, True)
    assert told(app, hall["owner_a"]) == ["Agenda Anda untuk Temu Bisnis Alas Kaki berubah"]
    assert told(app, hall["owner_b"]) == []
    mail = next(m for m in outbox if m["To"] == hall["owner_a"].email).get_content()
    assert "meja 7" in mail
    # Placing a left-out meeting after publication goes into the agendas at once.
    client.post(place_url(hall, hall["bb"]), data={"slot": "1", "table": "2"})
    assert meetings_of(app, hall["event"])[hall["bb"].id] == (1, 1, True, True)
    assert told(app, hall["owner_b"]) == ["Agenda Anda untuk Temu Bisnis Alas Kaki berubah"]


def test_once_the_event_starts_the_schedule_is_fixed(app, client, events, make, left_out):
    hall = left_out
    login(client, events.admin())
    publish(client, hall)
    run_now(app, hall["event"])  # buyer–B now fits, and waits to be published
    late = hall["bb"]
    assert meetings_of(app, hall["event"])[late.id][3] is False
    # Starting the event publishes what still waits, so that hall and agendas agree.
    client.post(f"/temu-bisnis/kelola/{hall['event'].id}/mulai")
    with app.app_context():
        assert db.session.get(Event, hall["event"].id).state == "running"
    assert meetings_of(app, hall["event"])[late.id][3] is True
    assert told(app, hall["owner_b"]) == ["Agenda Anda untuk Temu Bisnis Alas Kaki berubah"]
    before = meetings_of(app, hall["event"])
    mid = meeting_id(app, hall["ab"])
    for url, data in [
        (
            f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/{mid}/pindah",
            {"slot": "0", "table": "9"},
        ),
        (f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/jalankan", {}),
        (f"/temu-bisnis/kelola/{hall['event'].id}/jadwal/{mid}/sematkan", {}),
    ]:
        response = client.post(url, data=data, follow_redirects=True)
        assert "hanya dapat diubah" in page_text(response), url
    assert meetings_of(app, hall["event"]) == before
