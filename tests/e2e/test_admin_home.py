"""The trade office's home on a 360-pixel phone: its queues with their counts, nothing
scrolls sideways."""

import pytest

from tests.admin.test_homes import add_certificates
from tests.e2e.conftest import PHONE, fits_the_screen
from tests.e2e.test_curation_journey import session
from tests.factories import BulkFactory, Factory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_admin_home_shows_its_queues_on_a_phone(app, browser, live_server, viewport):
    make, bulk = Factory(app), BulkFactory(app)
    admin = make.admin()
    bulk.ikms(3)
    _, ikm = make.ikm_owner(name="Sepatu Kulit Sumber Rejeki Kota Mojokerto")
    bulk.certificates(ikm, 2)
    add_certificates(app, ikm, 4, days=10)

    office = session(browser, live_server, admin.email, viewport)
    office.goto("/dasbor")
    queues = office.locator("#trade-office")
    assert queues.is_visible()
    counts = queues.locator("strong.count").all_inner_texts()
    assert counts[:3] == ["3", "2", "4"]
    assert fits_the_screen(office)
    queues.get_by_role("link", name="Sertifikat yang habis berlaku dalam 30 hari").click()
    office.wait_for_url("**status=expiring")
    assert fits_the_screen(office)
