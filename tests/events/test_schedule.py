"""The office runs the scheduler (after the response, or from the command line), sees the
schedule a day at a time, pins and moves meetings, and publishes: participants are told."""

from __future__ import annotations

import pytest

from app.core.notifications import Notification
from app.events.models import Event, Meeting, RunState, ScheduleRun
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, login, page_text


def meetings_of(app, event) -> dict[int, tuple[int, int, bool, bool]]:
    with app.app_context():
        return {
            m.request_id: (m.slot, m.table_number, m.is_pinned, m.is_published)
            for m in db.session.scalars(db.select(Meeting).filter_by(event_id=event.id))
        }


def close_registration(app, events, event) -> None:
    from app.auth.models import User
    from app.events import workflow

    with app.app_context():
        found = db.session.get(Event, event.id)
        workflow.transition(
            found,
            workflow.Action.CLOSE_REGISTRATION,
            by=db.session.get(User, events.admin().id),
        )
        db.session.commit()


@pytest.fixture
def booked(app, events, hall):
    """The hall with two accepted meetings (buyer–A, buyer–B) and registration closed."""
    hall["ab"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"]
    )
    events.answer(hall["ab"], True, by=hall["owner_a"])
    hall["bb"] = events.meeting_request(
        hall["event"], hall["buyer"], [hall["b"]], hall["buyer_user"]
    )
    events.answer(hall["bb"], True, by=hall["owner_b"])
    close_registration(app, events, hall["event"])
    return hall


def run_now(app, event):
    from app.events import schedule

    with app.app_context():
        run = schedule.execute(schedule.new_run(db.session.get(Event, event.id)), 2.0)
        db.session.commit()
        return run.state


def test_the_office_runs_the_scheduler_after_the_response(app, client, events, booked):
    event = booked["event"]
    login(client, events.admin())
    response = client.post(f"/temu-bisnis/kelola/{event.id}/jadwal/jalankan", buffered=False)
    assert response.status_code == 302
    with app.app_context():  # queued with the request; solved only once the body has gone
        assert db.session.scalar(db.select(ScheduleRun.state)) == RunState.QUEUED
    assert meetings_of(app, event) == {}
    response.get_data()
    response.close()
    placed = meetings_of(app, event)
    assert set(placed) == {booked["ab"].id, booked["bb"].id}
    assert placed[booked["ab"].id][0] != placed[booked["bb"].id][0]  # the buyer is in one place
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/jadwal"))
    assert "Pertemuan ditempatkan 2" in page and "Ya, terbukti" in page
    assert "Sepatu Kota Mojokerto" in page and "Meja 1" in page


def test_a_run_replaces_unpinned_meetings_and_keeps_pinned_ones(app, events, booked):
    event = booked["event"]
    assert run_now(app, event) == RunState.DONE
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=booked["ab"].id))
        meeting.slot, meeting.table_number, meeting.is_pinned = 4, 7, True
        db.session.commit()
    assert run_now(app, event) == RunState.DONE
    placed = meetings_of(app, event)
    assert placed[booked["ab"].id] == (4, 7, True, False)
    assert placed[booked["bb"].id][0] != 4 and len(placed) == 2


def test_unplaced_meetings_say_why(app, client, events, booked):
    from app.events.models import Participant

    event = booked["event"]
    with app.app_context():
        db.session.get(Participant, booked["a"].id).available_slots = []
        db.session.commit()
    assert run_now(app, event) == RunState.DONE
    assert set(meetings_of(app, event)) == {booked["bb"].id}
    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/jadwal"))
    assert "Pertemuan tidak tertampung 1" in page
    assert "Tidak ada sesi yang dapat dihadiri semua pesertanya." in page


def test_a_run_that_cannot_start_says_so_in_indonesian(app, client, events, booked):
    event = booked["event"]
    with app.app_context():
        found = db.session.get(Event, event.id)
        found.tables = 0
        db.session.commit()
    assert run_now(app, event) == RunState.FAILED
    login(client, events.admin())
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/jadwal"))
    assert "Acara ini tidak punya meja." in page


