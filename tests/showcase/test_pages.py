"""The public catalogue: what anyone sees without logging in."""

from datetime import date

import pytest

from app.catalog.models import Product
from app.core import clock
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import ListingFactory


@pytest.fixture
def shelf(app):
    listing = ListingFactory(app)
    product = listing.listed(
        name="Sepatu Pantofel Kulit", description="Kulit sapi <script>alert(1)</script> Magetan."
    )
    return listing, product


def test_home_shows_newly_curated_products_categories_and_partners(client, shelf):
    listing, product = shelf
    text = page_text(client.get("/"))
    assert product.name in text and "Alas kaki" in text and listing.partner.name in text


def test_the_catalogue_searches_and_filters(client, shelf):
    _, product = shelf
    text = page_text(client.get("/katalog?q=sepatunya"))
    assert product.name in text and "1 produk" in text
    assert "<mark>" in client.get("/katalog?q=kulit").get_data(as_text=True)
    assert "Belum ada produk terkurasi yang cocok" in page_text(client.get("/katalog?q=kopi"))


@pytest.mark.parametrize(
    "query",
    [
        "?sort=__class__",
        "?page=-1",
        "?page=1000000000",
        "?q=a&q=b&sort=x&sort=y",
        "?q=" + "x" * 5000,
        "?category=abc",
        "?min_price=-1&max_price=abc",
        "?region=%00",
        "?q=%22%3E%3Cscript%3E",
        "?q=*:*",
        "?q=sepa*",
        "?q=~~~~~~~~",
        "?certification=../../etc",
        "?min_order=" + "9" * 50,
    ],
)
def test_odd_query_strings_never_break_the_catalogue(client, shelf, query):
    response = client.get("/katalog" + query)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("</header>", 1)[1]


def test_the_product_page_shows_badges_and_a_whatsapp_link(client, shelf):
    listing, product = shelf
    body = client.get(f"/produk/{product.id}").get_data(as_text=True)
    assert f"Dikurasi oleh {listing.partner.name}" in body
    assert "https://wa.me/6281234567890?text=Halo%20" in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body


def test_unlisted_products_and_unverified_ikms_are_not_public(app, client, shelf, curation, make):
    _, product = shelf
    _, unlisted = curation.product(name="Belum dikurasi")
    _, pending_ikm = make.ikm_owner(status="pending")
    assert client.get(f"/produk/{unlisted.id}").status_code == 404
    assert client.get(f"/ikm/{pending_ikm.id}").status_code == 404
    assert client.get(f"/ikm/{product.ikm_id}").status_code == 200
    assert product.name in page_text(client.get(f"/ikm/{product.ikm_id}"))


def test_the_partner_page_lists_its_rounds_and_accepted_products(client, shelf):
    listing, product = shelf
    text = page_text(client.get(f"/mitra/{listing.partner.id}"))
    assert listing.round.title in text and product.name in text


def test_inactive_partners_have_no_public_page(app, client, shelf):
    listing, _ = shelf
    from app.orgs.models import Partner

    with app.app_context():
        db.session.get(Partner, listing.partner.id).is_active = False
        db.session.commit()
    assert client.get(f"/mitra/{listing.partner.id}").status_code == 404


