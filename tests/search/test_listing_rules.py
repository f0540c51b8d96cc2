"""Only listed products are found, and a change to one reaches the index through the outbox."""

from app.catalog.models import Product
from app.curation.models import Submission
from app.extensions import db
from app.search import check
from tests.conftest import login
from tests.search.conftest import names


def test_a_listed_product_is_found_and_others_are_not(app, listing, curation):
    listing.listed(name="Sepatu Tercantum")
    _owner, not_submitted = curation.product(name="Sepatu Belum Dikurasi")
    staged = listing.curation.submission(
        listing.round, *curation.product(name="Sepatu Masih Ditinjau")
    )
    listing.reindex(not_submitted.id, staged.product_id)
    assert names(app, q="sepatu") == ["Sepatu Tercantum"]


def test_rejection_archive_unverified_ikm_and_inactive_partner_all_unlist(
    app, listing, client, make
):
    products = {
        reason: listing.listed(name=f"Sepatu {reason}")
        for reason in ("rejected", "archived", "unverified", "partner", "kept")
    }
    with app.app_context():
        submission = db.session.scalar(
            db.select(Submission).filter_by(product_id=products["rejected"].id)
        )
        submission.state = "rejected"
        from app.catalog import services as catalog_services

        catalog_services.archive_product(db.session.get(Product, products["archived"].id), by=None)
        db.session.commit()
    listing.reindex(products["rejected"].id)
    # Through the site, as people do it: the office asks an IKM for changes, an admin deactivates a partner.
    admin = make.admin()
    login(client, admin)
    with app.app_context():
        ikm_id = db.session.get(Product, products["unverified"].id).ikm_id
    client.post(f"/admin/ikm/{ikm_id}/tolak", data={"reason": "NIB tidak cocok"})
    assert names(app, q="sepatu") == ["Sepatu partner", "Sepatu kept"] or set(
        names(app, q="sepatu")
    ) == {"Sepatu partner", "Sepatu kept"}
    client.post(f"/admin/mitra/{listing.partner.id}/aktif")
    assert names(app, q="sepatu") == []
    client.post(f"/admin/mitra/{listing.partner.id}/aktif")
    assert set(names(app, q="sepatu")) == {"Sepatu partner", "Sepatu kept"}
    with app.app_context():
        assert check() == {"missing": [], "extra": [], "stale": []}


def test_an_edit_is_searchable_after_the_request(app, client, listing):
    product = listing.listed(name="Sepatu Lama")
    with app.app_context():
        owner = db.session.get(Product, product.id).ikm.memberships[0].user
        owner_email = owner.email
    login(client, type("U", (), {"email": owner_email}))
    form = client.get(f"/kelola/produk/{product.id}")
    assert form.status_code == 200
    from tests.catalog.test_products import product_form

    with app.app_context():
        category = db.session.get(Product, product.id).category_id
    client.post(
        f"/kelola/produk/{product.id}",
        data=product_form(app, name="Sepatu Baru Mengilap", category_id=str(category)),
    )
    assert names(app, q="mengilap") == ["Sepatu Baru Mengilap"]
    assert names(app, q="lama") == []


def test_an_expired_certificate_loses_its_badge_after_the_daily_run(
    app, frozen_clock, listing, catalog
):
    # The clock is frozen before the listing's round is made, so that the round is open.
    from datetime import timedelta

    from tests.search.conftest import search

    product = listing.listed(name="Sepatu Bersertifikat")
    with app.app_context():
        ikm = db.session.get(Product, product.id).ikm
    catalog.certificate(
        ikm,
        kind="sni",
        number="LSPRO-01/2024",
        status="verified",
        products=[product],
        valid_until=frozen_clock.current.date() + timedelta(days=1),
    )
    listing.reindex(product.id)
    assert search(app, certification="sni").total == 1
    frozen_clock.set(frozen_clock.current + timedelta(days=3))
    result = app.test_cli_runner().invoke(args=["certs", "remind"])
    assert "1 newly expired" in result.output
    assert search(app, certification="sni").total == 0


