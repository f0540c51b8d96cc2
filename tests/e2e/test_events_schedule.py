"""On a phone: the office runs the scheduler, moves a meeting and publishes; the IKM opens its
agenda. Every page fits the screen."""

import pytest

from tests.e2e.conftest import PHONE, fits_the_screen, mail_to
from tests.e2e.test_events_journey import log_in, log_out
from tests.events.conftest import EventsFactory
from tests.events.test_schedule import close_registration

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_the_office_schedules_and_publishes_and_the_ikm_reads_its_agenda(app, page, make, outbox):
    events = EventsFactory(app, make)
    event = events.event()
    owner, ikm = make.ikm_owner(name="Sepatu Kota Mojokerto")
    maker = events.participant(event, ikm, owner)
    buyer_org, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")
    buyer = events.participant(event, buyer_org, buyer_user)
    request = events.meeting_request(event, buyer, [maker], buyer_user)
    events.answer(request, True, by=owner)
    close_registration(app, events, event)

    log_in(page, events.admin().email)
    page.goto(f"/temu-bisnis/kelola/{event.id}/jadwal")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Susun jadwal").click()
    page.get_by_text("Jadwal sedang disusun; muat ulang").wait_for()
    for _ in range(60):  # the run goes on after the response: reload, as the page says
        page.reload()
        if page.get_by_text("Pertemuan ditempatkan").count():
            break
        page.wait_for_timeout(500)
    page.get_by_text("Pertemuan ditempatkan").wait_for()
    assert fits_the_screen(page)
    page.get_by_role("link", name="Pindahkan").click()
    page.get_by_label("Meja").fill("7")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Pindahkan dan sematkan").click()
    page.get_by_text("Pertemuan dipindahkan dan disematkan di sana.").wait_for()
    page.get_by_text("Meja 7").wait_for()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terbitkan jadwal").click()
    page.get_by_text("Jadwal diterbitkan; setiap peserta").wait_for()
    page.goto(f"/temu-bisnis/kelola/{event.id}/kartu-meja")
    assert fits_the_screen(page)

    log_out(page)
    log_in(page, owner.email)
    page.goto(f"/temu-bisnis/{event.id}")
    page.get_by_role("link", name="Agenda").click()
    page.get_by_text("Meja 7").wait_for()
    assert "PT Ramayana Lestari (demo)" in page.content()
    assert fits_the_screen(page)
    assert "Agenda Anda" in mail_to(outbox, owner.email).get_content()
