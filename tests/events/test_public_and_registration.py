"""The public event page and list, and registering an organisation for an event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.events.models import Event, Participant
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def registration_form(**overrides) -> dict:
    values = {
        "kind": "ikm",
        "offers": "Pantofel kulit wanita, 2.000 pasang sebulan",
        "seeks": "Pembeli gerai ritel",
        "available_slots": ["0", "1", "3"],
        "max_meetings": "3",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def participants(app, event) -> list[Participant]:
    with app.app_context():
        found = db.session.scalars(db.select(Participant).filter_by(event_id=event.id)).all()
        for p in found:
            _ = p.products, p.requests, p.organisation
        db.session.expunge_all()
        return found


def test_anyone_sees_an_open_event_its_dates_who_may_register_and_the_window(client, events):
    event = events.event(invited_kinds=["ikm", "buyer"], invited_sectors=["alas_kaki"])
    body = page_text(client.get(f"/temu-bisnis/{event.id}"))
    assert "Temu Bisnis Alas Kaki" in body and "Graha Mojokerto Service City" in body
    assert "09:00–12:00" in body and "jeda 10:30–10:45" in body
    assert "IKM, Pembeli" in body and "Alas kaki" in body
    assert "Masuk untuk mendaftar" in body
    listed = page_text(client.get("/temu-bisnis/"))
    assert "Temu Bisnis Alas Kaki" in listed


def test_a_draft_event_is_not_public(client, events, make):
    event = events.event(state="draft", name="Rahasia Dinas")
    assert client.get(f"/temu-bisnis/{event.id}").status_code == 404
    assert "Rahasia Dinas" not in page_text(client.get("/temu-bisnis/"))
    login(client, make.ikm_owner()[0])
    assert client.get(f"/temu-bisnis/{event.id}").status_code == 404
    assert client.get(f"/temu-bisnis/{event.id}/daftar").status_code == 404


def test_the_public_list_is_paged_and_flat(client, events, sql_statements):
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        "/temu-bisnis/",
        lambda n: [events.event(name=f"Temu {i}") for i in range(n)],
        few=2,
        many=26,
    )
    assert "Halaman 1 dari 2" in page_text(response)
    assert_pages_are_safe(client, "/temu-bisnis/")


def test_an_ikm_registers_with_its_products_slots_and_limit(
    app, client, events, make, catalog, categories
):
    owner, ikm = make.ikm_owner(name="Sepatu Kota Mojokerto")
    product = catalog.product(ikm, name="Pantofel Kulit Hitam")
    event = events.event()
    login(client, owner)
    form = client.get(f"/temu-bisnis/{event.id}/daftar")
    assert "Pantofel Kulit Hitam" in page_text(form)
    response = client.post(
        f"/temu-bisnis/{event.id}/daftar",
        data=registration_form(product_ids=[str(product.id)]),
        follow_redirects=True,
    )
    assert "Sepatu Kota Mojokerto terdaftar." in page_text(response)
    (found,) = participants(app, event)
    assert (found.kind, found.available_slots, found.max_meetings) == ("ikm", [0, 1, 3], 3)
    assert [p.name for p in found.products] == ["Pantofel Kulit Hitam"]
    assert "Pendaftaran Anda" in page_text(client.get(f"/temu-bisnis/{event.id}"))
    # Once registered there is nothing left to register.
    assert client.get(f"/temu-bisnis/{event.id}/daftar").status_code == 404


def test_a_buyer_links_its_open_requests(app, client, events, buyer_org, matching):
    org, user = buyer_org
    request = matching.request(org, user, state="open")
    draft = matching.request(org, user, title="Masih draf")
    event = events.event()
    login(client, user)
    assert "Masih draf" not in page_text(client.get(f"/temu-bisnis/{event.id}/daftar"))
    client.post(
        f"/temu-bisnis/{event.id}/daftar",
        data=registration_form(kind="buyer", request_ids=[str(request.id)]),
    )
    (found,) = participants(app, event)
    assert [r.id for r in found.requests] == [request.id]
    response = client.post(
        f"/temu-bisnis/{event.id}/pendaftaran/{found.id}",
        data=registration_form(kind="buyer", request_ids=[str(draft.id)]),
    )
    assert "Pilih permintaan terbuka milik Anda sendiri." in page_text(response)
    assert [r.id for r in participants(app, event)[0].requests] == [request.id]


BAD = [
    ({"available_slots": []}, "Pilih paling sedikit satu sesi"),
    ({"available_slots": ["0", "99"]}, "Pilih sesi dari daftar."),
    ({"available_slots": ["x"]}, None),
    ({"available_slots": ["9" * 30]}, "Pilih sesi dari daftar."),
    ({"product_ids": ["9" * 30]}, "Pilih produk aktif milik Anda sendiri."),
    ({"max_meetings": "0"}, "Paling sedikit 1 pertemuan."),
    ({"max_meetings": "9"}, "Antara 1 dan 5 pertemuan."),
    ({"max_meetings": ""}, "Isi jumlah pertemuan"),
    ({"kind": "buyer"}, "Not a valid choice"),
    ({"kind": "observer"}, None),
    ({"request_ids": ["1"]}, "Hanya pembeli yang menautkan permintaan."),
]


@pytest.mark.parametrize("overrides, message", BAD)
def test_bad_registration_input_is_refused_and_nothing_saved(
    app, client, events, make, overrides, message
):
    owner, _ = make.ikm_owner()
    event = events.event()
    login(client, owner)
    response = client.post(f"/temu-bisnis/{event.id}/daftar", data=registration_form(**overrides))
    assert response.status_code == 200
    if message and message != "Not a valid choice":
        assert message in page_text(response)
    assert participants(app, event) == []


def test_another_ikms_product_cannot_be_shown(app, client, events, make, catalog, categories):
    owner, _ = make.ikm_owner()
    _, other = make.ikm_owner()
    theirs = catalog.product(other)
    event = events.event()
    login(client, owner)
    response = client.post(
        f"/temu-bisnis/{event.id}/daftar", data=registration_form(product_ids=[str(theirs.id)])
    )
    assert "Pilih produk aktif milik Anda sendiri." in page_text(response)
    assert participants(app, event) == []


def test_registration_only_in_its_window_and_while_open(app, client, events, make):
    owner, _ = make.ikm_owner()
    today = clock.today()
    later = events.event(
        registration_opens_on=today + timedelta(days=2),
        registration_closes_on=today + timedelta(days=5),
    )
    login(client, owner)
    response = client.get(f"/temu-bisnis/{later.id}/daftar", follow_redirects=True)
    assert "Pendaftaran dibuka pada" in page_text(response)
    response = client.post(
        f"/temu-bisnis/{later.id}/daftar", data=registration_form(), follow_redirects=True
    )
    assert "Pendaftaran dibuka pada" in page_text(response)
    closed = events.event(state="scheduling")
    response = client.post(
        f"/temu-bisnis/{closed.id}/daftar", data=registration_form(), follow_redirects=True
    )
    assert "Pendaftaran untuk acara ini tidak dibuka." in page_text(response)
    assert participants(app, later) == [] and participants(app, closed) == []


def test_registration_closed_by_date_says_when(app, client, events, make, frozen_clock):
    owner, _ = make.ikm_owner()
    event = events.event()
    frozen_clock.set(frozen_clock.current + timedelta(days=11))
    login(client, owner)
    response = client.get(f"/temu-bisnis/{event.id}/daftar", follow_redirects=True)
    assert "Pendaftaran sudah ditutup pada" in page_text(response)


def test_an_organisation_not_invited_cannot_register(client, events, make):
    event = events.event(invited_kinds=["buyer"])
    owner, _ = make.ikm_owner()
    login(client, owner)
    assert "Daftarkan" not in page_text(client.get(f"/temu-bisnis/{event.id}"))
    assert client.get(f"/temu-bisnis/{event.id}/daftar").status_code == 404
    batik = events.event(invited_kinds=["ikm"], invited_sectors=["batik"])
    assert (
        client.post(f"/temu-bisnis/{batik.id}/daftar", data=registration_form()).status_code == 404
    )


def test_a_participant_edits_its_own_registration_and_nobody_else_can(
    app, client, events, hall, make
):
    event, a = hall["event"], hall["a"]
    login(client, hall["owner_a"])
    client.post(
        f"/temu-bisnis/{event.id}/pendaftaran/{a.id}",
        data=registration_form(max_meetings="2", available_slots=["4"]),
    )
    with app.app_context():
        found = db.session.get(Participant, a.id)
        assert (found.max_meetings, found.available_slots) == (2, [4])
    for user in (hall["owner_b"], hall["buyer_user"], make.user()):
        client.post("/akun/keluar")
        login(client, user)
        url = f"/temu-bisnis/{event.id}/pendaftaran/{a.id}"
        assert client.get(url).status_code == 404
        assert client.post(url, data=registration_form(max_meetings="5")).status_code == 404
    with app.app_context():
        assert db.session.get(Participant, a.id).max_meetings == 2
        assert db.session.get(Event, event.id).state == "registration_open"
