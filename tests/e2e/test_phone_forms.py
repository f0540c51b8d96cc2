"""Forms an IKM owner and a curator fill in on a 360-pixel phone."""

import re

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


def uploaded_file(request) -> bytes:
    """The first file in a multipart request body."""
    boundary = request.headers["content-type"].split("boundary=", 1)[1].encode()
    for part in request.post_data_buffer.split(b"--" + boundary):
        head, _, body = part.partition(b"\r\n\r\n")
        if b"filename=" in head:
            return body.removesuffix(b"\r\n")
    raise AssertionError("no file in the request")


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_a_photo_upload_shows_progress_and_sends_a_smaller_upright_photo(
    page, make, catalog, tmp_path
):
    import io

    from PIL import Image

    from tests.catalog.files import jpeg

    owner, ikm = make.ikm_owner()
    product = catalog.product(ikm)
    photo = tmp_path / "tas.jpg"
    # 3000 × 4000 as stored by the camera, which says: turn it 90° clockwise to show it.
    photo.write_bytes(jpeg(size=(3000, 4000), orientation=6))
    held = []
    page.route(
        "**/foto",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    log_in(page, owner.email)
    page.goto(f"/kelola/produk/{product.id}/foto")
    page.get_by_label("Tambah foto", exact=False).set_input_files(str(photo))
    button = page.get_by_role("button", name="Unggah")
    button.click()
    page.get_by_text("Mengunggah…").first.wait_for()
    assert button.is_disabled()
    assert page.locator(".upload-status progress").count() == 1
    for _ in range(200):  # the photo is made smaller first, then sent (and held here)
        if held:
            break
        page.wait_for_timeout(50)
    sent = Image.open(io.BytesIO(uploaded_file(held[0].request)))
    assert sent.format == "JPEG" and sent.size == (1600, 1200)  # smaller, and upright
    assert sent.getexif().get(0x0112) in (None, 1)
    assert sent.getpixel((1590, 10))[0] > 240 and sent.getpixel((10, 10))[0] < 200  # "up" kept
    held[0].continue_()
    page.get_by_text("1 foto telah ditambahkan").wait_for()
    assert page.locator(".photo-grid img").count() == 1
    assert fits_the_screen(page)


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_an_upload_form_with_mistakes_comes_back_with_them_and_works_again(page, make, tmp_path):
    from tests.catalog.files import pdf

    owner, ikm = make.ikm_owner()
    document = tmp_path / "halal.pdf"
    document.write_bytes(pdf())
    log_in(page, owner.email)
    page.goto(f"/kelola/ikm/{ikm.id}/sertifikat/baru")
    page.get_by_label("Jenis sertifikat").select_option("halal")
    page.get_by_label(re.compile("^Dokumen")).set_input_files(str(document))
    page.get_by_role("button", name="Simpan sertifikat").click()
    page.get_by_text("Silakan perbaiki isian yang ditandai di bawah.").wait_for()
    assert page.evaluate("document.activeElement.id") == "number"  # the page script runs again
    button = page.get_by_role("button", name="Simpan sertifikat")
    assert button.is_enabled()
    page.get_by_label(re.compile("^Nomor sertifikat")).fill("ID35110000123450122")
    page.get_by_label(re.compile("^Dokumen")).set_input_files(str(document))
    button.click()
    page.get_by_text("Sedang diverifikasi").first.wait_for()
    assert page.url.endswith(f"/kelola/ikm/{ikm.id}/sertifikat")
