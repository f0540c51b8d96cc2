"""A new IKM owner registers, confirms by email, fills in the profile and waits for verification."""

import re

import pytest

from tests.conftest import links_in
from tests.e2e.conftest import fits_the_screen, mail_to, open_menu
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_ikm_owner_onboarding(page, live_server, outbox, logo_file):
    page.goto("/")
    assert fits_the_screen(page)
    open_menu(page)
    page.get_by_role("link", name="Daftar", exact=True).click()

    page.get_by_label("Saya membuat produk").check()
    page.get_by_label("Nama lengkap Anda").fill("Slamet Riyadi")
    page.get_by_label("Nama usaha atau perusahaan").fill("Sepatu Kulit Sumber Rejeki")
    page.get_by_label("Email").fill("slamet@example.com")
    page.get_by_label(re.compile(r"^Kata sandi")).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    assert fits_the_screen(page)
    page.get_by_role("button", name="Daftar").click()
    page.get_by_role("heading", name="Periksa email Anda").wait_for()

    [link] = links_in(mail_to(outbox, "slamet@example.com"))
    page.goto(link)
    page.get_by_text("alamat email Anda telah dikonfirmasi").wait_for()
    page.get_by_label("Email").fill("slamet@example.com")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("link", name="Lengkapi profil IKM").click()
    page.get_by_label("NIB").fill("9120001234567")
    page.get_by_label("Sektor").select_option("alas_kaki")
    page.get_by_label("Provinsi").select_option(label="Jawa Timur")
    # The kabupaten/kota list now only offers East Java.
    options = page.locator("#regency_code option").all_inner_texts()
    assert "Kota Mojokerto" in options and "Kabupaten Badung" not in options
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Mojokerto")
    page.get_by_label(re.compile(r"^Alamat")).fill("Jl. Majapahit 12, Miji")
    page.get_by_label("Nomor WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Email usaha").fill("sumberrejeki@example.com")
    page.get_by_label("Jumlah tenaga kerja").fill("18")
    page.get_by_label("Kapasitas produksi per bulan").fill("1200")
    page.get_by_label("Satuan").select_option("pasang")
    page.get_by_label("Tahun berdiri").fill("2004")
    page.get_by_label("Cerita Anda").fill("Sepatu kulit sapi dari Kelurahan Miji.")
    page.get_by_label("Logo").set_input_files(str(logo_file))
    assert fits_the_screen(page)
    page.get_by_role("button", name="Simpan profil").click()

    page.get_by_text("Profil telah disimpan").wait_for()
    assert page.get_by_text("Menunggu verifikasi").first.is_visible()
    assert page.get_by_text("+6281234567890").is_visible()
    assert re.search(r"/media/[0-9a-f]{64}\.jpg", page.content())
    assert fits_the_screen(page)
