"""The programme figures on a 360-pixel phone: each chart drawn (an SVG as wide as the screen
allows), its table beside it with the same rows, nothing scrolling sideways."""

import pytest

from tests.admin.test_figures import world  # noqa: F401
from tests.e2e.conftest import PHONE, fits_the_screen
from tests.e2e.test_curation_journey import session
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_figures_and_their_tables_on_a_phone(app, browser, live_server, viewport, world):  # noqa: F811
    office = session(browser, live_server, Factory(app).admin().email, viewport)
    office.goto("/admin/angka?wilayah=35.76")
    office.get_by_role("heading", name="Angka program").wait_for()
    charts = office.locator(".figure .chart svg")
    assert charts.count() >= 5
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and 200 < box["width"] <= 360 and box["height"] > 100
    assert fits_the_screen(office)
    # The chart of IKMs by kabupaten/kota and its table say the same: Kota Mojokerto, 3 IKMs.
    region = office.locator("#ikm-per-wilayah")
    assert "Kota Mojokerto" in region.locator("svg").text_content()
    row = region.locator("table tbody tr").first
    assert row.locator("th").inner_text() == "Kota Mojokerto"
    assert row.locator("td").first.inner_text() == "3"
    # The filter form works on the phone: footwear only.
    office.get_by_label("Sektor", exact=True).select_option("alas_kaki")
    office.get_by_role("button", name="Tampilkan").click()
    office.wait_for_url("**sektor=alas_kaki**")
    sectors = office.locator("#ikm-per-sektor table tbody th").all_inner_texts()
    assert sectors == ["Alas kaki"]
    assert fits_the_screen(office)
