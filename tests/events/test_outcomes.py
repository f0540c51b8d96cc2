"""After a published meeting has started, each side records what came of it from its agenda;
a buyer's "quote requested" or deal sends the IKM a matching request. Another participant's
outcome stays private."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.events.models import Event, Meeting, MeetingOutcome
from app.events.slots import event_slots
from app.extensions import db
from app.matching.models import BuyerRequest, Recipient
from tests.conftest import login, page_text
from tests.events.test_agenda import published  # noqa: F401


def meeting_of(app, request) -> tuple[int, object]:
    """The meeting id of a meeting request and when its slot starts."""
    with app.app_context():
        meeting = db.session.scalars(db.select(Meeting).filter_by(request_id=request.id)).one()
        start = event_slots(db.session.get(Event, meeting.event_id))[meeting.slot][0]
        return meeting.id, start


@pytest.fixture
def started(app, published, frozen_clock):  # noqa: F811
    """The published hall at the moment buyer–A's meeting is five minutes old."""
    meeting_id, start = meeting_of(app, published["ab"])
    frozen_clock.set(start + timedelta(minutes=5))
    published["meeting"] = meeting_id
    published["clock"] = frozen_clock
    return published


def url(hall, side: str, meeting_id=None) -> str:
    event = hall["event"]
    return (
        f"/temu-bisnis/{event.id}/agenda/{hall[side].id}/pertemuan/"
        f"{meeting_id or hall['meeting']}/hasil"
    )


def switch(client, user) -> None:
    client.post("/akun/keluar")
    login(client, user)


def outcomes(app) -> list[MeetingOutcome]:
    with app.app_context():
        return db.session.scalars(db.select(MeetingOutcome).order_by(MeetingOutcome.id)).all()


def test_an_ikm_records_a_follow_up_from_its_agenda_and_may_change_it(app, client, started):
    login(client, started["owner_a"])
    agenda = f"/temu-bisnis/{started['event'].id}/agenda/{started['a'].id}"
    assert "Catat hasil" in page_text(client.get(agenda))
    response = client.post(url(started, "a"), data={"kind": "follow_up", "note": "Kirim katalog"})
    assert response.status_code == 302
    page = page_text(client.get(agenda))
    assert "Hasil Anda: Tindak lanjut" in page
    changed = client.post(url(started, "a"), data={"kind": "sample_requested"})
    assert changed.status_code == 302, page_text(changed)
    [outcome] = outcomes(app)
    assert outcome.kind == "sample_requested" and outcome.participant_id == started["a"].id
    assert outcome.recorded_at == started["clock"].current
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BuyerRequest.id))) == 0


