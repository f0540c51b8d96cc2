"""The buyer's shortlist: saving products and IKMs from the catalogue, the shortlist page, and
sending a request to IKMs of the shortlist."""

from __future__ import annotations

import pytest

from app.core import clock
from app.extensions import db
from app.matching.models import Recipient, SavedIKM, SavedProduct
from app.orgs.models import IKM
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.factories import ListingFactory


@pytest.fixture
def listing(app, categories):
    return ListingFactory(app)


@pytest.fixture
def shoes(listing, shoemakers):
    """A listed pair of shoes from the Kota maker."""
    return listing.listed(ikm=shoemakers["kota"][1], name="Pantofel Kulit Mojokerto")


def _rows(app, model, **filters):
    with app.app_context():
        return db.session.scalars(db.select(model).filter_by(**filters)).all()


def _save_product(client, product_id, **data):
    return client.post(
        f"/permintaan/simpanan/produk/{product_id}", data=data, follow_redirects=True
    )


def _save_ikm(client, ikm_id, **data):
    return client.post(f"/permintaan/simpanan/ikm/{ikm_id}", data=data, follow_redirects=True)


# -- saving -----------------------------------------------------------------------------------


def test_a_buyer_saves_a_product_from_its_page_and_sees_it_saved(
    app, client, buyer_org, shoes, listing
):
    org, user = buyer_org
    login(client, user)
    page = page_text(client.get(f"/produk/{shoes.id}"))
    assert "☆ Simpan" in page and "Tersimpan" not in page
    response = _save_product(client, shoes.id, next=f"/produk/{shoes.id}")
    assert response.request.path == f"/produk/{shoes.id}"
    page = page_text(response)
    assert "Disimpan ke daftar simpanan Anda." in page and "★ Tersimpan" in page
    (saved,) = _rows(app, SavedProduct)
    assert (saved.buyer_org_id, saved.product_id) == (org.id, shoes.id)
    # The catalogue's cards show it saved too; saving again keeps one entry.
    assert "★ Tersimpan" in page_text(client.get("/katalog"))
    _save_product(client, shoes.id)
    assert len(_rows(app, SavedProduct)) == 1


def test_a_buyer_saves_an_ikm_and_the_shortlist_shows_both(
    app, client, buyer_org, shoes, shoemakers
):
    _org, user = buyer_org
    sooko = shoemakers["kabupaten"][1]
    login(client, user)
    assert "☆ Simpan" in page_text(client.get(f"/ikm/{sooko.id}"))
    page = page_text(_save_ikm(client, sooko.id, next=f"/ikm/{sooko.id}"))
    assert "★ Tersimpan" in page
    _save_product(client, shoes.id)
    page = page_text(client.get("/permintaan/simpanan"))
    assert "Sepatu Sooko" in page and "Pantofel Kulit Mojokerto" in page
    assert "Daftar simpanan saya" in page  # in the navigation as well as the title


def test_removing_takes_it_off_the_shortlist(app, client, buyer_org, shoes, shoemakers):
    _org, user = buyer_org
    sooko = shoemakers["kabupaten"][1]
    login(client, user)
    _save_product(client, shoes.id)
    _save_ikm(client, sooko.id)
    client.post(f"/permintaan/simpanan/produk/{shoes.id}/hapus")
    page = page_text(
        client.post(f"/permintaan/simpanan/ikm/{sooko.id}/hapus", follow_redirects=True)
    )
    assert "Dihapus dari daftar simpanan Anda." in page
    assert "Belum ada IKM yang disimpan." in page and "Belum ada produk yang disimpan." in page
    assert _rows(app, SavedProduct) == [] and _rows(app, SavedIKM) == []


def test_a_partner_that_orders_keeps_a_shortlist_too(app, client, make, shoes):
    user, partner = make.partner_with("partner_admin")
    login(client, user)
    assert "☆ Simpan" in page_text(client.get(f"/produk/{shoes.id}"))
    _save_product(client, shoes.id)
    assert [s.buyer_org_id for s in _rows(app, SavedProduct)] == [partner.id]


# -- who may ----------------------------------------------------------------------------------


def test_visitors_see_no_button_and_are_sent_to_log_in(app, client, shoes):
    assert "Simpan" not in page_text(client.get(f"/produk/{shoes.id}"))
    response = client.post(f"/permintaan/simpanan/produk/{shoes.id}")
    assert response.status_code == 302 and "/akun/masuk" in response.location
    assert client.get("/permintaan/simpanan").status_code == 302
    assert _rows(app, SavedProduct) == []


def test_an_ikm_owner_has_no_shortlist(app, client, shoemakers, shoes):
    owner = shoemakers["kabupaten"][0]
    login(client, owner)
    assert "☆ Simpan" not in page_text(client.get(f"/produk/{shoes.id}"))
    assert client.post(f"/permintaan/simpanan/produk/{shoes.id}").status_code == 404
    assert client.get("/permintaan/simpanan").status_code == 404
    assert _rows(app, SavedProduct) == []


