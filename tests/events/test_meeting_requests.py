"""Participants browse each other, ask for meetings, and answer; each side sees its own."""

from __future__ import annotations

import pytest

from app.core.notifications import Notification
from app.events.models import MeetingRequest
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def count_requests(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(MeetingRequest.id)))


def ask(client, event, invitees, priority="3", message="Kami butuh 5.000 pasang."):
    return client.post(
        f"/temu-bisnis/{event.id}/temu/baru",
        data={"invitees": [str(p.id) for p in invitees], "priority": priority, "message": message},
        follow_redirects=True,
    )


def test_a_buyer_browses_the_participants_and_asks_an_ikm_for_a_meeting(app, client, hall, outbox):
    event = hall["event"]
    login(client, hall["buyer_user"])
    listed = page_text(client.get(f"/temu-bisnis/{event.id}/peserta?jenis=ikm"))
    assert "Sepatu Kota Mojokerto" in listed and "Sepatu Sooko" in listed
    assert "Peserta (2)" in listed  # the IKMs, not the buyer
    for odd in ("x", "-1", "0", "9" * 30, "%00"):
        assert client.get(f"/temu-bisnis/{event.id}/temu/baru?ke={odd}").status_code == 200
    form = client.get(f"/temu-bisnis/{event.id}/temu/baru?ke={hall['a'].id}")
    assert "checked" in form.get_data(as_text=True)
    response = ask(client, event, [hall["a"]])
    assert "Permintaan pertemuan Anda terkirim." in page_text(response)
    with app.app_context():
        found = db.session.scalar(db.select(MeetingRequest))
        assert (found.priority, found.state, found.message) == (
            3,
            "requested",
            "Kami butuh 5.000 pasang.",
        )
        told = db.session.scalars(
            db.select(Notification.text).filter_by(user_id=hall["owner_a"].id)
        )
        assert list(told) == ["PT Ramayana Lestari (demo) meminta bertemu dengan Anda"]
    mine = page_text(client.get(f"/temu-bisnis/{event.id}/temu"))
    assert "Kepada Sepatu Kota Mojokerto" in mine and "Menunggu jawaban" in mine


def test_the_ikm_accepts_and_the_buyer_is_told_in_the_site_and_by_email(
    app, client, hall, events, outbox
):
    event = hall["event"]
    request = events.meeting_request(event, hall["buyer"], [hall["a"]], hall["buyer_user"])
    login(client, hall["owner_a"])
    received = page_text(client.get(f"/temu-bisnis/{event.id}/temu"))
    assert "Dari PT Ramayana Lestari (demo)" in received
    before = len(outbox)
    response = client.post(
        f"/temu-bisnis/{event.id}/temu/{request.id}/terima", follow_redirects=True
    )
    assert "Anda menerima pertemuan ini." in page_text(response)
    with app.app_context():
        assert db.session.get(MeetingRequest, request.id).state == "accepted"
        told = list(
            db.session.scalars(
                db.select(Notification.text).filter_by(user_id=hall["buyer_user"].id)
            )
        )
        assert told == ["Sepatu Kota Mojokerto menerima permintaan pertemuan Anda"]
    mail = outbox[before:]
    assert [m["To"] for m in mail] == [hall["buyer_user"].email]
    assert "Sepatu Kota Mojokerto menerima" in mail[0].get_content()
    # Answering twice changes nothing.
    client.post(f"/temu-bisnis/{event.id}/temu/{request.id}/tolak")
    with app.app_context():
        assert db.session.get(MeetingRequest, request.id).state == "accepted"


def test_a_declined_request_stays_private_to_its_two_sides(app, client, hall, events, make):
    event = hall["event"]
    request = events.meeting_request(event, hall["buyer"], [hall["a"]], hall["buyer_user"])
    events.answer(request, False, by=hall["owner_a"])
    url = f"/temu-bisnis/{event.id}/temu/{request.id}"
    for user in (hall["buyer_user"], hall["owner_a"]):
        client.post("/akun/keluar")
        login(client, user)
        assert "Ditolak" in page_text(client.get(url))
    for user in (hall["owner_b"], make.user()):
        client.post("/akun/keluar")
        login(client, user)
        assert client.get(url).status_code == 404
        for action in ("terima", "tolak", "batal"):
            assert client.post(f"{url}/{action}").status_code == 404
        assert "Ramayana" not in page_text(client.get(f"/temu-bisnis/{event.id}/temu"))
    client.post("/akun/keluar")
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "who, message",
    [
        ("self", "dengan diri sendiri"),
        ("nobody", "Pilih siapa yang ingin Anda temui."),
        ("stranger", "Hanya organisasi yang terdaftar di acara ini"),
        ("huge", "Hanya organisasi yang terdaftar di acara ini"),
        ("group_by_ikm", "Hanya pembeli yang boleh mengundang beberapa IKM"),
    ],
)
def test_bad_meeting_requests_are_refused_with_a_clear_message(
    app, client, hall, events, make, who, message
):
    event = hall["event"]
    other_event = events.event(name="Acara lain")
    owner, ikm = make.ikm_owner()
    elsewhere = events.participant(other_event, ikm, owner)
    login(client, hall["owner_a"])
    invitees = {
        "self": [hall["a"]],
        "nobody": [],
        "stranger": [elsewhere],
        "huge": [type("Nobody", (), {"id": 10**30})()],
        "group_by_ikm": [hall["b"], hall["buyer"]],
    }[who]
    response = ask(client, event, invitees)
    assert message in page_text(response)
    assert count_requests(app) == 0


