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


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_a_curator_swipes_the_products_photos_above_the_rubric(app, page, curation):
    from app.catalog import services
    from app.catalog.models import Product
    from app.extensions import db
    from tests.catalog.files import jpeg

    partner, admin, [curator] = curation.partner(curators=1)
    round = curation.round(partner, admin)
    owner, product = curation.product()
    with app.app_context():
        services.add_photo(db.session.get(Product, product.id), jpeg(colour=(20, 120, 60)), by=None)
        db.session.commit()
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curator, admin)
    log_in(page, curator.email)
    page.goto(f"/kurasi/pengajuan/{submission.id}/ulasan")
    strip = page.locator(".review-product .gallery-strip")
    strip.wait_for()
    assert page.locator(".review-product .gallery-strip img").count() == 2
    assert strip.evaluate("s => s.scrollWidth >= 2 * s.clientWidth - 1")  # one photo a screen
    page.locator(".gallery-thumbs a").nth(1).click()
    page.wait_for_function(
        "() => document.querySelector('.review-product .gallery-strip').scrollLeft > 0"
    )
    assert page.get_by_text("Pemesanan minimum").is_visible()
    assert page.get_by_role("button", name="Kirim penilaian").count() == 1
    assert fits_the_screen(page), overflowing(page)