def test_another_buyer_neither_sees_nor_changes_the_shortlist(app, client, make, buyer_org, shoes):
    org, user = buyer_org
    login(client, user)
    _save_product(client, shoes.id)
    client.post("/akun/keluar")
    _other_org, other = make.buyer(company="PT Lain")
    login(client, other)
    # Naming the first buyer's organisation shows (and changes) the other's own list.
    page = page_text(client.get(f"/permintaan/simpanan?org={org.id}"))
    assert "PT Lain" in page and "Pantofel Kulit Mojokerto" not in page
    client.post(f"/permintaan/simpanan/produk/{shoes.id}/hapus", data={"org": str(org.id)})
    assert [s.buyer_org_id for s in _rows(app, SavedProduct)] == [org.id]


def test_saving_without_the_form_token_keeps_nothing(app, client, buyer_org, shoes):
    login(client, buyer_org[1])
    response = client.post(f"/permintaan/simpanan/produk/{shoes.id}", csrf=False)
    assert response.status_code in (302, 400)
    assert _rows(app, SavedProduct) == []


# -- bad input --------------------------------------------------------------------------------


def test_a_product_that_is_not_listed_is_refused(app, client, buyer_org, catalog, shoemakers):
    unlisted = catalog.product(shoemakers["kota"][1], name="Belum dikurasi")
    login(client, buyer_org[1])
    page = page_text(_save_product(client, unlisted.id))
    assert "Produk ini tidak ada di katalog." in page
    page = page_text(_save_product(client, 987654))
    assert "Produk ini tidak ada di katalog." in page
    assert _rows(app, SavedProduct) == []


def test_an_ikm_that_does_not_exist_or_is_unverified_is_refused(app, client, buyer_org, shoemakers):
    login(client, buyer_org[1])
    for ikm_id in (987654, shoemakers["pending"][1].id):
        page = page_text(_save_ikm(client, ikm_id))
        assert "IKM ini tidak ada di katalog." in page
    assert _rows(app, SavedIKM) == []


def test_odd_ids_and_pages_never_break(client, buyer_org):
    login(client, buyer_org[1])
    for path in ("/permintaan/simpanan/produk/abc", "/permintaan/simpanan/ikm/0x1"):
        assert client.post(path).status_code == 404
    assert client.get("/permintaan/simpanan?org=abc").status_code == 200
    assert_pages_are_safe(client, "/permintaan/simpanan")
    assert_pages_are_safe(client, "/permintaan/simpanan", arg="produk")


# -- sending a request from the shortlist ----------------------------------------------------


@pytest.fixture
def saved(client, buyer_org, shoes, shoemakers):
    """The Kota maker saved through its shoes, the Sooko maker saved itself."""
    login(client, buyer_org[1])
    _save_product(client, shoes.id)
    _save_ikm(client, shoemakers["kabupaten"][1].id)
    return shoes


def test_a_request_is_sent_to_ikms_of_the_shortlist(
    app, client, buyer_org, matching, shoemakers, saved, outbox
):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    kota, sooko = shoemakers["kota"][1], shoemakers["kabupaten"][1]
    page = page_text(client.get(f"/permintaan/{found.id}"))
    assert "Kirim ke IKM dari daftar simpanan saya" in page
    page = page_text(client.get(f"/permintaan/{found.id}/dari-simpanan"))
    assert "Sepatu Kota Mojokerto" in page and "1 produk tersimpan" in page
    assert "Sepatu Sooko" in page and "IKM disimpan" in page
    assert "Sepatu Denpasar" not in page  # not on the shortlist
    response = client.post(
        f"/permintaan/{found.id}/dari-simpanan",
        data={"ikm": [str(kota.id), str(sooko.id)]},
        follow_redirects=True,
    )
    assert response.request.path == f"/permintaan/{found.id}/penawaran"
    assert "Permintaan dikirim ke 2 IKM." in page_text(response)
    assert {r.ikm_id for r in _rows(app, Recipient)} == {kota.id, sooko.id}
    assert any("meminta penawaran" in m["Subject"] for m in outbox)
    page = page_text(client.get(f"/permintaan/{found.id}/dari-simpanan"))
    assert page.count("Sudah dikirim.") == 2


def test_an_ikm_sent_to_before_keeps_its_proposed_share(
    app, client, buyer_org, matching, shoemakers, saved
):
    org, user = buyer_org
    found = matching.request(org, user, state="open", allow_consortium=True, max_group_size=3)
    kota, sooko = shoemakers["kota"][1], shoemakers["kabupaten"][1]
    client.post(f"/permintaan/{found.id}/kirim", data={"ikm": [f"{kota.id}:300"]})
    client.post(
        f"/permintaan/{found.id}/dari-simpanan", data={"ikm": [str(kota.id), str(sooko.id)]}
    )
    shares = {r.ikm_id: r.allocated_quantity for r in _rows(app, Recipient)}
    assert shares == {kota.id: 300, sooko.id: None}
    page = page_text(
        client.post(
            f"/permintaan/{found.id}/dari-simpanan",
            data={"ikm": [str(kota.id)]},
            follow_redirects=True,
        )
    )
    assert "Permintaan ini sudah dikirim ke IKM tersebut." in page