def test_a_duplicate_request_either_way_is_refused(app, client, hall, events):
    event = hall["event"]
    events.meeting_request(event, hall["buyer"], [hall["a"]], hall["buyer_user"])
    login(client, hall["owner_a"])
    assert "Anda sudah meminta pertemuan ini" in page_text(ask(client, event, [hall["buyer"]]))
    client.post("/akun/keluar")
    login(client, hall["buyer_user"])
    assert "Anda sudah meminta pertemuan ini" in page_text(ask(client, event, [hall["a"]]))
    assert count_requests(app) == 1
    # A table with both IKMs is another meeting.
    assert "terkirim" in page_text(ask(client, event, [hall["a"], hall["b"]]))
    assert count_requests(app) == 2


def test_a_bad_priority_is_refused(app, client, hall):
    login(client, hall["buyer_user"])
    response = ask(client, hall["event"], [hall["a"]], priority="7")
    assert response.status_code == 200 and count_requests(app) == 0


def test_only_participants_browse_and_ask(app, client, hall, make, events):
    event = hall["event"]
    outsider, _ = make.ikm_owner()
    login(client, outsider)
    for url in ("peserta", "temu", "temu/baru", "rekomendasi"):
        assert client.get(f"/temu-bisnis/{event.id}/{url}").status_code == 404, url
    assert (
        client.post(
            f"/temu-bisnis/{event.id}/temu/baru", data={"invitees": [str(hall["a"].id)]}
        ).status_code
        == 404
    )
    client.post("/akun/keluar")
    login(client, events.admin())
    assert client.get(f"/temu-bisnis/{event.id}/peserta").status_code == 200
    assert count_requests(app) == 0


def move_event(app, events, event, *actions) -> None:
    from app.auth.models import User
    from app.events import workflow
    from app.events.models import Event

    with app.app_context():
        found = db.session.get(Event, event.id)
        admin = db.session.get(User, events.admin().id)
        for action in actions:
            workflow.transition(found, action, by=admin)
        db.session.commit()


def test_late_requests_are_taken_after_publication_until_the_event_starts(
    app, client, hall, events
):
    from app.events.workflow import Action

    move_event(app, events, hall["event"], Action.CLOSE_REGISTRATION, Action.PUBLISH)
    login(client, hall["buyer_user"])
    response = ask(client, hall["event"], [hall["a"]])
    assert "Permintaan pertemuan Anda terkirim." in page_text(response)
    assert count_requests(app) == 1
    move_event(app, events, hall["event"], Action.START)
    response = ask(client, hall["event"], [hall["b"]])
    assert "Permintaan pertemuan untuk acara ini sudah ditutup." in page_text(response)
    assert count_requests(app) == 1


def test_the_participants_list_is_paged_and_flat(client, hall, events, make, sql_statements):
    event = hall["event"]
    login(client, hall["buyer_user"])

    def add(n):
        for _ in range(n):
            owner, ikm = make.ikm_owner()
            events.participant(event, ikm, owner)

    assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/{event.id}/peserta", add, few=1, many=10
    )
    assert_pages_are_safe(client, f"/temu-bisnis/{event.id}/peserta?jenis=ikm&sektor=alas_kaki")
    assert (
        client.get(f"/temu-bisnis/{event.id}/peserta?jenis=%00&sektor=x" + "y" * 3000).status_code
        == 200
    )


def test_a_participants_own_requests_are_paged_and_flat(client, hall, events, make, sql_statements):
    event = hall["event"]
    login(client, hall["buyer_user"])

    def add(n):
        for _ in range(n):
            owner, ikm = make.ikm_owner()
            other = events.participant(event, ikm, owner)
            events.meeting_request(event, hall["buyer"], [other], hall["buyer_user"])

    assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/{event.id}/temu", add, few=1, many=8
    )
    assert_pages_are_safe(client, f"/temu-bisnis/{event.id}/temu")


def test_a_buyer_sees_the_registered_ikms_that_match_its_requests_with_reasons(
    app, client, events, buyer_org, matching, shoemakers
):
    org, user = buyer_org
    request = matching.request(org, user, state="open")
    event = events.event()
    buyer = events.participant(event, org, user, kind="buyer", request_ids=[request.id])
    owner, ikm, _ = shoemakers["kota"]
    events.participant(event, ikm, owner)
    login(client, user)
    body = page_text(client.get(f"/temu-bisnis/{event.id}/rekomendasi?sebagai={buyer.id}"))
    assert "IKM yang cocok dengan permintaan Anda" in body
    assert "Sepatu Kota Mojokerto" in body
    assert "Sepatu Sooko" not in body  # a good match, but not registered for the event
    assert "poin" in body and "Kesesuaian produk" in body


def test_markup_is_shown_as_text_and_extra_fields_are_ignored(app, client, hall, events):
    event = hall["event"]
    login(client, hall["owner_a"])
    client.post(
        f"/temu-bisnis/{event.id}/pendaftaran/{hall['a'].id}",
        data={
            "kind": "ikm",
            "offers": "<script>alert(1)</script>",
            "available_slots": ["0"],
            "max_meetings": "2",
            "no_show": "1",
            "event_id": "999",
        },
    )
    body = client.get(f"/temu-bisnis/{event.id}/peserta").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    response = client.post(
        f"/temu-bisnis/{event.id}/temu/baru",
        data={
            "invitees": [str(hall["buyer"].id)],
            "priority": "2",
            "message": "<b>halo</b>",
            "state": "accepted",
            "from_participant_id": str(hall["b"].id),
        },
        follow_redirects=True,
    )
    assert "<b>halo</b>" not in response.get_data(as_text=True)
    with app.app_context():
        from app.events.models import Participant

        found = db.session.scalar(db.select(MeetingRequest))
        assert (found.state, found.from_participant_id) == ("requested", hall["a"].id)
        mine = db.session.get(Participant, hall["a"].id)
        assert (mine.no_show, mine.event_id) == (False, event.id)