def test_nothing_can_be_recorded_before_the_meeting_starts(app, client, started):
    started["clock"].set(started["clock"].current - timedelta(minutes=10))
    login(client, started["owner_a"])
    response = client.post(url(started, "a"), data={"kind": "follow_up"})
    assert response.status_code == 400
    assert "setelah pertemuan dimulai" in page_text(response)
    assert outcomes(app) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "deal", "value": "5000000"}, "Kesepakatan perlu jumlah"),
        ({"kind": "deal", "quantity": "100", "unit": "pasang"}, "Kesepakatan perlu nilainya"),
        ({"kind": "deal", "quantity": "-5", "value": "1000"}, "antara 1 dan 10.000.000"),
        ({"kind": "deal", "quantity": "100", "value": "1999999999999"}, "di luar rentang"),
        ({"kind": "deal", "quantity": "100", "value": "2050000000"}, "antara Rp1 dan"),
        ({"kind": "deal", "quantity": "100", "unit": "ton", "value": "1000"}, "Pilih satuan"),
        ({"kind": "wedding"}, "Pilih hasil pertemuan"),
        ({}, "Pilih hasil pertemuan"),
    ],
)
def test_bad_figures_are_refused_in_indonesian(app, client, started, data, message):
    login(client, started["owner_a"])
    response = client.post(url(started, "a"), data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert outcomes(app) == []


def test_others_get_404_and_an_outcome_stays_private(app, client, started, make):
    login(client, started["owner_b"])  # B is not at buyer–A's table
    assert client.get(url(started, "b")).status_code == 404
    assert client.post(url(started, "a"), data={"kind": "deal"}).status_code == 404
    assert client.get(url(started, "b", meeting_id=10**12)).status_code == 404
    switch(client, started["owner_a"])
    recorded = client.post(
        url(started, "a"), data={"kind": "no_interest", "note": "Harga terlalu tinggi"}
    )
    assert recorded.status_code == 302
    switch(client, started["buyer_user"])
    event = started["event"]
    page = page_text(client.get(f"/temu-bisnis/{event.id}/agenda/{started['buyer'].id}"))
    assert "Tidak berminat" not in page and "Harga terlalu tinggi" not in page
    form = page_text(client.get(url(started, "buyer")))
    assert "Harga terlalu tinggi" not in form
    stranger, _ = make.ikm_owner(name="Sepatu Lain")
    switch(client, stranger)
    assert client.get(url(started, "a")).status_code == 404


def test_a_buyers_deal_opens_a_request_the_ikm_sees(app, client, started):
    login(client, started["buyer_user"])
    response = client.post(
        url(started, "buyer"),
        data={"kind": "deal", "quantity": "200", "unit": "pasang", "value": "Rp30.000.000"},
    )
    assert response.status_code == 302
    [outcome] = outcomes(app)
    assert (outcome.quantity, outcome.unit, outcome.value) == (200, "pasang", 30_000_000)
    with app.app_context():
        request = db.session.get(BuyerRequest, outcome.buyer_request_id)
        assert request.state == "open" and request.quantity == 200
        assert "Pantofel Kulit Hitam" in request.title
        assert request.buyer_org_id == started["buyer"].organisation_id
        assert request.delivery_on > started["clock"].current.date()
        [recipient] = db.session.scalars(db.select(Recipient).filter_by(request_id=request.id))
        assert recipient.ikm_id == started["a"].organisation_id
        request_id = request.id
    switch(client, started["owner_a"])
    ikm_id = started["a"].organisation_id
    assert "Pantofel Kulit Hitam" in page_text(client.get(f"/permintaan/peluang/{ikm_id}"))
    opportunity = client.get(f"/permintaan/peluang/{ikm_id}/{request_id}")
    assert opportunity.status_code == 200
    # Recording again keeps the one request.
    switch(client, started["buyer_user"])
    client.post(url(started, "buyer"), data={"kind": "quote_requested"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BuyerRequest.id))) == 1


def test_a_linked_open_request_is_sent_instead_of_a_new_one(app, client, started, matching):
    from app.events.models import Participant

    request = matching.request(started["buyer"].organisation, started["buyer_user"], state="open")
    with app.app_context():
        buyer = db.session.get(Participant, started["buyer"].id)
        buyer.requests.append(db.session.get(BuyerRequest, request.id))
        db.session.commit()
    login(client, started["buyer_user"])
    client.post(url(started, "buyer"), data={"kind": "quote_requested"})
    [outcome] = outcomes(app)
    assert outcome.buyer_request_id == request.id
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BuyerRequest.id))) == 1
        sent = db.session.scalars(db.select(Recipient.ikm_id).filter_by(request_id=request.id))
        assert started["a"].organisation_id in set(sent)


def test_a_deal_with_an_ikm_matching_cannot_reach_is_refused_and_not_saved(app, client, started):
    from app.orgs.models import IKM

    with app.app_context():
        db.session.get(IKM, started["a"].organisation_id).status = "pending"
        db.session.commit()
    login(client, started["buyer_user"])
    response = client.post(
        url(started, "buyer"),
        data={"kind": "deal", "quantity": "200", "unit": "pasang", "value": "30000000"},
    )
    assert response.status_code == 400
    assert "belum terverifikasi" in page_text(response)
    assert outcomes(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BuyerRequest.id))) == 0


def test_the_agenda_with_outcomes_asks_a_fixed_number_of_queries(
    app, client, started, sql_statements
):
    login(client, started["owner_a"])
    agenda = f"/temu-bisnis/{started['event'].id}/agenda/{started['a'].id}"
    client.get(agenda)
    _, before = sql_statements(client.get, agenda)
    client.post(url(started, "a"), data={"kind": "follow_up"})
    _, after = sql_statements(client.get, agenda)
    assert len(after) <= len(before)
