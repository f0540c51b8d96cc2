"""Sending a request, the IKM's opportunities, quotes with revisions, accepting and awarding."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from app.matching.models import BuyerRequest, Quote, Recipient
from tests.conftest import assert_list_page_is_flat, login, page_text


def _quote_form(**overrides):
    values = {
        "quote-unit_price": "250.000",
        "quote-quantity": "300",
        "quote-delivery_on": (clock.today() + timedelta(days=80)).isoformat(),
        "quote-note": "Kulit sapi lokal.",
    }
    values.update(overrides)
    return values


@pytest.fixture
def sent(app, client, buyer_org, matching, shoemakers, frozen_clock):
    """An open request for 500 pairs, sent to the Kota and Sooko makers (with shares)."""
    org, user = buyer_org
    found = matching.request(org, user, state="open", allow_consortium=True, max_group_size=3)
    kota, sooko = shoemakers["kota"][1], shoemakers["kabupaten"][1]
    login(client, user)
    response = client.post(
        f"/permintaan/{found.id}/kirim", data={"ikm": [f"{kota.id}:300", f"{sooko.id}:200"]}
    )
    assert response.status_code == 302
    client.post("/akun/keluar")
    return found


def _get(app, model, **filters):
    with app.app_context():
        return db.session.scalars(db.select(model).filter_by(**filters)).all()


def test_sending_tells_each_ikm_in_the_site_and_by_mail(app, sent, shoemakers, outbox, client):
    assert {r.allocated_quantity for r in _get(app, Recipient)} == {300, 200}
    assert any("meminta penawaran" in m["Subject"] for m in outbox)
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    page = page_text(client.get(f"/permintaan/peluang/{kota.id}"))
    assert "Sepatu pantofel wanita kulit" in page
    page = page_text(client.get(f"/permintaan/peluang/{kota.id}/{sent.id}"))
    assert "Bagian yang diusulkan untuk Anda" in page and "300 pasang" in page


def test_an_ikm_quotes_revises_and_the_history_is_kept(app, sent, shoemakers, client):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    url = f"/permintaan/peluang/{kota.id}/{sent.id}"
    assert client.post(url, data=_quote_form()).status_code == 302
    assert client.post(url, data=_quote_form(**{"quote-unit_price": "240000"})).status_code == 302
    (quote,) = _get(app, Quote)
    assert quote.unit_price == 240_000
    page = page_text(client.get(url))
    assert "Rp250.000" in page and "Rp240.000" in page


def test_an_ikm_withdraws_its_waiting_quote_and_may_quote_again(
    app, sent, shoemakers, client, buyer_org, outbox
):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    url = f"/permintaan/peluang/{kota.id}/{sent.id}"
    client.post(url, data=_quote_form())
    assert "Tarik penawaran" in page_text(client.get(url))
    response = client.post(f"{url}/tarik", follow_redirects=True)
    assert "Penawaran Anda ditarik; pembeli sudah diberi tahu." in page_text(response)
    (quote,) = _get(app, Quote)
    assert quote.state == "withdrawn"
    page = page_text(client.get(url))
    assert "Ditarik" in page and "Kirim penawaran lagi" in page and "Tarik penawaran" not in page
    again = client.post(f"{url}/tarik", follow_redirects=True)  # nothing left to withdraw
    assert "Tidak ada penawaran yang menunggu untuk ditarik." in page_text(again)
    client.post("/akun/keluar")
    login(client, buyer_org[1])
    quotes_page = page_text(client.get(f"/permintaan/{sent.id}/penawaran"))
    assert "Ditarik" in quotes_page
    refused = client.post(
        f"/permintaan/penawaran/{quote.id}/terima", data={"quantity": ""}, follow_redirects=True
    )
    assert refused.status_code == 200
    assert _get(app, Quote)[0].state == "withdrawn"  # a withdrawn quote cannot be accepted
    client.post("/akun/keluar")
    login(client, owner)
    client.post(url, data=_quote_form(**{"quote-unit_price": "245000"}))
    (quote,) = _get(app, Quote)
    assert (quote.state, quote.unit_price) == ("submitted", 245_000)


def test_only_the_quoting_ikm_may_withdraw(app, sent, shoemakers, client, buyer_org):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    url = f"/permintaan/peluang/{kota.id}/{sent.id}"
    client.post(url, data=_quote_form())
    client.post("/akun/keluar")
    other, _sooko, _ = shoemakers["kabupaten"]
    login(client, other)
    assert client.post(f"{url}/tarik").status_code == 404  # not its IKM
    client.post("/akun/keluar")
    login(client, buyer_org[1])
    assert client.post(f"{url}/tarik").status_code == 404
    assert _get(app, Quote)[0].state == "submitted"


def test_a_quote_above_the_quantity_asked_is_refused(app, sent, shoemakers, client):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    response = client.post(
        f"/permintaan/peluang/{kota.id}/{sent.id}", data=_quote_form(**{"quote-quantity": "501"})
    )
    assert response.status_code == 200
    assert "Tawarkan antara 1 dan jumlah yang diminta (500)." in page_text(response)
    assert _get(app, Quote) == []


def test_an_ikm_declines_with_a_reason(app, sent, shoemakers, client, buyer_org):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    url = f"/permintaan/peluang/{kota.id}/{sent.id}"
    client.post(f"{url}/tolak", data={"decline-reason": ""})
    assert all(r.declined_at is None for r in _get(app, Recipient))
    client.post(f"{url}/tolak", data={"decline-reason": "Kapasitas penuh sampai Maret"})
    (declined,) = [r for r in _get(app, Recipient) if r.declined_at]
    assert declined.decline_reason == "Kapasitas penuh sampai Maret"
    client.post("/akun/keluar")
    login(client, buyer_org[1])
    assert "Kapasitas penuh sampai Maret" in page_text(
        client.get(f"/permintaan/{sent.id}/penawaran")
    )


def test_the_buyer_accepts_part_and_all_and_the_request_is_awarded(
    app, sent, shoemakers, client, buyer_org
):
    for key, quantity in (("kota", "300"), ("kabupaten", "250")):
        owner, ikm, _ = shoemakers[key]
        login(client, owner)
        client.post(
            f"/permintaan/peluang/{ikm.id}/{sent.id}",
            data=_quote_form(**{"quote-quantity": quantity}),
        )
        client.post("/akun/keluar")
    login(client, buyer_org[1])
    page = page_text(client.get(f"/permintaan/{sent.id}/penawaran"))
    assert "Sepatu Kota Mojokerto" in page and "Sepatu Sooko" in page
    kota_quote, sooko_quote = sorted(_get(app, Quote), key=lambda q: -q.quantity)
    client.post(f"/permintaan/penawaran/{kota_quote.id}/terima", data={"quantity": ""})
    assert _get(app, BuyerRequest)[0].state == "open"
    # 250 quoted, 200 still open: accepting 250 is refused, 200 is taken.
    client.post(f"/permintaan/penawaran/{sooko_quote.id}/terima", data={"quantity": "250"})
    assert _get(app, Quote, id=sooko_quote.id)[0].state == "submitted"
    client.post(f"/permintaan/penawaran/{sooko_quote.id}/terima", data={"quantity": "200"})
    assert {q.accepted_quantity for q in _get(app, Quote)} == {300, 200}
    assert _get(app, BuyerRequest)[0].state == "awarded"


def test_the_trade_office_sees_what_matching_brought_about(
    app, sent, shoemakers, client, buyer_org, matching, admin
):
    for key, quantity, price in (("kota", "300", "250.000.000"), ("kabupaten", "200", "240.000")):
        owner, ikm, _ = shoemakers[key]
        login(client, owner)
        client.post(
            f"/permintaan/peluang/{ikm.id}/{sent.id}",
            data=_quote_form(**{"quote-quantity": quantity, "quote-unit_price": price}),
        )
        client.post("/akun/keluar")
    matching.request(buyer_org[0], buyer_org[1], title="Sandal hotel")  # a draft
    login(client, buyer_org[1])
    kota_quote = max(_get(app, Quote), key=lambda q: q.quantity)
    client.post(f"/permintaan/penawaran/{kota_quote.id}/terima", data={"quantity": "120"})
    client.post("/akun/keluar")
    login(client, admin)
    page = page_text(client.get("/permintaan/semua"))
    assert "Permintaan 1 Draf, 1 Terbuka untuk penawaran" in page
    assert "Penawaran masuk 2 (1 diterima)" in page
    # 120 x Rp250.000.000: past a 32-bit integer, which PostgreSQL would refuse to multiply
    assert "Nilai jumlah yang diterima Rp30.000.000.000" in page


def test_nobody_else_sees_opportunities_or_quotes(app, sent, shoemakers, client, make):
    owner, kota, _ = shoemakers["kota"]
    _, bali, _ = shoemakers["bali"]
    login(client, owner)
    client.post(f"/permintaan/peluang/{kota.id}/{sent.id}", data=_quote_form())
    (quote,) = _get(app, Quote)
    # Another IKM's page, a request not sent to this IKM, the buyer's pages: 404.
    assert client.get(f"/permintaan/peluang/{bali.id}").status_code == 404
    assert client.get(f"/permintaan/{sent.id}/penawaran").status_code == 404
    assert client.post(f"/permintaan/penawaran/{quote.id}/terima").status_code == 404
    client.post("/akun/keluar")
    bali_owner = shoemakers["bali"][0]
    login(client, bali_owner)
    assert client.get(f"/permintaan/peluang/{bali.id}/{sent.id}").status_code == 404
    client.post("/akun/keluar")
    _, other = make.buyer(company="PT Lain")
    login(client, other)
    assert client.get(f"/permintaan/{sent.id}/penawaran").status_code == 404
    assert client.post(f"/permintaan/penawaran/{quote.id}/tolak").status_code == 404
    assert _get(app, Quote)[0].state == "submitted"


def test_accepted_quantities_commit_capacity_for_the_next_request(
    app, sent, shoemakers, client, buyer_org, matching
):
    from app.matching import recommend

    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    client.post(f"/permintaan/peluang/{kota.id}/{sent.id}", data=_quote_form())
    client.post("/akun/keluar")
    org, user = buyer_org
    later = matching.request(org, user, quantity=100)
    with app.test_request_context():
        before = recommend.recommend(db.session.get(BuyerRequest, later.id), clock.today())
    free_before = {r.ikm.id: r.supplier.free for r in before.recommendations}[kota.id]
    login(client, user)
    (quote,) = _get(app, Quote)
    client.post(f"/permintaan/penawaran/{quote.id}/terima", data={"quantity": ""})
    with app.test_request_context():
        after = recommend.recommend(db.session.get(BuyerRequest, later.id), clock.today())
    free_after = {r.ikm.id: r.supplier.free for r in after.recommendations}[kota.id]
    assert free_after < free_before


def test_an_open_request_is_found_by_ikms_that_make_its_category(
    app, client, buyer_org, matching, shoemakers, frozen_clock
):
    from app.catalog.models import Category

    with app.app_context():
        category = db.session.scalar(db.select(Category.id).filter_by(slug="sepatu-wanita"))
    org, user = buyer_org
    found = matching.request(org, user, state="open", visibility="open", category_id=category)
    hidden = matching.request(org, user, state="open", title="Tertutup")
    owner, bali, _ = shoemakers["bali"]
    login(client, owner)
    page = page_text(client.get(f"/permintaan/peluang/{bali.id}"))
    assert "Sepatu pantofel wanita kulit" in page and "Tertutup" not in page
    assert client.get(f"/permintaan/peluang/{bali.id}/{found.id}").status_code == 200
    assert client.get(f"/permintaan/peluang/{bali.id}/{hidden.id}").status_code == 404


def test_the_opportunity_and_quote_lists_are_flat(
    app, client, buyer_org, matching, shoemakers, sql_statements, make, catalog
):
    org, user = buyer_org
    owner, kota, _ = shoemakers["kota"]

    def add_requests(n):
        with app.app_context():
            for _ in range(n):
                found = matching.request(org, user, state="open")
                db.session.add(Recipient(request_id=found.id, ikm_id=kota.id, sent_at=clock.now()))
            db.session.commit()

    login(client, owner)
    assert_list_page_is_flat(client, sql_statements, f"/permintaan/peluang/{kota.id}", add_requests)
    client.post("/akun/keluar")
    target = matching.request(org, user, state="open", quantity=10_000)

    def add_quotes(n):
        with app.app_context():
            for _ in range(n):
                _, ikm = make.ikm_owner()
                db.session.add(
                    Quote(
                        request_id=target.id,
                        ikm_id=ikm.id,
                        unit_price=200_000,
                        quantity=100,
                        delivery_on=clock.today() + timedelta(days=60),
                    )
                )
                db.session.add(Recipient(request_id=target.id, ikm_id=ikm.id, sent_at=clock.now()))
            db.session.commit()

    login(client, user)
    assert_list_page_is_flat(
        client, sql_statements, f"/permintaan/{target.id}/penawaran", add_quotes, few=2, many=8
    )


def test_the_ikm_never_sees_the_target_price(app, client, buyer_org, matching, shoemakers):
    org, user = buyer_org
    found = matching.request(org, user, state="open", target_unit_price=187_500)
    _, kota, _ = shoemakers["kota"]
    login(client, user)
    client.post(f"/permintaan/{found.id}/kirim", data={"ikm": [str(kota.id)]})
    client.post("/akun/keluar")
    login(client, shoemakers["kota"][0])
    page = page_text(client.get(f"/permintaan/peluang/{kota.id}/{found.id}"))
    assert "Sepatu pantofel" in page and "187.500" not in page


def test_sending_refuses_unverified_ikms_and_drafts(app, client, buyer_org, matching, shoemakers):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    draft = matching.request(org, user)
    pending = shoemakers["pending"][1]
    kota = shoemakers["kota"][1]
    login(client, user)
    client.post(f"/permintaan/{found.id}/kirim", data={"ikm": [str(pending.id)]})
    client.post(f"/permintaan/{draft.id}/kirim", data={"ikm": [str(kota.id)]})
    client.post(f"/permintaan/{found.id}/kirim", data={"ikm": ["x1"]})
    client.post(f"/permintaan/{found.id}/kirim", data={"ikm": [f"{kota.id}:999999"]})
    assert _get(app, Recipient) == []


def test_administrators_see_every_request_read_only(app, client, buyer_org, matching, admin):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    login(client, admin)
    assert "Sepatu pantofel" in page_text(client.get("/permintaan/semua"))
    assert client.get(f"/permintaan/{found.id}/penawaran").status_code == 200
    assert client.post(f"/permintaan/{found.id}/kirim", data={"ikm": ["1"]}).status_code == 404
    client.post("/akun/keluar")
    login(client, user)
    assert client.get("/permintaan/semua").status_code == 404


def test_the_dashboard_says_what_to_do_next(app, sent, shoemakers, client, buyer_org):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    home = page_text(client.get("/dasbor"))
    assert "Peluang" in home and "1 permintaan menunggu penawaran Anda" in home
    client.post(f"/permintaan/peluang/{kota.id}/{sent.id}", data=_quote_form())
    home = page_text(client.get("/dasbor"))
    assert "menunggu penawaran Anda" not in home  # answered
    assert "1 penawaran menunggu keputusan pembeli" in home
    client.post("/akun/keluar")
    login(client, buyer_org[1])
    assert "1 penawaran baru" in page_text(client.get("/dasbor"))
    [quote] = _get(app, Quote)
    client.post(f"/permintaan/penawaran/{quote.id}/tolak")
    client.post("/akun/keluar")
    login(client, owner)
    assert "menunggu keputusan pembeli" not in page_text(client.get("/dasbor"))  # decided


def test_a_declined_request_no_longer_waits_on_the_dashboard(app, sent, shoemakers, client):
    owner, kota, _ = shoemakers["kota"]
    login(client, owner)
    assert "1 permintaan menunggu" in page_text(client.get("/dasbor"))
    response = client.post(
        f"/permintaan/peluang/{kota.id}/{sent.id}/tolak", data={"decline-reason": "Kapasitas penuh"}
    )
    assert response.status_code == 302
    assert "menunggu penawaran Anda" not in page_text(client.get("/dasbor"))


def test_an_unverified_ikm_has_no_opportunities(app, client, buyer_org, matching, shoemakers):
    org, user = buyer_org
    matching.request(org, user, state="open", visibility="open")
    owner, pending, _ = shoemakers["pending"]
    login(client, owner)
    page = page_text(client.get(f"/permintaan/peluang/{pending.id}"))
    assert "Belum ada permintaan pembeli untuk Anda" in page
