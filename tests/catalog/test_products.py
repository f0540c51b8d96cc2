import pytest

from app.catalog.models import Category, PriceTier, Product
from app.core import clock
from app.extensions import db
from tests.conftest import login, page_text


def category_id(app, slug="sepatu-wanita"):
    with app.app_context():
        return db.session.scalar(db.select(Category.id).filter_by(slug=slug))


def product_form(app, **overrides):
    data = {
        "name": "Sepatu Pantofel Wanita Kulit Sapi",
        "category_id": str(category_id(app)),
        "description": "Pantofel kulit sapi samak Magetan, dijahit tangan di Mojokerto. Sol karet anti-slip.",
        "materials": "Kulit sapi, sol karet",
        "attributes-0-label": "Ukuran",
        "attributes-0-value": "36–41",
        "attributes-1-label": "Warna",
        "attributes-1-value": "Hitam",
        "origin_province": "",
        "origin_regency_code": "",
        "retail_price": "Rp285.000",
        "unit": "pasang",
        "min_order_qty": "12",
        "price_tiers-0-min_qty": "60",
        "price_tiers-0-unit_price": "255.000",
        "price_tiers-1-min_qty": "120",
        "price_tiers-1-unit_price": "235000",
        "capacity_monthly": "600",
        "lead_time_days": "21",
        "weight_grams": "650",
        "length_cm": "30",
        "width_cm": "20",
        "height_cm": "11",
        "hs_code": "6403.59",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_ikm(make, client):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    return owner, ikm


def test_an_ikm_member_adds_a_product(app, client, owner_ikm):
    _, ikm = owner_ikm
    response = client.post(f"/kelola/ikm/{ikm.id}/produk/baru", data=product_form(app))
    assert response.status_code == 302 and "/foto" in response.headers["Location"]
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert product.ikm_id == ikm.id
        assert product.retail_price == 285000
        assert [(t.min_qty, t.unit_price) for t in product.price_tiers] == [
            (60, 255000),
            (120, 235000),
        ]
        assert product.attributes == [
            {"label": "Ukuran", "value": "36–41"},
            {"label": "Warna", "value": "Hitam"},
        ]
        assert product.origin_regency_code == ikm.regency_code  # defaults to the IKM's
        assert product.hs_code == "640359"
    listing = page_text(client.get(f"/kelola/ikm/{ikm.id}/produk"))
    assert "Sepatu Pantofel Wanita Kulit Sapi" in listing and "Rp285.000" in listing


def test_the_product_is_edited(app, client, owner_ikm, catalog):
    _, ikm = owner_ikm
    product = catalog.product(ikm)
    form = client.get(f"/kelola/produk/{product.id}").get_data(as_text=True)
    assert 'value="255000"' in form  # tiers come back into the form
    response = client.post(
        f"/kelola/produk/{product.id}",
        data=product_form(
            app,
            name="Pantofel Baru",
            retail_price="300000",
            **{
                "price_tiers-0-min_qty": "",
                "price_tiers-0-unit_price": "",
                "origin_province": "35",
                "origin_regency_code": "35.16",
            },
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Product, product.id)
        assert saved.name == "Pantofel Baru" and saved.retail_price == 300000
        assert [(t.min_qty, t.unit_price) for t in saved.price_tiers] == [(120, 235000)]
        assert saved.origin_label == "Kabupaten Mojokerto, Jawa Timur"
        assert db.session.scalar(db.select(db.func.count(PriceTier.id))) == 1


def test_duplicate_archive_and_restore(app, client, owner_ikm, catalog):
    _, ikm = owner_ikm
    product = catalog.product(ikm, photos=2)
    response = client.post(f"/kelola/produk/{product.id}/salin")
    with app.app_context():
        copy = db.session.scalar(db.select(Product).where(Product.id != product.id))
        assert copy.name.startswith(product.name) and "salinan" in copy.name
        assert len(copy.photos) == 2 and len(copy.price_tiers) == 2
        assert response.headers["Location"] == f"/kelola/produk/{copy.id}"
    client.post(f"/kelola/produk/{product.id}/arsip")
    current = page_text(client.get(f"/kelola/ikm/{ikm.id}/produk"))
    archived = page_text(client.get(f"/kelola/ikm/{ikm.id}/produk?arsip=1"))
    assert current.count(product.name) == 1 and "salinan" in current  # only the copy left
    assert product.name in archived
    client.post(f"/kelola/produk/{product.id}/arsip")
    with app.app_context():
        assert db.session.get(Product, product.id).archived_at is None


def test_the_preview_shows_the_product_as_a_buyer_would(client, owner_ikm, catalog):
    _, ikm = owner_ikm
    product = catalog.product(ikm, photos=1)
    text = page_text(client.get(f"/kelola/produk/{product.id}/pratinjau"))
    assert (
        product.name in text and "Rp285.000" in text and "Harga grosir" in text and ikm.name in text
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"retail_price": "-5000"}, "antara 1"),
        ({"retail_price": "dua ratus"}, "bilangan bulat"),
        ({"unit": ""}, "Wajib diisi"),
        ({"unit": "ton"}, "Pilihan tidak valid"),
        ({"min_order_qty": "0"}, "antara 1"),
        ({"min_order_qty": ""}, "bilangan bulat"),
        ({"name": "   "}, "Wajib diisi"),
        ({"category_id": "0"}, "kategori"),
        ({"category_id": "99999"}, "Pilihan tidak valid"),
        ({"hs_code": "64"}, "HS"),
        ({"price_tiers-0-min_qty": "5"}, "pemesanan minimum"),
        ({"price_tiers-1-unit_price": "260000"}, "lebih mahal"),
        ({"price_tiers-0-unit_price": "300000"}, "harga eceran"),
        ({"price_tiers-1-min_qty": "60"}, "berbeda"),
        ({"price_tiers-0-unit_price": ""}, "keduanya"),
        ({"attributes-0-value": ""}, "keduanya"),
        ({"origin_province": "51", "origin_regency_code": "35.76"}, "provinsi yang dipilih"),
        ({"lead_time_days": "400"}, "antara 0"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(app, client, owner_ikm, overrides, message):
    _, ikm = owner_ikm
    response = client.post(f"/kelola/ikm/{ikm.id}/produk/baru", data=product_form(app, **overrides))
    assert response.status_code == 200
    assert message.lower() in page_text(response).lower(), overrides
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_ownership_cannot_be_posted(app, client, owner_ikm, make):
    _, ikm = owner_ikm
    _, other = make.ikm_owner()
    client.post(
        f"/kelola/ikm/{ikm.id}/produk/baru",
        data=product_form(
            app, ikm_id=str(other.id), archived_at=clock.today().isoformat(), id="77"
        ),
    )
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert product.ikm_id == ikm.id and product.archived_at is None and product.id != 77


def test_other_people_get_404_and_nothing_changes(app, client, make, catalog):
    _, ikm = make.ikm_owner()
    product = catalog.product(ikm)
    other_owner, _ = make.ikm_owner()
    _, buyer = make.buyer()
    curator, _ = make.partner_with("curator")
    for user in (other_owner, buyer, curator, make.admin()):
        login(client, user)
        for path in (
            f"/kelola/ikm/{ikm.id}/produk",
            f"/kelola/ikm/{ikm.id}/produk/baru",
            f"/kelola/produk/{product.id}",
            f"/kelola/produk/{product.id}/foto",
            f"/kelola/produk/{product.id}/pratinjau",
        ):
            assert client.get(path).status_code == 404, (user.email, path)
        for path in (
            f"/kelola/produk/{product.id}",
            f"/kelola/produk/{product.id}/salin",
            f"/kelola/produk/{product.id}/arsip",
            f"/kelola/ikm/{ikm.id}/produk/baru",
        ):
            assert client.post(path, data=product_form(app, name="Dibajak")).status_code == 404
        client.post("/akun/keluar")
    with app.app_context():
        assert [p.name for p in db.session.scalars(db.select(Product))] == [product.name]
        assert db.session.get(Product, product.id).archived_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, make, catalog):
    _, ikm = make.ikm_owner()
    product = catalog.product(ikm)
    response = client.get(f"/kelola/produk/{product.id}")
    assert response.status_code == 302 and "/akun/masuk" in response.headers["Location"]


def test_staff_manage_products_too(app, client, make):
    _, ikm = make.ikm_owner()
    staff = make.member(ikm, "staff")
    login(client, staff)
    assert (
        client.post(f"/kelola/ikm/{ikm.id}/produk/baru", data=product_form(app)).status_code == 302
    )


def test_only_the_ikms_own_certificates_can_be_attached(app, client, owner_ikm, make, catalog):
    _, ikm = owner_ikm
    _, other = make.ikm_owner()
    mine = catalog.certificate(ikm)
    theirs = catalog.certificate(other, number="ID35110000999990122")
    data = product_form(app)
    data["certificate_ids"] = [str(mine.id), str(theirs.id)]
    response = client.post(f"/kelola/ikm/{ikm.id}/produk/baru", data=data)
    # A foreign id is not even a choice: the form refuses it and nothing is saved.
    assert response.status_code == 200
    data["certificate_ids"] = [str(mine.id)]
    client.post(f"/kelola/ikm/{ikm.id}/produk/baru", data=data)
    with app.app_context():
        product = db.session.scalar(db.select(Product))
        assert [c.id for c in product.certificates] == [mine.id]
