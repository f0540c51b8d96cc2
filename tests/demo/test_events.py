"""The demo's events: one under way with a published schedule, check-ins and a meeting whose
outcome the demo accounts record themselves; one open for registration; one closed, with a
report that has figures."""

from __future__ import annotations

from app.events.models import Event, Meeting, MeetingOutcome, Participant
from app.extensions import db
from app.orgs.models import Organisation
from tests.conftest import login, page_text

DEMO = "etalase-demo-2026"


def demo_user(login_name: str):
    return type("U", (), {"email": f"{login_name}@etalase.example"})


def test_the_demo_events_have_something_to_show_and_to_do(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        events = {e.state: e for e in db.session.scalars(db.select(Event))}
        assert set(events) == {"running", "registration_open", "closed"}
        running = events["running"]
        assert running.name.startswith("Temu Bisnis Alas Kaki Kota Mojokerto")
        assert running.venue == "Graha Mojokerto Service City"
        meetings = db.session.scalars(db.select(Meeting).filter_by(event_id=running.id)).all()
        assert len(meetings) >= 6 and all(m.is_published for m in meetings)
        people = db.session.scalars(db.select(Participant).filter_by(event_id=running.id)).all()
        assert sum(p.no_show for p in people) == 1
        assert sum(p.checked_in_at is not None for p in people) == len(people) - 1
        assert db.session.scalar(
            db.select(db.func.count(MeetingOutcome.id))
            .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
            .filter(Meeting.event_id == running.id)
        )
        ramayana = db.session.scalar(db.select(Organisation.id).filter_by(name="Ramayana"))
        buyer = next(p for p in people if p.organisation_id == ramayana)
        mine = next(
            m
            for m in meetings
            if buyer.id in m.request.participant_ids
            and any(
                i.participant.organisation.name == "Sepatu Kulit Sumber Rejeki"
                for i in m.request.invitees
            )
        )
        assert not db.session.scalar(
            db.select(db.func.count(MeetingOutcome.id)).filter_by(meeting_id=mine.id)
        )
        event_id, buyer_id, meeting_id = running.id, buyer.id, mine.id
        past = events["closed"].id
        upcoming = events["registration_open"].id

    # Ramayana's demo account follows its agenda and records the deal it left open.
    login(client, demo_user("ramayana"), password=DEMO)
    agenda = page_text(client.get(f"/temu-bisnis/{event_id}/agenda/{buyer_id}"))
    assert "Sepatu Kulit Sumber Rejeki" in agenda and "Catat hasil" in agenda
    response = client.post(
        f"/temu-bisnis/{event_id}/agenda/{buyer_id}/pertemuan/{meeting_id}/hasil",
        data={"kind": "deal", "quantity": "800", "unit": "pasang", "value": "96000000"},
    )
    assert response.status_code == 302
    with app.app_context():
        outcome = db.session.scalar(db.select(MeetingOutcome).filter_by(meeting_id=meeting_id))
        assert outcome.buyer_request_id is not None  # the deal continues in matching
    assert "Temu Bisnis Kriya dan Batik" in page_text(client.get(f"/temu-bisnis/{upcoming}"))
    client.post("/akun/keluar")

    login(client, demo_user("admin"), password=DEMO)
    report = page_text(client.get(f"/temu-bisnis/kelola/{past}/laporan"))
    assert "Kesepakatan" in report and "Rp" in report
    hall = client.get(f"/temu-bisnis/kelola/{event_id}/aula")
    assert hall.status_code == 200