def test_facet_counts_equal_database_counts(app, listing):
    for i in range(3):
        listing.listed(name=f"Sepatu {i}", regency="35.76")
    listing.listed(
        category="keripik", name="Keripik", regency="35.16", retail_price=20000, price_tiers=[]
    )
    listing.listed(category="sandal", name="Sandal", regency="35.16")
    from tests.search.conftest import search

    facets = search(app).facets
    with app.app_context():
        listed = db.session.scalars(db.select(Product)).all()
        by_region = {}
        by_category = {}
        for product in listed:
            by_region[product.origin_regency_code] = (
                by_region.get(product.origin_regency_code, 0) + 1
            )
            by_category[str(product.category_id)] = by_category.get(str(product.category_id), 0) + 1
    assert dict(facets["region"]) == by_region
    assert dict(facets["category"]) == by_category
    assert dict(facets["partner"]) == {str(listing.partner.id): 5}
    assert sum(count for _, count in facets["price"]) == 5
    from app.search.facets import ORDER_KEYS, PRICE_KEYS

    # Ranges read cheapest first, whatever their counts; the others most common first.
    assert [key for key, _ in facets["price"]] == [
        k for k in PRICE_KEYS if k in dict(facets["price"])
    ]
    assert [key for key, _ in facets["min_order"]] == [
        k for k in ORDER_KEYS if k in dict(facets["min_order"])
    ]
    assert [count for _, count in facets["region"]] == sorted(
        (count for _, count in facets["region"]), reverse=True
    )


def test_each_facet_count_is_what_choosing_that_value_shows(app, listing):
    """With a region and a price range chosen, every other region and range still counts what
    switching to it would find (not the empty overlap of two regions)."""
    for name, regency, price, category in (
        ("Sepatu Murah", "35.16", 40000, "sepatu-wanita"),
        ("Sepatu Sedang", "35.16", 150000, "sepatu-wanita"),
        ("Keripik Tempe", "35.16", 20000, "keripik"),
        ("Sepatu Kota", "35.76", 45000, "sepatu-wanita"),
        ("Sepatu Mahal", "35.76", 600000, "sepatu-wanita"),
    ):
        listing.listed(
            name=name, category=category, regency=regency, retail_price=price, price_tiers=[]
        )
    from app.search.facets import PRICE_BUCKETS
    from tests.search.conftest import search

    chosen = {"region": "35.16", "min_price": 0, "max_price": 49_999}
    result = search(app, **chosen)
    assert result.total == 2
    facets = result.facets
    assert dict(facets["region"]) == {"35.16": 2, "35.76": 1}
    for region, count in facets["region"]:
        assert search(app, **{**chosen, "region": region}).total == count
    assert dict(facets["price"]) == {"0-49999": 2, "100000-249999": 1}
    for key, low, high in PRICE_BUCKETS:
        expected = dict(facets["price"]).get(key, 0)
        found = search(app, region="35.16", min_price=low, max_price=high).total
        assert found == expected, key
    for category, count in facets["category"]:  # drilling down stays within the choice
        assert search(app, **chosen, category=int(category)).total == count
    assert sum(count for _, count in facets["category"]) == result.total


def test_filters_and_sorting(app, listing):
    listing.listed(name="Sepatu Murah", retail_price=100000, price_tiers=[], regency="35.76")
    listing.listed(name="Sepatu Sedang", retail_price=200000, price_tiers=[], regency="35.16")
    listing.listed(name="Sepatu Mahal", retail_price=900000, price_tiers=[], regency="35.16")
    assert names(app, q="sepatu", sort="price_asc") == [
        "Sepatu Murah",
        "Sepatu Sedang",
        "Sepatu Mahal",
    ]
    assert names(app, q="sepatu", sort="price_desc")[0] == "Sepatu Mahal"
    assert names(app, q="sepatu", sort="newest")[0] == "Sepatu Mahal"
    assert names(app, region="35.16", min_price=150000, max_price=500000) == ["Sepatu Sedang"]
    assert names(app, partner=listing.partner.id, min_order="2-12") == names(app, min_order="2-12")


def test_pages_of_24(app, listing):
    from tests.search.conftest import search

    for i in range(26):
        listing.listed(name=f"Sepatu Nomor {i}")
    first, second = search(app, q="sepatu", page=1), search(app, q="sepatu", page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (26, 2, 24, 2)
    assert search(app, q="sepatu", page=99).page == 2