def test_the_command_line_runs_the_scheduler(app, events, booked):
    result = app.test_cli_runner().invoke(args=["events", "schedule", str(booked["event"].id)])
    assert result.exit_code == 0, result.output
    assert "Placed 2 meetings, left out 0" in result.output
    assert len(meetings_of(app, booked["event"])) == 2
    result = app.test_cli_runner().invoke(args=["events", "schedule", "999999"])
    assert result.exit_code != 0 and "No event" in result.output


def test_only_the_office_runs_pins_moves_and_publishes(app, client, events, booked):
    event = booked["event"]
    run_now(app, event)
    meeting_id = next(iter(meetings_of_ids(app, event)))
    before = meetings_of(app, event)
    for user in (booked["buyer_user"], booked["owner_a"]):
        login(client, user)
        for url, method in [
            (f"/temu-bisnis/kelola/{event.id}/jadwal", "get"),
            (f"/temu-bisnis/kelola/{event.id}/jadwal/jalankan", "post"),
            (f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/sematkan", "post"),
            (f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/pindah", "get"),
            (f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/pindah", "post"),
            (f"/temu-bisnis/kelola/{event.id}/terbitkan", "post"),
        ]:
            assert getattr(client, method)(url).status_code == 404, url
        client.post("/akun/keluar")
    assert client.get(f"/temu-bisnis/kelola/{event.id}/jadwal").status_code in (302, 404)
    assert meetings_of(app, event) == before
    with app.app_context():
        assert db.session.get(Event, event.id).state == "scheduling"
        assert db.session.scalar(db.select(db.func.count(ScheduleRun.id))) == 1


def meetings_of_ids(app, event) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Meeting.id).filter_by(event_id=event.id)))


