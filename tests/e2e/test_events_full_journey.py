"""The whole event on a phone: a buyer registers and asks three IKMs for meetings; the office
closes registration, schedules and publishes; the buyer opens the agenda; the office checks the
buyer in at the door; at the table both sides record a deal, and the deal is in matching.
Every page fits a 360-pixel screen."""

from datetime import timedelta

import pytest

from app.events.models import Event, Meeting, MeetingRequest, Participant
from app.events.slots import event_slots
from app.extensions import db
from tests.e2e.conftest import PHONE, fits_the_screen
from tests.e2e.test_events_journey import log_in, log_out
from tests.events.conftest import EventsFactory

pytestmark = pytest.mark.browser

MAKERS = ("Sepatu Kota Mojokerto", "Sandal Kulit Sooko", "Sepatu Kemlagi")
BUYER = "PT Ramayana Lestari (demo)"


def accept_all(app, events, owners) -> None:
    """The IKMs accept (their side of the journey is another test's)."""
    with app.app_context():
        requests = db.session.scalars(db.select(MeetingRequest).order_by(MeetingRequest.id)).all()
    for request, owner in zip(requests, owners, strict=True):
        events.answer(request, True, by=owner)


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_an_event_from_registration_to_a_deal_in_matching(app, page, make, frozen_clock):
    events = EventsFactory(app, make)
    event = events.event()
    owners, makers = [], []
    for name in MAKERS:
        owner, ikm = make.ikm_owner(name=name)
        owners.append(owner)
        makers.append(events.participant(event, ikm, owner, offers="Pantofel dan sandal kulit"))
    _buyer_org, buyer_user = make.buyer(company=BUYER)
    admin = events.admin()

    # The buyer registers and asks each of the three makers for a meeting.
    log_in(page, buyer_user.email)
    page.goto(f"/temu-bisnis/{event.id}")
    page.get_by_role("link", name=f"Daftarkan {BUYER}").click()
    page.get_by_label("Yang Anda cari").fill("20.000 pasang pantofel wanita untuk Lebaran")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Simpan pendaftaran").click()
    page.get_by_text(f"{BUYER} terdaftar.").wait_for()
    for name in MAKERS:
        page.get_by_role("link", name="Lihat para peserta").click()
        row = page.locator("ul.rows li").filter(has_text=name)
        row.get_by_role("link", name="Minta bertemu").click()
        page.get_by_label("Prioritas").select_option(label="Tinggi")
        assert fits_the_screen(page)
        page.get_by_role("button", name="Kirim permintaan").click()
        page.get_by_text("Permintaan pertemuan Anda terkirim.").wait_for()
        page.goto(f"/temu-bisnis/{event.id}")
    log_out(page)
    accept_all(app, events, owners)

    # The office closes registration, schedules and publishes.
    log_in(page, admin.email)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/temu-bisnis/kelola/{event.id}")
    page.get_by_role("button", name="Tutup pendaftaran").click()
    page.get_by_text("Pendaftaran ditutup; jadwal dapat disusun.").wait_for()
    page.get_by_role("link", name="Jadwal").first.click()
    page.get_by_role("button", name="Susun jadwal").click()
    # Wait for the answer to the POST: a reload while it is on its way has no page to reload.
    page.get_by_text("Jadwal sedang disusun; muat ulang").wait_for()
    for _ in range(60):  # the run goes on after the response: reload, as the page says
        page.reload()
        if page.get_by_text("Pertemuan ditempatkan").count():
            break
        page.wait_for_timeout(500)
    assert "Pertemuan ditempatkan 3" in " ".join(page.inner_text("main").split())
    assert fits_the_screen(page)
    page.get_by_role("button", name="Terbitkan jadwal").click()
    page.get_by_text("Jadwal diterbitkan; setiap peserta").wait_for()
    log_out(page)

    with app.app_context():
        buyer = db.session.scalar(db.select(Participant).filter_by(organisation_id=_buyer_org.id))
        buyer_id, token = buyer.id, buyer.checkin_token
        first = db.session.scalars(
            db.select(Meeting).filter_by(event_id=event.id).order_by(Meeting.slot)
        ).first()
        first_maker = next(p for p in first.request.participant_ids if p != buyer_id)
        start = event_slots(db.session.get(Event, event.id))[first.slot][0]
    maker_index = [m.id for m in makers].index(first_maker)

    # The buyer opens the agenda: three meetings, each at a table.
    log_in(page, buyer_user.email)
    page.goto(f"/temu-bisnis/{event.id}")
    page.get_by_role("link", name="Agenda").first.click()
    agenda = page.inner_text("main")
    assert all(name in agenda for name in MAKERS) and "Meja" in agenda
    assert page.locator("svg.qr-code").is_visible()
    assert fits_the_screen(page)
    log_out(page)

    # At the door, the office opens the buyer's QR code and checks the buyer in.
    frozen_clock.set(start - timedelta(minutes=20))
    log_in(page, admin.email)
    page.goto(f"/temu-bisnis/kelola/{event.id}/check-in/t/{token}")
    page.get_by_role("button", name="Catat hadir").click()
    page.get_by_text(f"{BUYER} kini tercatat hadir.").wait_for()
    assert fits_the_screen(page)
    log_out(page)

    # At the table: both sides record the deal.
    frozen_clock.set(start + timedelta(minutes=25))
    for user, participant_id in ((buyer_user, buyer_id), (owners[maker_index], first_maker)):
        log_in(page, user.email)
        page.goto(f"/temu-bisnis/{event.id}/agenda/{participant_id}")
        page.get_by_role("link", name="Catat hasil").first.click()
        page.get_by_label("Kesepakatan").check()
        page.get_by_label("Jumlah").fill("2000")
        page.get_by_label("Satuan").select_option("pasang")
        page.get_by_label("Nilai (Rupiah)").fill("300000000")
        assert fits_the_screen(page)
        page.get_by_role("button", name="Simpan hasil").click()
        page.get_by_text("Hasil pertemuan tersimpan.").wait_for()
        log_out(page)

    # The deal continues in matching: the maker finds the buyer's request among its
    # opportunities, and the buyer among its requests.
    with app.app_context():
        ikm_id = db.session.get(Participant, first_maker).organisation_id
    log_in(page, owners[maker_index].email)
    page.goto(f"/permintaan/peluang/{ikm_id}")
    assert "Pantofel dan sandal kulit (dari Temu Bisnis Alas Kaki)" in page.inner_text("main")
    assert fits_the_screen(page)
    log_out(page)
    log_in(page, buyer_user.email)
    page.goto("/permintaan")
    assert "Pantofel dan sandal kulit (dari Temu Bisnis Alas Kaki)" in page.inner_text("main")
    assert fits_the_screen(page)
