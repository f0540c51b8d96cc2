"""A buyer on a phone searches, filters, opens a product and finds the WhatsApp link."""

import re

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen
from tests.factories import ListingFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_search_filter_open_and_contact(app, page):
    listing = ListingFactory(app)
    listing.listed(name="Sepatu Wanita Kulit Sapi", regency="35.76")
    listing.listed(name="Sepatu Pria Kulit Hitam", category="sepatu-pria", regency="35.16")
    listing.listed(name="Keripik Tempe Pedas", category="keripik", regency="35.76")

    page.goto("/")
    page.get_by_placeholder("Cari produk…").fill("sepatunya")
    page.keyboard.press("Enter")
    page.get_by_text("2 produk").wait_for()
    assert fits_the_screen(page)
    assert page.get_by_text("Sepatu Wanita Kulit Sapi").first.is_visible()
    # On a phone the filters are folded above the results; opening them shows the counts.
    assert not page.get_by_role("link", name="Sepatu wanita", exact=True).is_visible()
    page.get_by_text("Filter", exact=True).click()
    page.get_by_role("link", name="Sepatu wanita", exact=True).click()
    page.get_by_text("1 produk").wait_for()
    chip = page.get_by_role("link", name="Hapus filter Sepatu wanita")
    assert chip.is_visible()  # what is filtered shows without opening the filters
    page.get_by_role("link", name="Sepatu Wanita Kulit Sapi").click()
    page.get_by_role("heading", name="Sepatu Wanita Kulit Sapi").wait_for()
    whatsapp = page.get_by_role("link", name="Tanya lewat WhatsApp")
    assert re.match(r"https://wa\.me/62\d+\?text=Halo", whatsapp.get_attribute("href"))
    assert fits_the_screen(page)
    page.get_by_role("link", name=re.compile("^Dikurasi oleh")).click()
    page.get_by_role("heading", name=listing.partner.name, exact=True).wait_for()


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_long_english_badges_wrap_inside_the_card(app, page):
    from app.catalog.models import Certificate, Product
    from app.extensions import db
    from tests.factories import CatalogFactory

    listing = ListingFactory(app)
    first = listing.listed(name="Sepatu Wanita Kulit Sapi Pantofel", regency="35.76")
    with app.app_context():
        ikm = db.session.get(Product, first.id).ikm
    products = [first, listing.listed(ikm=ikm, name="Sepatu Pria Kulit Hitam")]
    factory = CatalogFactory(app)  # two cards side by side, each with long badges
    factory.certificate(ikm, kind="hki", number="IDM000123456", products=products)
    factory.certificate(ikm, kind="halal", products=products)
    with app.app_context():
        for certificate in db.session.scalars(db.select(Certificate)):
            certificate.status = "verified"
        db.session.commit()
    listing.reindex(*(p.id for p in products))

    page.goto("/bahasa/en?next=/katalog")
    page.locator(".badges-inline .badge", has_text="Trademark (HKI/DJKI)").nth(1).wait_for()
    assert fits_the_screen(page)
    page.goto("/")
    assert fits_the_screen(page)
