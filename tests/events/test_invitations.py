"""The office invites people by email while registration is open: typed addresses, or every
invited organisation in Etalase that has not registered; each address once per event."""

from __future__ import annotations

import pytest

from app.auth.models import User
from app.events.models import EventInvitation
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, login, page_text


def invited(app, event) -> list[str]:
    with app.app_context():
        return sorted(
            db.session.scalars(db.select(EventInvitation.email).filter_by(event_id=event.id))
        )


def url(event, rest: str = "") -> str:
    return f"/temu-bisnis/kelola/{event.id}/undangan{rest}"


def test_the_office_invites_typed_addresses_once_each(app, client, events, outbox):
    event = events.event()
    login(client, events.admin())
    assert "Undang lewat email" in page_text(client.get(f"/temu-bisnis/kelola/{event.id}"))
    outbox.clear()
    response = client.post(
        url(event),
        data={
            "emails": "budi@sepatu-sooko.id, Sari@Kulit-Magetan.id\nbudi@sepatu-sooko.id",
            "message": "Sampai jumpa di Graha Mojokerto Service City.",
        },
        follow_redirects=True,
    )
    assert "2 undangan sedang dikirim." in page_text(response)
    assert invited(app, event) == ["budi@sepatu-sooko.id", "sari@kulit-magetan.id"]
    mail = next(m for m in outbox if m["To"] == "budi@sepatu-sooko.id")
    assert mail["Subject"] == "Undangan: Temu Bisnis Alas Kaki"
    body = mail.get_content()
    assert "Graha Mojokerto Service City" in body and f"/temu-bisnis/{event.id}" in body
    assert "Sampai jumpa di Graha Mojokerto Service City." in body
    page = page_text(response)
    assert "budi@sepatu-sooko.id" in page and "Sudah diundang (2)" in page

    response = client.post(
        url(event),
        data={"emails": "budi@sepatu-sooko.id\npak.eko@ramayana.co.id"},
        follow_redirects=True,
    )
    assert "1 undangan sedang dikirim; 1 sudah pernah diundang." in page_text(response)
    response = client.post(url(event), data={"emails": "pak.eko@ramayana.co.id"})
    assert "Semua alamat ini sudah pernah diundang." in page_text(response)
    assert len(invited(app, event)) == 3


BAD = [
    ("", "Isi setidaknya satu alamat email."),
    ("budi@sepatu-sooko.id\nbukan-alamat, <script>@x", "Bukan alamat email: bukan-alamat"),
    (", ".join(f"orang{n}@example.com" for n in range(201)), "Paling banyak 200 alamat"),
    ("a" * 20_001, "tidak boleh lebih dari 20000 karakter"),
]


@pytest.mark.parametrize(("emails", "message"), BAD)
def test_bad_addresses_are_refused_and_nothing_is_sent(
    app, client, events, outbox, emails, message
):
    event = events.event()
    login(client, events.admin())
    outbox.clear()
    response = client.post(url(event), data={"emails": emails})
    assert response.status_code == 200
    assert message in page_text(response)
    assert "<script>" not in response.get_data(as_text=True)
    assert invited(app, event) == [] and outbox == []


def test_every_invited_organisation_in_etalase_is_invited_in_its_language(
    app, client, events, make, outbox
):
    event = events.event(invited_kinds=["ikm", "buyer"], invited_sectors=["alas_kaki"])
    shoe_owner, _shoe = make.ikm_owner(name="Sepatu Sooko", sector="alas_kaki")
    english_owner, _english = make.ikm_owner(name="Sandal Kemlagi", sector="alas_kaki")
    with app.app_context():
        db.session.get(User, english_owner.id).locale = "en"
        db.session.commit()
    make.ikm_owner(name="Keripik Tempe Sanan", sector="makanan_minuman")  # not this sector
    make.ikm_owner(name="Sepatu Ditolak", sector="alas_kaki", status="rejected")
    registered_owner, registered = make.ikm_owner(name="Sepatu Terdaftar", sector="alas_kaki")
    events.participant(event, registered, registered_owner)
    _buyer, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")
    make.partner(name="Mitra Tidak Diundang")
    login(client, events.admin())
    page = page_text(client.get(url(event)))
    assert "3 orang mewakili organisasi undangan" in page
    outbox.clear()
    response = client.post(url(event, "/anggota"), data={"message": ""}, follow_redirects=True)
    assert "3 undangan sedang dikirim." in page_text(response)
    assert invited(app, event) == sorted([shoe_owner.email, english_owner.email, buyer_user.email])
    subjects = {m["To"]: m["Subject"] for m in outbox}
    assert subjects[english_owner.email] == "Invitation: Temu Bisnis Alas Kaki"
    assert subjects[shoe_owner.email] == "Undangan: Temu Bisnis Alas Kaki"
    response = client.post(url(event, "/anggota"), follow_redirects=True)
    assert "Semua organisasi yang diundang sudah menerima undangan." in page_text(response)
    assert len(invited(app, event)) == 3


def test_only_the_office_invites_and_only_while_registration_is_open(
    app, client, events, make, outbox
):
    event = events.event()
    owner, _ikm = make.ikm_owner()
    login(client, owner)
    assert client.get(url(event)).status_code == 404
    assert client.post(url(event), data={"emails": "a@example.com"}).status_code == 404
    assert client.post(url(event, "/anggota")).status_code == 404
    client.post("/akun/keluar")
    assert client.get(url(event)).status_code in (302, 404)
    assert invited(app, event) == []

    draft = events.event(state="draft")
    login(client, events.admin())
    response = client.post(url(draft), data={"emails": "a@example.com"})
    assert "Undangan hanya dapat dikirim selama pendaftaran dibuka." in page_text(response)
    assert invited(app, draft) == []
    assert client.get("/temu-bisnis/kelola/999999/undangan").status_code == 404


def test_the_list_of_invitations_is_paged_and_flat(app, client, events, sql_statements):
    event = events.event()
    admin = events.admin()
    login(client, admin)
    count = {"n": 0}

    def add(n):
        with app.app_context():
            for _ in range(n):
                count["n"] += 1
                db.session.add(
                    EventInvitation(
                        event_id=event.id,
                        email=f"orang{count['n']}@example.com",
                        invited_by_id=admin.id,
                    )
                )
            db.session.commit()

    response = assert_list_page_is_flat(client, sql_statements, url(event), add, few=3, many=60)
    assert "Halaman 1 dari 2" in page_text(response)
