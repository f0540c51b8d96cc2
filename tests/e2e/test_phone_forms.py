"""Forms an IKM owner and a curator fill in on a 360-pixel phone."""

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


def log_in(page, email):
    page.goto("/akun/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def overflowing(page) -> list[str]:
    """Elements wider than the screen, for a useful failure message."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > screen.width + 1)
            .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_the_certificate_form_fits_a_phone(page, make, catalog):
    owner, ikm = make.ikm_owner(name="Keripik Tempe Bu Sri", sector="makanan_minuman")
    catalog.product(
        ikm, category="keripik", name="Keripik Tempe Original dengan Nama Sangat Panjang 250 g"
    )
    log_in(page, owner.email)
    page.goto(f"/kelola/ikm/{ikm.id}/sertifikat/baru")
    page.get_by_label("Jenis sertifikat").wait_for()
    assert fits_the_screen(page), overflowing(page)


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_the_round_form_fits_a_phone(page, curation):
    partner, admin, _ = curation.partner(curators=0)
    log_in(page, admin.email)
    page.goto(f"/kurasi/mitra/{partner.id}/ronde/baru")
    page.get_by_label("Judul").first.wait_for()
    assert fits_the_screen(page), overflowing(page)