def test_the_office_pins_and_moves_a_meeting(app, client, events, booked):
    event = booked["event"]
    run_now(app, event)
    login(client, events.admin())
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=booked["ab"].id))
        meeting_id, slot = meeting.id, meeting.slot
    client.post(f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/sematkan")
    assert meetings_of(app, event)[booked["ab"].id][2] is True
    free = next(s for s in range(5) if s not in {p[0] for p in meetings_of(app, event).values()})
    response = client.post(
        f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/pindah",
        data={"slot": str(free), "table": "6"},
        follow_redirects=True,
    )
    assert "Pertemuan dipindahkan" in page_text(response)
    assert meetings_of(app, event)[booked["ab"].id] == (free, 5, True, False)
    assert slot is not None


BAD_MOVES = [
    ("occupied", "Meja itu sudah terpakai pada sesi itu."),
    ("double_booked", "sudah punya pertemuan pada sesi itu"),
    ("slot_out_of_range", "Sesi atau meja itu tidak ada"),
    ("table_out_of_range", "Sesi atau meja itu tidak ada"),
    ("not_a_number", "Pilihan tidak valid"),
]


@pytest.mark.parametrize(("case", "message"), BAD_MOVES)
def test_a_move_that_breaks_the_schedule_is_refused(app, client, events, booked, case, message):
    event = booked["event"]
    run_now(app, event)
    placed = meetings_of(app, event)
    with app.app_context():
        ab = db.session.scalar(db.select(Meeting).filter_by(request_id=booked["ab"].id))
        meeting_id = ab.id
    other_slot, other_table = placed[booked["bb"].id][:2]
    data = {
        "occupied": {"slot": str(other_slot), "table": str(other_table + 1)},
        "double_booked": {"slot": str(other_slot), "table": "10"},  # the buyer is at bb then
        "slot_out_of_range": {"slot": "99", "table": "1"},
        "table_out_of_range": {"slot": str(placed[booked["ab"].id][0]), "table": "11"},
        "not_a_number": {"slot": "abc", "table": "1"},
    }[case]
    login(client, events.admin())
    response = client.post(f"/temu-bisnis/kelola/{event.id}/jadwal/{meeting_id}/pindah", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert meetings_of(app, event) == placed


def test_bogus_ids_are_404(app, client, events, booked):
    event = booked["event"]
    login(client, events.admin())
    for url in [
        f"/temu-bisnis/kelola/{event.id}/jadwal/999999/pindah",
        f"/temu-bisnis/kelola/{event.id}/jadwal/{10**12}/pindah",
        f"/temu-bisnis/kelola/{10**12}/jadwal",
        "/temu-bisnis/kelola/999999/jadwal",
    ]:
        assert client.get(url).status_code == 404, url
    for value in ("0", "-1", "abc", "99", "10" * 20):
        assert client.get(f"/temu-bisnis/kelola/{event.id}/jadwal?hari={value}").status_code == 200


def test_publishing_tells_every_participant_after_the_response(app, client, events, booked, outbox):
    event = booked["event"]
    run_now(app, event)
    outbox.clear()
    login(client, events.admin())
    response = client.post(f"/temu-bisnis/kelola/{event.id}/terbitkan", buffered=False)
    assert response.status_code == 302
    assert outbox == []
    with app.app_context():
        texts = db.session.scalars(
            db.select(Notification.text).filter_by(user_id=booked["owner_a"].id)
        ).all()
        assert db.session.get(Event, event.id).state == "published"
    assert "Agenda Anda untuk Temu Bisnis Alas Kaki sudah siap" in texts
    response.get_data()
    response.close()
    told = {m["To"] for m in outbox}
    assert {booked["owner_a"].email, booked["owner_b"].email, booked["buyer_user"].email} <= told
    assert all(p[3] for p in meetings_of(app, event).values())


def add_scheduled_meetings(app, make, event, buyer_p, start: int, count: int) -> None:
    """``count`` more IKMs, each with an accepted meeting with the buyer placed in the grid."""
    from app.events.models import MeetingInvitee, MeetingRequest, Participant

    for n in range(start, start + count):
        _owner, ikm = make.ikm_owner(name=f"IKM Sepatu {n}")
        with app.app_context():
            participant = Participant(
                event_id=event.id,
                organisation_id=ikm.id,
                kind="ikm",
                available_slots=[0, 1, 2, 3, 4],
                max_meetings=2,
                offers="Sandal kulit",
            )
            db.session.add(participant)
            db.session.flush()
            request = MeetingRequest(
                event_id=event.id,
                from_participant_id=buyer_p.id,
                state="accepted",
                invitees=[MeetingInvitee(participant_id=participant.id, answer="accepted")],
            )
            db.session.add(request)
            db.session.flush()
            db.session.add(
                Meeting(
                    event_id=event.id,
                    request_id=request.id,
                    slot=n % 5,
                    table_number=n // 5,
                    is_published=True,
                )
            )
            db.session.commit()


def test_the_schedule_page_asks_the_database_as_often_for_many_meetings(
    app, client, events, make, sql_statements
):
    event = events.event(tables=40)
    buyer, buyer_user = make.buyer(company="PT Pembeli Banyak")
    buyer_p = events.participant(event, buyer, buyer_user, max_meetings=5)
    close_registration(app, events, event)
    added = {"n": 0}

    def add(count):
        add_scheduled_meetings(app, make, event, buyer_p, added["n"], count)
        added["n"] += count

    login(client, events.admin())
    response = assert_list_page_is_flat(
        client, sql_statements, f"/temu-bisnis/kelola/{event.id}/jadwal", add, few=3, many=30
    )
    assert "IKM Sepatu 29" in page_text(response)


def test_a_cancelled_meeting_leaves_the_schedule_and_frees_its_table(app, client, events, booked):
    from app.events.models import MeetingRequest, RequestState

    event = booked["event"]
    run_now(app, event)
    placed = meetings_of(app, event)
    login(client, booked["buyer_user"])
    client.post(f"/temu-bisnis/{event.id}/temu/{booked['bb'].id}/batal")
    with app.app_context():
        state = db.session.get(MeetingRequest, booked["bb"].id).state
    assert state == RequestState.CANCELLED
    assert set(meetings_of(app, event)) == {booked["ab"].id}
    client.post("/akun/keluar")
    login(client, events.admin())
    with app.app_context():
        ab = db.session.scalar(db.select(Meeting.id).filter_by(request_id=booked["ab"].id))
    slot, table = placed[booked["bb"].id][:2]
    response = client.post(
        f"/temu-bisnis/kelola/{event.id}/jadwal/{ab}/pindah",
        data={"slot": str(slot), "table": str(table + 1)},
    )
    assert response.status_code == 302
    assert meetings_of(app, event) == {booked["ab"].id: (slot, table, True, False)}
