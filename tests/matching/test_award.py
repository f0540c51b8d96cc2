"""The printable award summary: the buyer sees every line, each accepted IKM only its own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from app.matching.models import BuyerRequest, Quote
from tests.conftest import login, page_text


def _quote(client, owner, ikm, request_id, price: str, quantity: str):
    login(client, owner)
    response = client.post(
        f"/permintaan/peluang/{ikm.id}/{request_id}",
        data={
            "quote-unit_price": price,
            "quote-quantity": quantity,
            "quote-delivery_on": (clock.today() + timedelta(days=80)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.post("/akun/keluar")


def _quote_id(app, ikm) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Quote.id).filter_by(ikm_id=ikm.id))


@pytest.fixture
def quoted(app, client, buyer_org, matching, shoemakers, frozen_clock):
    """500 pairs (target Rp187.500) sent to three makers; Kota quotes 300 at Rp250.000, Sooko
    200 at Rp260.000, Denpasar 500 at Rp240.000."""
    org, user = buyer_org
    found = matching.request(
        org, user, state="open", allow_consortium=True, max_group_size=3, target_unit_price=187_500
    )
    kota, sooko, bali = (shoemakers[k] for k in ("kota", "kabupaten", "bali"))
    login(client, user)
    client.post(
        f"/permintaan/{found.id}/kirim",
        data={"ikm": [f"{kota[1].id}:300", f"{sooko[1].id}:200", str(bali[1].id)]},
    )
    client.post("/akun/keluar")
    _quote(client, kota[0], kota[1], found.id, "250000", "300")
    _quote(client, sooko[0], sooko[1], found.id, "260000", "200")
    _quote(client, bali[0], bali[1], found.id, "240000", "500")
    return found


@pytest.fixture
def awarded(app, client, buyer_org, shoemakers, quoted):
    """The buyer declines Denpasar's quote and accepts Kota's and Sooko's: awarded."""
    user = buyer_org[1]
    login(client, user)
    client.post(f"/permintaan/penawaran/{_quote_id(app, shoemakers['bali'][1])}/tolak")
    for key in ("kota", "kabupaten"):
        client.post(f"/permintaan/penawaran/{_quote_id(app, shoemakers[key][1])}/terima")
    with app.app_context():
        assert db.session.get(BuyerRequest, quoted.id).state == "awarded"
    client.post("/akun/keluar")
    return quoted


def test_the_buyer_prints_who_supplies_what(app, client, buyer_org, shoemakers, awarded):
    user = buyer_org[1]
    login(client, user)
    url = f"/permintaan/{awarded.id}/ringkasan"
    assert url in client.get(f"/permintaan/{awarded.id}").get_data(as_text=True)
    assert url in client.get(f"/permintaan/{awarded.id}/penawaran").get_data(as_text=True)
    page = page_text(client.get(url))
    assert "Ringkasan pesanan" in page and "Diterbitkan" in page
    assert "Sepatu Kota Mojokerto" in page and "Sepatu Sooko" in page
    assert "Sepatu Denpasar" not in page  # declined
    assert "300 pasang" in page and "Rp250.000" in page and "Rp75.000.000" in page
    assert "200 pasang" in page and "Rp260.000" in page and "Rp52.000.000" in page
    assert "500 pasang" in page and "Rp127.000.000" in page
    assert user.email in page  # the buyer's contact
    assert "187.500" not in page  # the target price is not part of the agreement


def test_an_accepted_ikm_sees_only_its_own_lines(app, client, shoemakers, awarded):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    url = f"/permintaan/peluang/{kota.id}/{awarded.id}/ringkasan"
    assert url in client.get(f"/permintaan/peluang/{kota.id}/{awarded.id}").get_data(as_text=True)
    page = page_text(client.get(url))
    assert "Pasokan Anda" in page and "Rp250.000" in page and "Rp75.000.000" in page
    assert "dari 500 pasang dalam seluruh pesanan" in page
    assert "PT Ramayana Lestari (demo)" in page  # the buyer's contact
    for other in ("Sepatu Sooko", "Rp260.000", "Rp127.000.000", "187.500", "Sepatu Denpasar"):
        assert other not in page


def test_no_summary_before_the_award(app, client, buyer_org, shoemakers, quoted):
    login(client, buyer_org[1])
    client.post(f"/permintaan/penawaran/{_quote_id(app, shoemakers['kota'][1])}/terima")
    assert "ringkasan" not in client.get(f"/permintaan/{quoted.id}").get_data(as_text=True)
    assert client.get(f"/permintaan/{quoted.id}/ringkasan").status_code == 404
    client.post("/akun/keluar")
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    assert client.get(f"/permintaan/peluang/{kota.id}/{quoted.id}/ringkasan").status_code == 404


def test_the_summary_stays_when_the_buyer_closes_the_request(
    app, client, buyer_org, shoemakers, awarded
):
    with app.app_context():
        db.session.get(BuyerRequest, awarded.id).state = "closed"
        db.session.commit()
    login(client, buyer_org[1])
    assert client.get(f"/permintaan/{awarded.id}/ringkasan").status_code == 200


def test_everyone_else_gets_404_or_the_login_page(app, client, make, shoemakers, awarded):
    buyer_url = f"/permintaan/{awarded.id}/ringkasan"
    assert client.get(buyer_url).status_code == 302  # to the login page
    kota, sooko, bali = (shoemakers[k] for k in ("kota", "kabupaten", "bali"))
    people = [
        (make.buyer(company="PT Lain")[1], [buyer_url]),
        # The declined maker, and a supplier asking for another's summary or the buyer's.
        (bali[0], [f"/permintaan/peluang/{bali[1].id}/{awarded.id}/ringkasan", buyer_url]),
        (sooko[0], [f"/permintaan/peluang/{kota[1].id}/{awarded.id}/ringkasan", buyer_url]),
        (shoemakers["pending"][0], [buyer_url]),
    ]
    for person, urls in people:
        login(client, person)
        for url in urls:
            assert client.get(url).status_code == 404, (person.email, url)
        client.post("/akun/keluar")
    for url in (
        "/permintaan/999999/ringkasan",
        f"/permintaan/peluang/{kota[1].id}/999999/ringkasan",
    ):
        login(client, kota[0])
        assert client.get(url).status_code == 404


def test_the_trade_office_reads_the_buyers_summary(client, admin, awarded):
    login(client, admin)
    page = page_text(client.get(f"/permintaan/{awarded.id}/ringkasan"))
    assert "Sepatu Kota Mojokerto" in page and "Sepatu Sooko" in page


def test_the_summary_prints_on_a4(app, client):
    css = client.get("/static/css/etalase.css").get_data(as_text=True)
    assert "@page { size: A4" in css and "@media print" in css
