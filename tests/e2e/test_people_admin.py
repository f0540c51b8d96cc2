"""The audit trail and a user's administration page on a 360-pixel phone: nothing scrolls
sideways, and the filters and the membership forms are usable."""

import pytest

from app.orgs.models import MemberRole
from tests.e2e.conftest import DESKTOP, PHONE, fits_the_screen
from tests.e2e.test_curation_journey import session
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_trail_and_a_user_page_fit_the_screen(app, browser, live_server, viewport):
    make = Factory(app)
    admin = make.admin()
    owner, _ = make.ikm_owner()
    make.member(
        make.partner(name="Mitra Dengan Nama Yang Cukup Panjang"), MemberRole.CURATOR, user=owner
    )
    office = session(browser, live_server, admin.email, viewport)
    office.goto("/admin/jejak")
    assert office.locator("ol.trail li").count() >= 3
    assert fits_the_screen(office)
    office.get_by_label("Jenis").select_option("member")
    office.get_by_role("button", name="Saring").click()
    office.wait_for_url("**jenis=member**")
    assert office.locator("ol.trail li").count() == 2  # the IKM's owner and the curator
    office.goto(f"/admin/pengguna/{owner.id}")
    assert fits_the_screen(office)
    assert office.get_by_role("button", name="Ubah peran").count() == 2