def test_an_ikm_that_lost_its_verification_is_not_sent_to_and_the_page_says_why(
    app, client, buyer_org, matching, shoemakers, saved
):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    sooko = shoemakers["kabupaten"][1]
    with app.app_context():
        db.session.get(IKM, sooko.id).status = "pending"
        db.session.commit()
    reason = "Sepatu Sooko belum terverifikasi (Menunggu verifikasi)"
    assert reason in page_text(client.get(f"/permintaan/{found.id}/dari-simpanan"))
    response = client.post(
        f"/permintaan/{found.id}/dari-simpanan",
        data={"ikm": [str(sooko.id)]},
        follow_redirects=True,
    )
    assert response.status_code == 200 and reason in page_text(response)
    assert _rows(app, Recipient) == []


def test_an_inactive_ikm_is_not_sent_to(app, client, buyer_org, matching, shoemakers, saved):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    kota = shoemakers["kota"][1]
    with app.app_context():
        db.session.get(IKM, kota.id).is_active = False
        db.session.commit()
    page = page_text(
        client.post(
            f"/permintaan/{found.id}/dari-simpanan",
            data={"ikm": [str(kota.id)]},
            follow_redirects=True,
        )
    )
    assert "Sepatu Kota Mojokerto tidak lagi aktif di Etalase." in page
    assert _rows(app, Recipient) == []


def test_bad_choices_are_refused_with_a_message(
    app, client, buyer_org, matching, shoemakers, saved
):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    draft = matching.request(org, user)
    url = f"/permintaan/{found.id}/dari-simpanan"
    cases = [
        (url, {}, "Pilih paling sedikit satu IKM."),
        (url, {"ikm": ["x1"]}, "Pilih IKM dari daftar simpanan Anda."),
        (url, {"ikm": ["99999999999999"]}, "Pilih IKM dari daftar simpanan Anda."),
        (url, {"ikm": [str(shoemakers["bali"][1].id)]}, "Pilih IKM dari daftar simpanan Anda."),
        (
            f"/permintaan/{draft.id}/dari-simpanan",
            {"ikm": [str(shoemakers["kota"][1].id)]},
            "Permintaan ini tidak terbuka untuk penawaran.",
        ),
    ]
    for path, data, message in cases:
        response = client.post(path, data=data, follow_redirects=True)
        assert response.status_code == 200, data
        assert message in page_text(response), data
    assert _rows(app, Recipient) == []


def test_others_cannot_send_from_a_shortlist(
    app, client, make, buyer_org, matching, shoemakers, saved
):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    kota = shoemakers["kota"]
    client.post("/akun/keluar")
    for person in (make.buyer(company="PT Lain")[1], kota[0]):
        login(client, person)
        url = f"/permintaan/{found.id}/dari-simpanan"
        assert client.get(url).status_code == 404
        assert client.post(url, data={"ikm": [str(kota[1].id)]}).status_code == 404
        client.post("/akun/keluar")
    assert client.get(f"/permintaan/{found.id}/dari-simpanan").status_code == 302
    assert _rows(app, Recipient) == []


# -- pages that stay flat ---------------------------------------------------------------------


def _fill_shortlist(app, bulk, org, round_, ikm):
    """``add(n)``: n more listed products saved, and n more verified IKMs saved."""

    def add(n):
        product_ids = bulk.listed(round_, ikm, n)
        ikm_ids = bulk.ikms(n, status="verified")
        with app.app_context():
            have = set(db.session.scalars(db.select(SavedProduct.product_id)))
            db.session.add_all(
                SavedProduct(buyer_org_id=org.id, product_id=pid, saved_at=clock.now())
                for pid in product_ids
                if pid not in have
            )
            db.session.add_all(
                SavedIKM(buyer_org_id=org.id, ikm_id=iid, saved_at=clock.now()) for iid in ikm_ids
            )
            db.session.commit()

    return add


def test_the_shortlist_page_asks_the_database_as_often_for_many_entries(
    app, client, buyer_org, bulk, listing, shoemakers, sql_statements
):
    org, user = buyer_org
    login(client, user)
    add = _fill_shortlist(app, bulk, org, listing.round, shoemakers["kota"][1])
    response = assert_list_page_is_flat(client, sql_statements, "/permintaan/simpanan", add)
    assert "Produk tersimpan" in page_text(response)


def test_the_send_from_shortlist_page_asks_the_database_as_often_for_many_ikms(
    app, client, buyer_org, bulk, listing, shoemakers, matching, sql_statements
):
    org, user = buyer_org
    found = matching.request(org, user, state="open")
    login(client, user)
    add = _fill_shortlist(app, bulk, org, listing.round, shoemakers["kota"][1])
    assert_list_page_is_flat(client, sql_statements, f"/permintaan/{found.id}/dari-simpanan", add)
