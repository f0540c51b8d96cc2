"""On a phone at the venue: the IKM shows its agenda's QR code, the office opens the code's
check-in URL and checks it in, marks the buyer absent, and reads the hall now. Every page fits
the screen."""

from datetime import timedelta

import pytest

from app.events.models import Event, Participant
from app.events.slots import event_slots
from app.extensions import db
from tests.e2e.conftest import PHONE, fits_the_screen
from tests.e2e.test_events_journey import log_in, log_out
from tests.events.conftest import EventsFactory
from tests.events.test_agenda import publish
from tests.events.test_schedule import close_registration, run_now

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_the_office_checks_in_from_the_qr_code_and_reads_the_hall(app, page, make, frozen_clock):
    events = EventsFactory(app, make)
    event = events.event()
    owner, ikm = make.ikm_owner(name="Sepatu Kota Mojokerto")
    maker = events.participant(event, ikm, owner)
    buyer_org, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")
    buyer = events.participant(event, buyer_org, buyer_user)
    request = events.meeting_request(event, buyer, [maker], buyer_user)
    events.answer(request, True, by=owner)
    close_registration(app, events, event)
    run_now(app, event)
    publish(app, events, event)
    with app.app_context():
        token = db.session.get(Participant, maker.id).checkin_token
        from app.events.models import Meeting

        slot = db.session.scalar(db.select(Meeting.slot).filter_by(request_id=request.id))
        start = event_slots(db.session.get(Event, event.id))[slot][0]

    log_in(page, owner.email)
    page.goto(f"/temu-bisnis/{event.id}/agenda/{maker.id}")
    assert page.locator("svg.qr-code").is_visible()
    assert page.locator("svg.qr-code").bounding_box()["width"] <= 360
    assert fits_the_screen(page)
    log_out(page)

    log_in(page, events.admin().email)
    page.goto(f"/temu-bisnis/kelola/{event.id}/check-in/t/{token}")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Catat hadir").click()
    page.get_by_text("Sepatu Kota Mojokerto kini tercatat hadir.").wait_for()
    assert fits_the_screen(page)
    page.get_by_label("Nama").fill("Ramayana")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("button", name="Tandai tidak hadir").click()
    page.get_by_text("PT Ramayana Lestari (demo) ditandai tidak hadir.").wait_for()
    assert fits_the_screen(page)

    frozen_clock.set(start + timedelta(minutes=5))
    page.goto(f"/temu-bisnis/kelola/{event.id}/aula")
    page.get_by_text(f"Putaran {slot + 1}").wait_for()
    assert "Tidak hadir" in page.content() and "Sepatu Kota Mojokerto" in page.content()
    assert fits_the_screen(page)
