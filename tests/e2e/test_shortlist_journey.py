"""A buyer saves shoes from the catalogue on a phone and sends a request to their maker."""

import re

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen, open_menu
from tests.e2e.test_curation_journey import session
from tests.factories import ListingFactory
from tests.matching.conftest import MatchingFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_save_from_the_catalogue_and_send_from_the_shortlist(
    app, browser, live_server, page, make, categories, frozen_clock
):
    _owner, ikm = make.ikm_owner(
        name="Sepatu Mojopahit", capacity_monthly=9000, capacity_unit="pasang"
    )
    ListingFactory(app).listed(ikm=ikm, name="Pantofel Kulit Mojopahit")
    org, user = make.buyer(company="PT Ramayana Lestari (demo)")
    found = MatchingFactory(app).request(org, user, state="open")

    buyer = session(browser, live_server, user.email, PHONE)
    buyer.goto("/katalog")
    card = buyer.locator(".product-card").filter(has_text="Pantofel Kulit Mojopahit")
    card.get_by_role("button", name=re.compile("Simpan")).click()
    buyer.get_by_text("Disimpan ke daftar simpanan Anda.").wait_for()
    assert card.get_by_role("button", name=re.compile("Tersimpan")).is_visible()
    assert fits_the_screen(buyer)

    open_menu(buyer)
    buyer.get_by_role("link", name="Daftar simpanan saya").click()
    buyer.get_by_role("heading", name="Produk tersimpan").wait_for()
    assert buyer.get_by_role("link", name="Pantofel Kulit Mojopahit").is_visible()
    assert fits_the_screen(buyer)

    buyer.goto(f"/permintaan/{found.id}")
    buyer.get_by_role("link", name="Kirim ke IKM dari daftar simpanan saya").click()
    buyer.get_by_role("heading", name="Kirim ke IKM dari daftar simpanan saya").wait_for()
    assert fits_the_screen(buyer)
    buyer.get_by_label(re.compile("Sepatu Mojopahit")).check()
    buyer.get_by_role("button", name="Kirim permintaan").click()
    buyer.get_by_text("Permintaan dikirim ke 1 IKM.").wait_for()
    assert buyer.get_by_role("heading", name=re.compile("^Penawaran")).is_visible()
    assert fits_the_screen(buyer)
    buyer.context.close()
