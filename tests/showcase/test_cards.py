"""Product cards are rendered once per worker and reused (app/showcase/cards.py): never stale,
never another person's "Save" state, never another language."""

import pytest

from app.catalog.models import Product
from app.extensions import db
from app.showcase import cards
from tests.conftest import login, page_text
from tests.factories import ListingFactory


@pytest.fixture
def shelf(app):
    listing = ListingFactory(app)
    product = listing.listed(name="Sepatu Pantofel Kulit", retail_price=250_000, price_tiers=[])
    return listing, product


@pytest.fixture
def renders(monkeypatch):
    made = []
    original = cards._render

    def counted(item):
        made.append(item)
        return original(item)

    monkeypatch.setattr(cards, "_render", counted)
    return made


def test_a_card_is_rendered_once_and_served_again_the_same(client, shelf, renders):
    _, product = shelf
    first = client.get(f"/ikm/{product.ikm_id}").get_data(as_text=True)
    # ?page=1: past the page cache
    again = client.get(f"/ikm/{product.ikm_id}?page=1").get_data(as_text=True)
    assert len(renders) == 1
    assert "Sepatu Pantofel Kulit" in again and "Rp250.000" in page_text(client.get("/?x=1"))
    assert first.count('class="card product-card"') == again.count('class="card product-card"') == 1


def test_a_changed_product_shows_its_new_price_at_once(app, client, shelf, make, renders):
    _, product = shelf
    login(client, make.user())  # a logged-in page: the page cache keeps nothing for it
    assert "Rp250.000" in page_text(client.get(f"/ikm/{product.ikm_id}"))
    with app.app_context():
        db.session.get(Product, product.id).retail_price = 275_000
        db.session.commit()
    text = page_text(client.get(f"/ikm/{product.ikm_id}"))
    assert "Rp275.000" in text and "Rp250.000" not in text
    assert len(renders) == 2


def test_each_language_has_its_own_card(client, shelf):
    _, product = shelf
    assert "pasang" in page_text(client.get(f"/ikm/{product.ikm_id}"))
    client.get("/bahasa/en?next=/")
    text = page_text(client.get(f"/ikm/{product.ikm_id}?page=1"))
    assert "pair" in text and "pasang" not in text


def test_the_save_button_is_each_viewers_own_under_a_kept_card(app, client, shelf, make, renders):
    _, product = shelf
    assert "Simpan" not in page_text(client.get(f"/ikm/{product.ikm_id}"))  # a visitor: no button
    _, user = make.buyer()
    login(client, user)
    assert "☆ Simpan" in page_text(client.get(f"/ikm/{product.ikm_id}"))
    client.post(f"/permintaan/simpanan/produk/{product.id}")
    text = page_text(client.get(f"/ikm/{product.ikm_id}"))
    assert "★ Tersimpan" in text
    assert len(renders) == 1  # the card itself was rendered once for all three


def test_with_no_entries_nothing_is_kept_and_the_card_is_the_same(app, app_config, shelf):
    from app import create_app

    _, product = shelf
    kept = app.test_client().get(f"/ikm/{product.ikm_id}").get_data(as_text=True)
    plain_app = create_app({**app_config, "CARD_CACHE_ENTRIES": 0})
    assert "card_cache" not in plain_app.extensions
    plain = plain_app.test_client().get(f"/ikm/{product.ikm_id}").get_data(as_text=True)
    assert plain == kept


def test_the_cache_drops_the_least_recently_used():
    cache = cards.CardCache(2)
    cache.put(("a",), "A")
    cache.put(("b",), "B")
    assert cache.get(("a",)) == "A"
    cache.put(("c",), "C")
    assert cache.get(("b",)) is None and cache.get(("a",)) == "A" and len(cache) == 2
