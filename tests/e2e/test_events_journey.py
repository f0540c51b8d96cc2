"""On a phone: a buyer registers for an event, asks a registered IKM for a meeting, and the
IKM accepts; every page fits the screen."""

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen, mail_to
from tests.events.conftest import EventsFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, email):
    page.goto("/akun/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def log_out(page):
    page.context.clear_cookies()


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_a_buyer_registers_asks_an_ikm_and_the_ikm_accepts(app, page, make, outbox):
    events = EventsFactory(app, make)
    event = events.event()
    owner, ikm = make.ikm_owner(name="Sepatu Kota Mojokerto")
    events.participant(event, ikm, owner)
    _, buyer = make.buyer(company="PT Ramayana Lestari (demo)")

    log_in(page, buyer.email)
    page.goto(f"/temu-bisnis/{event.id}")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Daftarkan PT Ramayana Lestari (demo)").click()
    page.get_by_label("Yang Anda cari").fill("Pantofel wanita untuk gerai kami")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Simpan pendaftaran").click()
    page.get_by_text("PT Ramayana Lestari (demo) terdaftar.").wait_for()

    page.get_by_role("link", name="Lihat para peserta").click()
    assert fits_the_screen(page)
    page.get_by_role("link", name="Minta bertemu").click()
    page.get_by_label("Prioritas").select_option(label="Tinggi")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Kirim permintaan").click()
    page.get_by_text("Permintaan pertemuan Anda terkirim.").wait_for()
    assert fits_the_screen(page)

    log_out(page)
    log_in(page, owner.email)
    page.goto(f"/temu-bisnis/{event.id}/temu")
    page.get_by_role("link", name="Dari PT Ramayana Lestari (demo)").click()
    page.get_by_role("button", name="Terima").click()
    page.get_by_text("Anda menerima pertemuan ini.").wait_for()
    assert fits_the_screen(page)
    assert "Sepatu Kota Mojokerto menerima" in mail_to(outbox, buyer.email).get_content()
