"""An IKM owner adds a product with a photo and a halal certificate from a phone; the office verifies it."""

import re
from datetime import timedelta

import pytest

from app.core import clock
from tests.catalog.files import jpeg, pdf
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


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_ikm_adds_a_product_and_the_office_verifies_its_certificate(
    browser, page, live_server, make, tmp_path
):
    owner, ikm = make.ikm_owner(name="Keripik Tempe Bu Sri", sector="makanan_minuman")
    admin = make.admin()
    photo = tmp_path / "keripik.jpg"
    photo.write_bytes(jpeg(size=(3000, 4000), orientation=6, gps=True))
    document = tmp_path / "halal.pdf"
    document.write_bytes(pdf())

    log_in(page, owner.email)
    page.get_by_role("link", name="Produk").first.click()
    page.get_by_role("link", name="Tambah produk").click()
    page.get_by_label("Nama produk").fill("Keripik Tempe Original 250 g")
    page.get_by_label("Kategori").select_option(label="Makanan › Keripik")
    page.get_by_label("Deskripsi").fill(
        "Keripik tempe tipis dan renyah dari kedelai pilihan, digoreng dengan minyak baru setiap hari, tanpa pengawet."
    )
    page.get_by_label(re.compile("^Harga eceran")).fill("18.000")
    page.get_by_label(re.compile("^Satuan")).select_option("pcs")
    page.get_by_label(re.compile("^Pemesanan minimum")).fill("24")
    page.get_by_label(re.compile("^Kapasitas per bulan")).fill("3.600")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Simpan produk").click()

    page.get_by_label(re.compile("^Tambah foto")).set_input_files(str(photo))
    page.get_by_role("button", name="Unggah").click()
    page.get_by_text("1 foto telah ditambahkan").wait_for()
    assert page.locator(".photo-grid img").count() == 1
    assert fits_the_screen(page)

    page.get_by_role("link", name="Keripik Tempe Original 250 g").click()
    page.get_by_role("link", name="Tambah sertifikat").click()
    page.get_by_label("Jenis sertifikat").select_option("halal")
    page.get_by_label(re.compile("^Nomor sertifikat")).fill("ID35110000123450122")
    page.get_by_label("Diterbitkan oleh").fill("BPJPH")
    issued_on = clock.today() - timedelta(days=300)
    page.get_by_label("Tanggal terbit").fill(issued_on.isoformat())
    page.get_by_label(re.compile("^Dokumen")).set_input_files(str(document))
    assert page.get_by_label("Keripik Tempe Original 250 g").is_checked()
    page.get_by_role("button", name="Simpan sertifikat").click()
    page.get_by_text("Sedang diverifikasi").first.wait_for()

    page.goto(f"/kelola/ikm/{ikm.id}/produk")
    page.locator(".readiness summary").first.click()
    assert page.get_by_text("Menunggu verifikasi oleh Dinas").first.is_visible()
    assert fits_the_screen(page)

    office = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}
    ).new_page()
    log_in(office, admin.email)
    office.goto("/admin/sertifikat")
    office.get_by_role("link", name=re.compile("ID35110000123450122")).click()
    with office.expect_download() as download:
        office.get_by_role("link", name=re.compile("Unduh")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    office.get_by_role("button", name=re.compile("^Verifikasi")).click()
    office.get_by_text("Sertifikat telah diverifikasi").wait_for()
    office.context.close()

    page.goto(f"/kelola/ikm/{ikm.id}/sertifikat")
    assert page.get_by_text("Terverifikasi").first.is_visible()
    page.goto(f"/kelola/ikm/{ikm.id}/produk")
    page.locator(".readiness summary").first.click()
    assert page.locator(".checklist li.ok", has_text="Halal (BPJPH)").count() == 1
    assert page.locator(".checklist li.missing", has_text="P-IRT atau BPOM").count() == 1
