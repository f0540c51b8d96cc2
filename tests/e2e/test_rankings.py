"""A round's ranking on a 360-pixel phone: each submission's score is beside its name, and
nothing scrolls sideways."""

import os

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, fits_the_screen
from tests.e2e.test_curation_journey import session
from tests.factories import BulkFactory, CurationFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_ranking_shows_each_score_beside_its_name(app, browser, live_server, viewport):
    factory, bulk = CurationFactory(app), BulkFactory(app)
    partner, admin, (curator,) = factory.partner(curators=1)
    round = factory.round(partner, admin)
    _, ikm = factory.people.ikm_owner(name="Sepatu Kulit Sumber Rejeki Kota Mojokerto")
    ids = bulk.submissions(round, ikm, 55)
    bulk.assignments(curator, ids, reviewed=55)

    office = session(browser, live_server, admin.email, viewport)
    office.goto(f"/kurasi/ronde/{round.id}")
    if os.environ.get("SCREENSHOTS"):
        office.locator("table.ranked").screenshot(
            path=f"{os.environ['SCREENSHOTS']}/ranking-{viewport['width']}.png"
        )
    rows = office.locator("table.ranked tbody tr")
    assert rows.count() == 50
    assert fits_the_screen(office)
    wrap = office.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    for index in (0, 49):
        name = rows.nth(index).locator("td.product").bounding_box()
        mean = rows.nth(index).locator("td.mean").bounding_box()
        assert mean["x"] + mean["width"] <= viewport["width"]  # on screen
        assert abs(mean["y"] - name["y"]) < 30  # on the name's line
    office.get_by_role("link", name="Berikutnya").click()
    office.wait_for_url("**page=2")
    office.wait_for_load_state()  # the new page, not the document between the two
    assert office.locator("table.ranked tbody tr").count() == 5
