"""The office's event report: registrations, requests, meetings scheduled and held,
no-shows, outcomes and deals by IKM sector and by buyer; printable and as CSV; the office
only; read in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.events.models import MeetingOutcome, Participant
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, login, page_text
from tests.events.test_agenda import published  # noqa: F401
from tests.events.test_outcomes import meeting_of, started, switch, url  # noqa: F401


def record(client, hall, side: str, meeting_id: int, **data):
    response = client.post(url(hall, side, meeting_id), data=data)
    assert response.status_code == 302, page_text(response)


@pytest.fixture
def office(events, started):  # noqa: F811
    started["admin"] = events.admin()
    return started


@pytest.fixture
def reported(app, client, office):
    """Buyer–A: a deal both sides recorded (the buyer's figures count); buyer–B: B records a
    follow-up; B is marked a no-show (as the check-in desk would)."""
    hall = office
    ab = hall["meeting"]
    bb, bb_start = meeting_of(app, hall["bb"])
    hall["clock"].set(max(hall["clock"].current, bb_start + timedelta(minutes=5)))
    login(client, hall["buyer_user"])
    record(client, hall, "buyer", ab, kind="deal", quantity="200", unit="pasang", value="30000000")
    switch(client, hall["owner_a"])
    record(client, hall, "a", ab, kind="deal", quantity="150", unit="pasang", value="20000000")
    switch(client, hall["owner_b"])
    record(client, hall, "b", bb, kind="follow_up")
    with app.app_context():
        db.session.get(Participant, hall["b"].id).no_show = True
        db.session.commit()
    switch(client, hall["admin"])
    return hall


def rows_of(client, event) -> list[list[str]]:
    response = client.get(f"/temu-bisnis/kelola/{event.id}/laporan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_report_counts_a_small_event(app, client, office, reported):
    event = reported["event"]
    page = page_text(client.get(f"/temu-bisnis/kelola/{event.id}/laporan"))
    assert "Laporan acara" in page and "Rp30.000.000" in page and "Rp20.000.000" not in page
    assert "PT Ramayana Lestari (demo)" in page
    rows = rows_of(client, event)
    assert rows[0] == ["Bagian", "Butir", "Jumlah", "Jumlah", "Nilai (Rupiah)"]
    found = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert found[("Pendaftaran", "IKM")][0] == "2"
    assert found[("Pendaftaran", "Pembeli")][0] == "1"
    assert found[("Permintaan pertemuan", "Diterima")][0] == "2"
    assert found[("Pertemuan", "Dijadwalkan")][0] == "2"
    assert found[("Pertemuan", "Terlaksana")][0] == "2"
    assert found[("Pertemuan", "Tidak hadir (peserta)")][0] == "1"
    assert found[("Hasil pertemuan", "Kesepakatan")][0] == "2"
    assert found[("Hasil pertemuan", "Tindak lanjut")][0] == "1"
    assert found[("Kesepakatan", "Semua kesepakatan")] == ["1", "200 pasang", "30000000"]
    [sector] = [v for (s, _), v in found.items() if s == "Kesepakatan per sektor IKM"]
    assert sector == ["1", "200 pasang", "30000000"]
    assert found[("Kesepakatan per pembeli", "PT Ramayana Lestari (demo)")][0] == "1"


def test_deals_in_kodi_and_pasang_add_up_in_pairs(app, client, office, reported):
    """Buyer–B's deal is 10 kodi of sandals: with buyer–A's 200 pasang the report says 400."""
    hall = reported
    bb, _start = meeting_of(app, hall["bb"])
    with app.app_context():  # B came after all
        db.session.get(Participant, hall["b"].id).no_show = False
        db.session.commit()
    switch(client, hall["buyer_user"])
    record(client, hall, "buyer", bb, kind="deal", quantity="10", unit="kodi", value="5000000")
    switch(client, hall["admin"])
    found = {(r[0], r[1]): r[2:] for r in rows_of(client, hall["event"])[1:]}
    assert found[("Kesepakatan", "Semua kesepakatan")] == ["2", "400 pasang", "35000000"]


def test_counted_units_join_and_measured_ones_stay_apart():
    from app.events.report import DealLine

    line = DealLine("x")
    line.add(2, "lusin", 10)  # bags: 24 pieces
    line.add(6, "pcs", 10)
    line.add(1, "gros", 10, footwear=True)  # sandals: 144 pairs
    line.add(50, "kg", 10)
    line.add(3, "set", 10)
    assert line.quantities == {"pcs": 30, "pasang": 144, "kg": 50, "set": 3}
    assert (line.deals, line.value) == (5, 50)


def test_only_the_office_sees_the_report(app, client, started):  # noqa: F811
    event = started["event"]
    for user in (started["buyer_user"], started["owner_a"]):
        switch(client, user)
        assert client.get(f"/temu-bisnis/kelola/{event.id}/laporan").status_code == 404
        assert client.get(f"/temu-bisnis/kelola/{event.id}/laporan.csv").status_code == 404


def test_csv_cells_never_run_as_formulas(app, client, office, make):
    event = office["event"]
    with app.app_context():
        from app.orgs.models import Organisation

        db.session.get(Organisation, office["buyer"].organisation_id).name = "=HYPERLINK(1)"
        db.session.commit()
    login(client, office["buyer_user"])
    record(client, office, "buyer", office["meeting"], kind="deal", quantity="5", value="100")
    switch(client, office["admin"])
    rows = rows_of(client, event)
    assert ["Kesepakatan per pembeli", "'=HYPERLINK(1)"] in [r[:2] for r in rows]


def test_the_report_asks_the_same_number_of_queries_for_more_deals(
    app, client, office, make, sql_statements
):
    from app.events.models import Meeting, MeetingInvitee, MeetingRequest

    event = office["event"]
    made = []

    def add(n: int) -> None:
        ikms = [make.ikm_owner(name=f"Sepatu {len(made) + k}")[1] for k in range(n)]
        with app.app_context():
            for ikm in ikms:
                i = len(made)
                participant = Participant(
                    event_id=event.id,
                    organisation_id=ikm.id,
                    kind="ikm",
                    available_slots=[0],
                    max_meetings=4,
                )
                db.session.add(participant)
                db.session.flush()
                request = MeetingRequest(
                    event_id=event.id, from_participant_id=office["buyer"].id, state="accepted"
                )
                request.invitees.append(MeetingInvitee(participant_id=participant.id))
                db.session.add(request)
                db.session.flush()
                meeting = Meeting(
                    event_id=event.id,
                    request_id=request.id,
                    slot=0,
                    table_number=100 + i,
                    is_published=True,
                )
                db.session.add(meeting)
                db.session.flush()
                for side in (office["buyer"].id, participant.id):
                    db.session.add(
                        MeetingOutcome(
                            meeting_id=meeting.id,
                            participant_id=side,
                            kind="deal",
                            quantity=10 + i,
                            unit="kodi",
                            value=1_000_000,
                            recorded_at=office["clock"].current,
                        )
                    )
                made.append(meeting.id)
            db.session.commit()

    login(client, office["admin"])
    for page in ("laporan", "laporan.csv"):
        assert_list_page_is_flat(
            client, sql_statements, f"/temu-bisnis/kelola/{event.id}/{page}", add, few=2, many=8
        )