def test_anonymous_pages_are_cacheable_and_personal_ones_are_not(client, shelf, make):
    _, product = shelf
    for path in ("/", "/katalog?q=sepatu", f"/produk/{product.id}"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "public, max-age=60", path
        assert response.headers["ETag"] and "Set-Cookie" not in response.headers
        assert (
            client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
        )
    login(client, make.user())
    assert client.get(f"/produk/{product.id}").headers["Cache-Control"] == "private, no-store"


def test_visitors_switch_language_with_a_link(client, shelf):
    response = client.get("/bahasa/en?next=/katalog")
    assert response.headers["Location"] == "/katalog"
    assert "Curated products" in page_text(client.get("/katalog"))
    assert client.get("/bahasa/en?next=https://evil.example").headers["Location"] == "/"


def test_an_archived_product_leaves_the_catalogue_at_once(app, client, shelf):
    _, product = shelf
    with app.app_context():
        owner = db.session.get(Product, product.id).ikm.memberships[0].user
        email = owner.email
    login(client, type("U", (), {"email": email}))
    client.post(f"/kelola/produk/{product.id}/arsip")
    client.post("/akun/keluar")
    assert client.get(f"/produk/{product.id}").status_code == 404
    assert product.name not in page_text(client.get("/katalog?q=sepatu"))


def test_active_filters_show_as_chips_each_removable_including_the_price(client, shelf):
    _, product = shelf
    body = client.get(
        f"/katalog?q=sepatu&category={product.category_id}&min_price=100000&max_price=249999"
    ).get_data(as_text=True)
    chips = body.split('class="chips active-filters"')[1].split("</ul>")[0]
    assert "Rp100.000–Rp249.999 ✕" in chips and "Sepatu wanita ✕" in chips
    # Removing the price keeps the search and the category.
    assert (
        f'href="/katalog?q=sepatu&amp;category={product.category_id}" '
        'aria-label="Hapus filter Rp100.000–Rp249.999"' in chips
    )
    only_low = page_text(client.get("/katalog?max_price=300000"))
    assert "sampai Rp300.000 ✕" in only_low


def test_control_characters_never_reach_the_page(client, shelf):
    body = client.get("/katalog?q=sepatu%00%1b").get_data(as_text=True)
    assert "\x00" not in body and "\x1b" not in body
    assert "Sepatu Pantofel Kulit" in page_text(client.get("/katalog?q=sepatu%00%1b"))


def test_a_price_range_upside_down_is_explained(client, shelf):
    text = page_text(client.get("/katalog?min_price=500000&max_price=100000"))
    assert "Harga tertinggi di bawah harga terendah" in text


def test_a_bad_parameter_is_named_in_the_notice(client, shelf):
    text = page_text(client.get("/katalog?page=abc&min_price=-5"))
    assert "Halaman:" in text and "Harga terendah:" in text
    assert "Parameter tersebut diabaikan." in text


def test_the_ikm_page_offers_whatsapp_and_email_with_a_message(client, shelf):
    _, product = shelf
    body = client.get(f"/ikm/{product.ikm_id}").get_data(as_text=True)
    assert "https://wa.me/6281234567890?text=Halo%20" in body
    assert "mailto:" in body and "Jumlah%3A" in body


def test_the_partner_page_says_where_each_round_stands(app, client, shelf):
    listing, _ = shelf
    from app.curation.models import Round

    text = page_text(client.get(f"/mitra/{listing.partner.id}"))
    assert f"{listing.round.title} Menerima pengajuan" in text
    with app.app_context():
        db.session.get(Round, listing.round.id).closed_at = clock.now()
        db.session.commit()
    text = page_text(client.get(f"/mitra/{listing.partner.id}"))
    assert f"{listing.round.title} Ditutup" in text


def test_an_other_certificate_shows_its_own_title(app, client, shelf):
    _, product = shelf
    from app.catalog.models import Certificate
    from tests.factories import CatalogFactory

    with app.app_context():
        ikm = db.session.get(Product, product.id).ikm
    CatalogFactory(app).certificate(
        ikm, kind="other", number="BM-0412/2023", title="Batikmark", products=[product]
    )
    with app.app_context():
        certificate = db.session.scalar(db.select(Certificate).filter_by(type="other"))
        certificate.status = "verified"
        db.session.commit()
    assert "Batikmark · terverifikasi" in page_text(client.get(f"/produk/{product.id}"))


def test_units_read_naturally_in_english(client, shelf):
    _, product = shelf
    client.get("/bahasa/en?next=/")
    text = page_text(client.get(f"/produk/{product.id}"))
    assert "pair" in text and "pasang" not in text


def test_buyers_see_verified_certificates_with_their_end_date_and_never_refused_ones(
    app, client, shelf
):
    _, product = shelf
    from app.catalog.models import Certificate
    from tests.factories import CatalogFactory

    with app.app_context():
        ikm = db.session.get(Product, product.id).ikm
    ends_on = date(clock.today().year + 3, 1, 31)
    factory = CatalogFactory(app)
    factory.certificate(ikm, kind="sni", number="SNI 0778:2009", products=[product])
    factory.certificate(ikm, kind="hki", number="IDM000123456", products=[product])
    with app.app_context():
        sni = db.session.scalar(db.select(Certificate).filter_by(type="sni"))
        sni.status, sni.valid_until = "verified", ends_on
        db.session.scalar(db.select(Certificate).filter_by(type="hki")).status = "rejected"
        db.session.commit()
    text = page_text(client.get(f"/produk/{product.id}"))
    assert f"SNI · terverifikasi berlaku s.d. 31 Jan {ends_on.year}" in text
    assert "Merek" not in text and "belum terverifikasi" not in text
