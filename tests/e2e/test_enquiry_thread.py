"""A buyer asks a maker about a product from its catalogue page; the maker answers from a phone."""

import re

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen, mail_to, open_menu
from tests.e2e.test_curation_journey import session
from tests.factories import ListingFactory

pytestmark = pytest.mark.browser

QUESTION = "Apakah tersedia ukuran 35 sampai 42? " + "Kodebarang" * 12  # a long unbroken word


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_a_buyer_asks_and_the_maker_answers_on_a_phone(
    app, browser, live_server, page, make, categories, outbox
):
    owner, ikm = make.ikm_owner(name="Sepatu Kulit Miji")
    product = ListingFactory(app).listed(ikm=ikm, name="Pantofel Miji Hitam")
    _org, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")

    buyer = session(browser, live_server, buyer_user.email, PHONE)
    buyer.goto(f"/produk/{product.id}")
    buyer.get_by_role("link", name="Tanya IKM ini").click()
    buyer.get_by_role("heading", name="Tanya Sepatu Kulit Miji").wait_for()
    assert fits_the_screen(buyer)
    buyer.get_by_role("textbox", name=re.compile("^Pesan")).fill(QUESTION)
    buyer.get_by_role("button", name="Kirim pesan").click()
    buyer.get_by_text("Pesan Anda terkirim.").wait_for()
    assert buyer.get_by_role("heading", name="Pantofel Miji Hitam").is_visible()
    assert fits_the_screen(buyer)

    assert "Pantofel Miji Hitam" in mail_to(outbox, owner.email)["Subject"]
    maker = session(browser, live_server, owner.email, PHONE)
    open_menu(maker)
    maker.get_by_role("link", name="Pesan (1)").click()
    maker.get_by_role("heading", name="Pesan").wait_for()
    assert maker.get_by_text("1 belum dibaca").is_visible()
    assert fits_the_screen(maker)
    maker.get_by_role("link", name="Pantofel Miji Hitam").click()
    maker.get_by_text(re.compile("^Apakah tersedia ukuran 35")).wait_for()
    assert fits_the_screen(maker)
    maker.get_by_role("textbox", name=re.compile("^Pesan")).fill("Tersedia 36 sampai 41.")
    maker.get_by_role("button", name="Kirim pesan").click()
    maker.get_by_text("Pesan Anda terkirim.").wait_for()
    assert fits_the_screen(maker)
    maker.context.close()

    buyer.goto("/permintaan/pesan")
    assert buyer.get_by_text("1 belum dibaca").is_visible()
    assert fits_the_screen(buyer)
    buyer.get_by_role("link", name="Pantofel Miji Hitam").click()
    buyer.get_by_text("Tersedia 36 sampai 41.").wait_for()
    assert fits_the_screen(buyer)
