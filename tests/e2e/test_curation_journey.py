"""An IKM submits, two curators score, the partner admin decides, and the IKM reads the feedback."""

import re

import pytest

from app.core import clock
from tests.e2e.conftest import ACTION_TIMEOUT_MS, DESKTOP, PHONE, fits_the_screen, open_menu
from tests.factories import PASSWORD, CurationFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


def session(browser, live_server, email, viewport):
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/akun/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name=re.compile("^Halo")).wait_for()
    return page


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_a_whole_curation(app, browser, live_server, page):
    factory = CurationFactory(app)
    partner, admin, curators = factory.partner(curators=2)
    title = f"Kurasi Sepatu Ritel {clock.today().year}"
    round = factory.round(partner, admin, title=title, feedback_visibility="comments")
    owner, _product = factory.product(name="Sepatu Pantofel Kulit Miji")

    ikm = session(browser, live_server, owner.email, PHONE)
    open_menu(ikm)
    ikm.get_by_role("link", name=re.compile("^IKM saya")).click()
    ikm.get_by_role("link", name="Kurasi").click()
    ikm.get_by_role("link", name=title).click()
    ikm.get_by_role("button", name="Ajukan produk ini").click()
    ikm.get_by_text("Menunggu penilaian").first.wait_for()
    assert fits_the_screen(ikm)

    office = session(browser, live_server, admin.email, DESKTOP)
    office.goto(f"/kurasi/ronde/{round.id}")
    office.get_by_role("button", name="Tugaskan otomatis").click()
    office.get_by_text("2 penugasan").wait_for()

    for index, curator in enumerate(curators):
        reviewer = session(browser, live_server, curator.email, PHONE)
        open_menu(reviewer)
        reviewer.get_by_role("link", name="Antrean penilaian saya").click()
        reviewer.get_by_role("link", name="Sepatu Pantofel Kulit Miji").click()
        reviewer.get_by_role("link", name="Nilai produk ini").click()
        score = str(4 + index)
        for fieldset in reviewer.locator("fieldset.score").all():
            fieldset.get_by_label(score, exact=True).check()
        reviewer.get_by_label(re.compile("^Komentar untuk IKM")).fill(
            f"Jahitan rapi (kurator {index + 1})."
        )
        reviewer.get_by_label(re.compile("^Catatan internal")).fill("Harga agak tinggi, rahasia.")
        assert fits_the_screen(reviewer)
        reviewer.get_by_role("button", name="Kirim penilaian").click()
        reviewer.get_by_text("Penilaian Anda telah dikirim").wait_for()
        reviewer.context.close()

    office.goto(f"/kurasi/ronde/{round.id}")
    office.get_by_role("link", name="Sepatu Pantofel Kulit Miji").click()
    office.get_by_text("Harga agak tinggi, rahasia.").first.wait_for()
    assert office.get_by_text("Harga agak tinggi, rahasia.").count() == 2
    office.get_by_label("Terima").check()
    office.get_by_label(re.compile("^Umpan balik untuk IKM")).fill(
        "Selamat, produk Anda masuk koleksi kami."
    )
    office.get_by_role("button", name="Siapkan keputusan").click()
    office.goto(f"/kurasi/ronde/{round.id}")
    office.get_by_role("button", name="Terbitkan keputusan").click()
    office.get_by_text("1 keputusan").wait_for()
    office.context.close()

    ikm.goto("/notifikasi")
    ikm.get_by_role("link", name=re.compile("Sepatu Pantofel Kulit Miji")).first.click()
    ikm.get_by_text("Selamat, produk Anda masuk koleksi kami.").first.wait_for()
    assert ikm.get_by_text("Jahitan rapi (kurator 1).").is_visible()
    assert ikm.get_by_text("Nilai per kriteria").is_visible()
    assert ikm.get_by_text("rahasia").count() == 0
    for curator in curators:
        assert ikm.get_by_text(curator.full_name).count() == 0
    assert fits_the_screen(ikm)
