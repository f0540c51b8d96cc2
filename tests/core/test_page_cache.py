"""Anonymous public pages are kept in the worker for their max-age; nothing personal is."""

import pytest

from app.core import page_cache
from tests.conftest import login, make_config
from tests.factories import ListingFactory


@pytest.fixture
def app_config(database_url, tmp_path):
    return make_config(database_url, tmp_path, PAGE_CACHE_ENTRIES=3)


@pytest.fixture
def product(app, categories):
    return ListingFactory(app).listed(name="Sepatu Pantofel Kulit")


def rename(app, product, name):
    from app.catalog.models import Product
    from app.extensions import db

    with app.app_context():
        db.session.get(Product, product.id).name = name
        db.session.commit()


def test_an_anonymous_product_page_is_answered_from_memory_until_its_max_age(
    app, client, product, monkeypatch
):
    first = client.get(f"/produk/{product.id}")
    rename(app, product, "Sandal Jepit Bordir")
    again = client.get(f"/produk/{product.id}")
    assert "Sepatu Pantofel Kulit" in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == "public, max-age=60"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert (
        client.get(
            f"/produk/{product.id}", headers={"If-None-Match": first.headers["ETag"]}
        ).status_code
        == 304
    )

    later = page_cache.time.monotonic() + 61
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    assert "Sandal Jepit Bordir" in client.get(f"/produk/{product.id}").get_data(as_text=True)


def test_each_language_and_each_address_has_its_own_copy(app, client, product):
    indonesian = client.get("/katalog?q=sepatu").get_data(as_text=True)
    other = app.test_client()
    other.set_cookie("etalase_lang", "en")
    english = other.get("/katalog?q=sepatu")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<html lang="id">' in indonesian
    rename(app, product, "Sandal Jepit Bordir")
    assert "Sandal Jepit Bordir" in client.get(f"/produk/{product.id}?x=1").get_data(as_text=True)


def test_logged_in_visitors_never_get_or_leave_a_kept_page(app, client, make, product):
    client.get(f"/produk/{product.id}")  # kept for anonymous visitors
    rename(app, product, "Sandal Jepit Bordir")
    login(client, make.user())
    mine = client.get(f"/produk/{product.id}")
    assert "Sandal Jepit Bordir" in mine.get_data(as_text=True)
    assert "private" in mine.headers["Cache-Control"]
    client.post("/akun/keluar")
    anonymous = app.test_client()
    assert "Sepatu Pantofel Kulit" in anonymous.get(f"/produk/{product.id}").get_data(as_text=True)


def test_answers_that_set_a_cookie_or_are_not_public_are_not_kept(app, client, product):
    client.get("/bahasa/en?next=/katalog")  # sets the language cookie: private, not kept
    client.get("/masuk")  # the login form's CSRF token starts a session: private
    kept = app.extensions["page_cache"]._kept
    assert not any("/bahasa/" in url or "/masuk" in url for url, _ in kept)
    app.test_client().get("/produk/999999")  # a 404 is not kept
    assert not any("999999" in url for url, _ in kept)


def test_the_oldest_answer_is_dropped_past_the_limit(app, client, product):
    for page in range(1, 6):
        client.get(f"/katalog?page={page}")
    assert [url.rsplit("=", 1)[1] for url, _ in app.extensions["page_cache"]._kept] == [
        "3",
        "4",
        "5",
    ]


def test_the_cache_holds_no_more_bytes_than_configured(app, client, product):
    cache = app.extensions["page_cache"]
    client.get("/katalog?page=1")
    size = cache.bytes
    cache.max_bytes = size * 2 + 1
    for page in range(2, 6):
        client.get(f"/katalog?page={page}")
    assert len(cache._kept) == 2 and cache.bytes <= cache.max_bytes
