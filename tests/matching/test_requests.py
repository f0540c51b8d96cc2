"""A buyer posts, edits and opens requests; nobody else sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from app.matching.models import BuyerRequest
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.matching.conftest import request_form


def _requests(app) -> list[BuyerRequest]:
    with app.app_context():
        return db.session.scalars(db.select(BuyerRequest)).all()


def test_buyer_posts_a_draft_and_opens_it(app, client, buyer_org, frozen_clock):
    org, user = buyer_org
    login(client, user)
    assert "Pasang permintaan" in page_text(client.get("/permintaan/baru"))
    response = client.post("/permintaan/baru", data=request_form(organisation_id=org.id))
    assert response.status_code == 302
    (saved,) = _requests(app)
    assert (saved.quantity, saved.unit, saved.state) == (500, "pasang", "draft")
    assert saved.province_code == "35" and saved.regency_code == "35.76"
    page = page_text(client.get(f"/permintaan/{saved.id}", follow_redirects=True))
    assert "Draf" in page and "500 pasang" in page and "Kota Mojokerto" in page
    client.post(f"/permintaan/{saved.id}/buka")
    assert _requests(app)[0].state == "open"
    page = page_text(client.get(f"/permintaan/{saved.id}"))
    assert "Permintaan dibuka" in page  # the audited transition, in the history


def test_the_target_price_is_the_buyers_and_admins_alone(
    app, client, buyer_org, matching, make, admin
):
    org, user = buyer_org
    found = matching.request(org, user, target_unit_price=150000)
    login(client, user)
    assert "Rp150.000" in page_text(client.get(f"/permintaan/{found.id}"))
    other = make.user()
    make.member(org, "buyer", user=other)
    client.post("/akun/keluar")
    login(client, admin)
    assert "Rp150.000" in page_text(client.get(f"/permintaan/{found.id}"))


def test_a_buyer_edits_a_request_and_units_convert(app, client, buyer_org, matching):
    org, user = buyer_org
    found = matching.request(org, user)
    login(client, user)
    client.post(f"/permintaan/{found.id}/ubah", data=request_form(quantity="25", unit="kodi"))
    (saved,) = _requests(app)
    assert (saved.quantity, saved.unit) == (25, "kodi")
    assert "25 kodi" in page_text(client.get(f"/permintaan/{found.id}"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "Antara 1 dan 10.000.000."),
        ("quantity", "-5", "Antara 1 dan 10.000.000."),
        ("quantity", "99999999999", "Antara 1 dan 10.000.000."),
        ("quantity", "banyak", "Masukkan bilangan bulat."),
        ("unit", "karung", "Pilihan tidak valid."),
        ("delivery_on", "past", "Tanggal kirim harus setelah hari ini."),
        ("delivery_on", "today", "Tanggal kirim harus setelah hari ini."),
        ("max_group_size", "0", "Satu kelompok berbagi pesanan antara 2 dan 20 IKM."),
        ("target_unit_price", "0", "Harga sasaran harus antara Rp1 dan Rp1.000.000.000."),
        ("regency_code", "99.99", "Pilihan tidak valid."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    app, client, buyer_org, frozen_clock, field, value, message
):
    org, user = buyer_org
    login(client, user)
    if value == "past":
        value = (clock.today() - timedelta(days=1)).isoformat()
    if value == "today":
        value = clock.today().isoformat()
    data = request_form(organisation_id=org.id, allow_consortium="y", **{field: value})
    response = client.post("/permintaan/baru", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert _requests(app) == []


def test_other_people_get_404(app, client, buyer_org, matching, make, ikm_owner):
    org, user = buyer_org
    found = matching.request(org, user)
    _, other_buyer = make.buyer(company="PT Lain")
    for someone in (other_buyer, ikm_owner):
        login(client, someone)
        for url in (f"/permintaan/{found.id}", f"/permintaan/{found.id}/ubah"):
            assert client.get(url).status_code == 404
        assert client.post(f"/permintaan/{found.id}/buka").status_code == 404
        client.post("/akun/keluar")
    assert _requests(app)[0].state == "draft"
    login(client, ikm_owner)
    assert client.get("/permintaan/").status_code == 404
    assert client.get("/permintaan/baru").status_code == 404


def test_an_admin_reads_but_cannot_open(app, client, buyer_org, matching, admin):
    org, user = buyer_org
    found = matching.request(org, user)
    login(client, admin)
    assert client.get(f"/permintaan/{found.id}").status_code == 200
    assert client.post(f"/permintaan/{found.id}/buka").status_code == 404


def test_a_partner_organisation_posts_requests_too(app, client, make):
    from tests.conftest import page_text as text

    user, partner = make.partner_with("partner_admin")
    login(client, user)
    response = client.post("/permintaan/baru", data=request_form(organisation_id=partner.id))
    assert response.status_code == 302
    assert _requests(app)[0].buyer_org_id == partner.id
    assert "Sepatu pantofel" in text(client.get("/permintaan/"))


def test_a_cancelled_request_can_no_longer_be_edited(app, client, buyer_org, matching):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    login(client, user)
    client.post(f"/permintaan/{found.id}/batal")
    assert _requests(app)[0].state == "cancelled"
    assert client.get(f"/permintaan/{found.id}/ubah").status_code == 404
    client.post(f"/permintaan/{found.id}/buka")
    assert _requests(app)[0].state == "cancelled"


def test_the_list_is_paged_with_constant_statements(
    app, client, buyer_org, matching, sql_statements
):
    org, user = buyer_org
    login(client, user)
    assert_list_page_is_flat(
        client,
        sql_statements,
        "/permintaan/",
        lambda n: [matching.request(org, user) for _ in range(n)],
        many=55,
    )
    assert "Halaman 1 dari 2" in page_text(client.get("/permintaan/"))
    assert_pages_are_safe(client, "/permintaan/")


def test_the_trade_office_list_is_paged_with_constant_statements(
    app, client, buyer_org, matching, admin, sql_statements
):
    org, user = buyer_org
    login(client, admin)
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        "/permintaan/semua",
        lambda n: [matching.request(org, user) for _ in range(n)],
        many=55,
    )
    assert "Permintaan 55 Draf" in page_text(response)  # the totals count every request
    assert_pages_are_safe(client, "/permintaan/semua")
