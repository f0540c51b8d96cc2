"""The JSON API: answers valid against its own OpenAPI document; bad parameters get 400 per field."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.factories import ListingFactory, pirt_number


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


@pytest.fixture
def shelf(app, catalog):
    listing = ListingFactory(app)
    shoe = listing.listed(name="Sepatu Wanita Kulit", regency="35.76")
    snack = listing.listed(
        category="keripik",
        name="Keripik Tempe",
        retail_price=18000,
        price_tiers=[],
        regency="35.16",
    )
    from app.catalog.models import Product
    from app.extensions import db

    with app.app_context():
        ikm = db.session.get(Product, snack.id).ikm
    catalog.certificate(ikm, status="verified", products=[snack])
    listing.reindex(snack.id)
    return listing, shoe, snack


def validator_for(client, schema_name):
    document = client.get("/api/v1/openapi.json").json
    registry = Registry().with_resource("urn:etalase", Resource.opaque(document))
    schema = {"$ref": f"urn:etalase#/components/schemas/{schema_name}"}
    return Draft202012Validator(schema, registry=registry)


def assert_valid(client, schema_name, body):
    errors = sorted(validator_for(client, schema_name).iter_errors(body), key=str)
    assert errors == [], [e.message for e in errors]


def test_the_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/products", "/products/{id}", "/ikms/{id}"}
    names = {p["name"] for p in document["paths"]["/products"]["get"]["parameters"]}
    assert {
        "q",
        "category",
        "certification",
        "region",
        "partner",
        "min_price",
        "max_price",
        "sort",
        "page",
    } <= names


def test_search_results_are_valid_and_complete(client, shelf):
    listing, shoe, _snack = shelf
    body = client.get("/api/v1/products?q=wanita").json
    assert_valid(client, "ProductList", body)
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    [item] = body["items"]
    assert item["id"] == shoe.id and item["price"] == 285000 and item["unit"] == "pasang"
    assert item["ikm"]["region"] == {"code": "35.76", "name": "Kota Mojokerto"}
    assert item["curation_badges"] == [
        {
            "partner_id": listing.partner.id,
            "partner_name": listing.partner.name,
            "round": listing.round.title,
        }
    ]
    detail = client.get(f"/api/v1/products/{shoe.id}").json
    assert detail["curation_badges"] == item["curation_badges"]  # the list and the product agree
    assert item["url"].endswith(f"/produk/{shoe.id}") and item["image"].startswith("http")
    facets = client.get("/api/v1/products").json["facets"]
    assert {"value": "halal", "label": "Halal (BPJPH)", "count": 1} in facets["certification"]


def test_a_loosened_search_says_so_in_the_api(client, shelf):
    _listing, shoe, _snack = shelf
    # No product is both "wanita" and "tempe": the shoe, without "tempe", and said so.
    body = client.get("/api/v1/products?q=wanita+tempe").json
    assert body["loosened"] is True and [i["id"] for i in body["items"]] == [shoe.id]
    exact = client.get("/api/v1/products?q=wanita").json
    assert exact["loosened"] is False
    # Nothing is loosened into something else: a word the catalogue lacks stays asked for.
    nothing = client.get("/api/v1/products?q=wanita+luwak").json
    assert nothing["total"] == 0 and nothing["loosened"] is False


def test_filters_through_the_api(client, shelf):
    listing, shoe, snack = shelf
    assert [i["id"] for i in client.get("/api/v1/products?certification=halal").json["items"]] == [
        snack.id
    ]
    assert [i["id"] for i in client.get("/api/v1/products?region=35.76").json["items"]] == [shoe.id]
    assert client.get("/api/v1/products?max_price=20000").json["total"] == 1
    assert (
        client.get(f"/api/v1/products?partner={listing.partner.id}&sort=price_asc").json["items"][
            0
        ]["id"]
        == snack.id
    )


def test_one_product_and_one_ikm_are_valid(client, shelf):
    _, _shoe, snack = shelf
    body = client.get(f"/api/v1/products/{snack.id}").json
    assert_valid(client, "Product", body)
    assert body["certificates"][0]["state"] == "verified" and body["certifications"] == ["halal"]
    ikm = client.get(f"/api/v1/ikms/{snack.ikm_id}").json
    assert_valid(client, "IKM", ikm)
    assert [p["id"] for p in ikm["products"]] == [snack.id]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=-1", "page"),
        ("page=1000000000", "page"),
        ("sort=terbaik", "sort"),
        ("category=sepatu", "category"),
        ("min_price=-5", "min_price"),
        ("region=Mojokerto", "region"),
        ("certification=emas", "certification"),
        ("q=" + "x" * 5000, "q"),
        ("min_order=banyak", "min_order"),
        ("min_price=abc", "min_price"),
        ("page=1.5", "page"),
        ("min_price=500000&max_price=100000", "max_price"),
        ("min_price=1000000001", "min_price"),
        ("max_price=10000000000", "max_price"),
        ("category=1000000001", "category"),
        ("partner=2147483648", "partner"),
    ],
)
def test_bad_parameters_get_400_with_a_message_per_field(client, query, field):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    assert_valid(client, "Error", response.json)
    assert list(response.json["error"]["fields"]) == [field]
    assert len(response.json["error"]["fields"][field]) == 1  # one clear message, not a pile


def test_messages_follow_accept_language(client):
    indonesian = client.get("/api/v1/products?page=0").json["error"]["fields"]["page"][0]
    english = client.get("/api/v1/products?page=0", headers={"Accept-Language": "en"}).json[
        "error"
    ]["fields"]["page"][0]
    assert indonesian != english and "between" in english


def test_unlisted_or_unknown_things_answer_json_404(client, shelf, curation):
    _, unlisted = curation.product(name="Belum dikurasi")
    for path in (
        f"/api/v1/products/{unlisted.id}",
        "/api/v1/products/999999",
        "/api/v1/ikms/999999",
        "/api/v1/tidak-ada",
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json["error"]["status"] == 404
        assert_valid(client, "Error", response.json)


def test_anonymous_answers_are_cacheable(client, shelf):
    response = client.get("/api/v1/products")
    assert "public" in response.headers["Cache-Control"] and response.headers["ETag"]
    # labels follow the language: a shared cache must keep one copy per language
    assert {"cookie", "accept-language"} <= {v.lower() for v in response.vary}
    english = client.get("/api/v1/products", headers={"Accept-Language": "en"})
    assert english.headers["ETag"] != response.headers["ETag"]
    again = client.get("/api/v1/products", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_api_shows_the_certificates_the_product_page_shows(app, client, shelf, catalog):
    """A refused claim is the IKM's business only, on the page and in the API alike; also once
    its date has passed (it was never valid, so it does not become "expired")."""
    from datetime import timedelta

    from app.catalog.models import Certificate, Product
    from app.core import clock
    from app.extensions import db
    from tests.conftest import page_text

    _, _shoe, snack = shelf
    with app.app_context():
        ikm = db.session.get(Product, snack.id).ikm
    past = clock.today() - timedelta(days=10)
    catalog.certificate(ikm, kind="sni", number="SNI 7079:2009", status="claimed", products=[snack])
    catalog.certificate(ikm, kind="pirt", number=pirt_number(), status="rejected", products=[snack])
    old = catalog.certificate(
        ikm, kind="bpom", number="MD 224510123456", status="rejected", products=[snack]
    )
    lapsed = catalog.certificate(
        ikm, kind="hki", number="IDM000123456", status="verified", products=[snack]
    )
    with app.app_context():
        for certificate in (old, lapsed):
            db.session.get(Certificate, certificate.id).valid_until = past
        db.session.commit()

    body = client.get(f"/api/v1/products/{snack.id}").json
    assert_valid(client, "Product", body)
    shown = sorted((c["type"], c["state"]) for c in body["certificates"])
    assert shown == [("halal", "verified"), ("hki", "expired"), ("sni", "claimed")]
    text = page_text(client.get(f"/produk/{snack.id}"))
    for label in ("Halal", "HKI", "SNI"):
        assert label in text
    assert "P-IRT" not in text and "BPOM" not in text and "belum terverifikasi" not in text


def test_the_largest_bounds_the_api_takes_answer(client, shelf):
    """What the OpenAPI document allows is what the database can compare: a price of Rp1
    billion, the largest ids; on PostgreSQL a bound past an INTEGER column was a 500."""
    query = "min_price=1000000000&max_price=1000000000&category=1000000000&partner=1000000000"
    response = client.get(f"/api/v1/products?{query}&page=1000")
    assert response.status_code == 200 and response.json["total"] == 0
    parameters = {
        p["name"]: p["schema"]
        for p in client.get("/api/v1/openapi.json").json["paths"]["/products"]["get"]["parameters"]
    }
    assert parameters["min_price"]["maximum"] == parameters["max_price"]["maximum"] == 10**9


def test_facet_labels_name_the_partners_shown_and_read_no_others(
    client, shelf, bulk, sql_statements
):
    """The partner facet is labelled by name; the labels are read for the partners the answer
    shows only, so a hundred partners without listed products cost nothing."""
    listing = shelf[0]
    bulk.partners(100)
    response, statements = sql_statements(client.get, "/api/v1/products?q=sepatu")
    partners = response.json["facets"]["partner"]
    assert partners == [
        {"value": str(listing.partner.id), "label": listing.partner.name, "count": 1}
    ]
    reading_partners = [s for s in statements if "FROM organisations" in s]
    assert reading_partners and all("organisations.id IN" in s for s in reading_partners)
    labels = [s for s in statements if "FROM categories" in s]
    assert len(labels) == 1 and labels == reading_partners  # one statement for both
    chosen = client.get(f"/katalog?partner={listing.partner.id}")
    assert listing.partner.name in chosen.get_data(as_text=True)
    assert "Mitra Massal" not in client.get("/katalog?q=sepatu").get_data(as_text=True)
