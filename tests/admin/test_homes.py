"""Each role's home (/dasbor) says what to do next, with counts; the trade office's queues
link to their lists (certificates expiring, rounds closing soon)."""

from __future__ import annotations

import itertools
import re
from datetime import time, timedelta

import pytest

from app.catalog.models import Certificate
from app.core import clock
from app.curation.models import Round, Submission
from app.events.models import Event
from app.extensions import db
from app.matching.models import BuyerRequest, Quote, Recipient
from app.orgs.models import MemberRole
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text

_serials = itertools.count(1)


@pytest.fixture(autouse=True)
def _taxonomy(categories):
    """The taxonomy is there (products and rounds need it)."""


def counts_in(response, section: str) -> list[int]:
    """The counts one section of the home shows, in order (section by id or class)."""
    html = response.get_data(as_text=True)
    found = re.search(rf"<section[^>]*\b{section}\b[^>]*>(.*?)</section>", html, re.S)
    assert found, f"no section {section}"
    return [int(n) for n in re.findall(r'<strong class="count">(\d+)</strong>', found.group(1))]


def add_certificates(app, ikm, n: int, days: int | None = 10, status: str = "verified"):
    """``n`` certificates of ``ikm`` valid until ``days`` from today."""
    with app.app_context():
        today = clock.today()
        db.session.add_all(
            Certificate(
                ikm_id=ikm.id,
                type="halal",
                number=f"ID351100{next(_serials):011d}",
                status=status,
                valid_until=None if days is None else today + timedelta(days=days),
            )
            for _ in range(n)
        )
        db.session.commit()


def move_round(app, round, **dates) -> None:
    """Set a round's dates as days from today (``closes_on=-5``)."""
    with app.app_context():
        row = db.session.get(Round, round.id)
        today = clock.today()
        for name, days in dates.items():
            setattr(row, name, today + timedelta(days=days))
        db.session.commit()


def add_events(app, n: int, starts_in: int = 7, state: str = "registration_open") -> None:
    with app.app_context():
        today = clock.today()
        db.session.add_all(
            Event(
                name=f"Temu Bisnis {next(_serials)}",
                venue="Graha Mojokerto Service City",
                starts_on=today + timedelta(days=starts_in),
                ends_on=today + timedelta(days=starts_in + 1),
                day_starts_at=time(9),
                day_ends_at=time(15),
                meeting_minutes=20,
                tables=10,
                registration_opens_on=today - timedelta(days=10),
                registration_closes_on=today + timedelta(days=max(starts_in - 1, 0)),
                state=state,
            )
            for _ in range(n)
        )
        db.session.commit()


def add_requests(app, buyer_org, n: int, state: str = "open", to=None, quote_from=None):
    """``n`` requests of ``buyer_org``, each sent to ``to`` (an IKM) and quoted by
    ``quote_from`` (an IKM) when given."""
    with app.app_context():
        today, now = clock.today(), clock.now()
        rows = [
            BuyerRequest(
                buyer_org_id=buyer_org.id,
                title=f"Sepatu pantofel {next(_serials)}",
                quantity=1000,
                unit="pasang",
                delivery_on=today + timedelta(days=60),
                state=state,
                opened_at=now if state != "draft" else None,
            )
            for _ in range(n)
        ]
        db.session.add_all(rows)
        db.session.flush()
        for row in rows:
            if to is not None:
                db.session.add(Recipient(request_id=row.id, ikm_id=to.id, sent_at=now))
            if quote_from is not None:
                db.session.add(
                    Quote(
                        request_id=row.id,
                        ikm_id=quote_from.id,
                        unit_price=200_000,
                        quantity=500,
                        delivery_on=today + timedelta(days=50),
                    )
                )
        db.session.commit()


def stage(app, submission_ids, decision: str = "accept") -> None:
    with app.app_context():
        for sid in submission_ids:
            db.session.get(Submission, sid).staged_decision = decision
        db.session.commit()


# -- the trade office -----------------------------------------------------------------------


def test_the_trade_office_home_counts_its_queues(
    app, client, make, curation, bulk, admin, frozen_clock
):
    bulk.ikms(3)  # waiting for verification
    bulk.ikms(2, status="verified")
    _, ikm = make.ikm_owner()
    bulk.certificates(ikm, 2)  # claimed, waiting
    add_certificates(app, ikm, 3, days=10)  # expiring
    add_certificates(app, ikm, 1, days=0)  # expires today: still counts
    add_certificates(app, ikm, 1, days=31)  # later
    add_certificates(app, ikm, 1, days=-1)  # already expired
    add_certificates(app, ikm, 1, days=5, status="rejected")
    partner, boss, _ = curation.partner(curators=0)
    soon = curation.round(partner, boss, title="Ronde Segera")  # closes in 10 days
    later = curation.round(partner, boss, title="Ronde Nanti")
    move_round(app, later, closes_on=20, review_due_on=30)
    add_events(app, 2)
    add_events(app, 1, state="closed")

    login(client, admin)
    home = client.get("/dasbor")
    assert home.status_code == 200
    assert counts_in(home, "trade-office") == [3, 2, 4, 1, 2]
    text = page_text(home)
    for label in (
        "IKM yang menunggu verifikasi",
        "Sertifikat yang menunggu verifikasi",
        "Sertifikat yang habis berlaku dalam 30 hari",
        "Ronde yang ditutup dalam 14 hari",
        "Temu bisnis mendatang",
    ):
        assert label in text
    html = home.get_data(as_text=True)
    for link in (
        "/admin/ikm",
        "/admin/sertifikat",
        "/admin/sertifikat?status=expiring",
        "/admin/ronde",
        "/temu-bisnis/kelola",
    ):
        assert f'href="{link}"' in html, link

    rounds = page_text(client.get("/admin/ronde"))
    assert "Ronde Segera" in rounds and "Ronde Nanti" not in rounds
    assert f"/kurasi/ronde/{soon.id}/statistik" in client.get("/admin/ronde").text

    # 11 days later the 10-day certificates are past, the 31-day one is now within 30 days;
    # the first round no longer takes submissions and the second closes within 14 days.
    frozen_clock.set(frozen_clock.current + timedelta(days=11))
    assert counts_in(client.get("/dasbor"), "trade-office")[2:4] == [1, 1]
    rounds = page_text(client.get("/admin/ronde"))
    assert "Ronde Nanti" in rounds and "Ronde Segera" not in rounds


def test_nobody_else_sees_the_office_queues(client, make, ikm_owner, partner_admin, buyer):
    for user in (ikm_owner, partner_admin, buyer):
        login(client, user)
        home = client.get("/dasbor")
        assert home.status_code == 200
        assert 'id="trade-office"' not in home.text
        assert "IKM yang menunggu verifikasi" not in page_text(home)
        assert client.get("/admin/ronde").status_code == 404
        assert client.get("/admin/sertifikat?status=expiring").status_code == 404
        client.post("/akun/keluar")
    assert client.get("/admin/ronde").status_code == 404  # anonymous


def test_the_certificate_queue_lists_those_expiring_soonest_first(
    app, client, make, admin, frozen_clock
):
    _, ikm = make.ikm_owner()
    add_certificates(app, ikm, 1, days=20)
    add_certificates(app, ikm, 1, days=3)
    add_certificates(app, ikm, 1, days=45)
    add_certificates(app, ikm, 1, days=3, status="rejected")
    with app.app_context():
        ordered = list(
            db.session.scalars(
                db.select(Certificate.number)
                .where(Certificate.status != "rejected", Certificate.valid_until.is_not(None))
                .order_by(Certificate.valid_until)
            )
        )
    login(client, admin)
    response = client.get("/admin/sertifikat?status=expiring")
    assert response.status_code == 200
    text = page_text(response)
    assert "Habis berlaku dalam 30 hari" in text
    assert ordered[0] in text and ordered[1] in text and ordered[2] not in text
    assert text.index(ordered[0]) < text.index(ordered[1])
    # An unknown filter falls back to the waiting ones, never an error.
    assert client.get("/admin/sertifikat?status=nonsense").status_code == 200


def test_the_expiring_certificate_list_is_paged_and_flat(
    app, client, make, admin, sql_statements, frozen_clock
):
    _, ikm = make.ikm_owner()
    login(client, admin)
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        "/admin/sertifikat?status=expiring",
        lambda n: add_certificates(app, ikm, n, days=9),
        few=3,
        many=55,
    )
    assert len(re.findall(r"/admin/sertifikat/\d+\"", response.text)) == 50
    second = client.get("/admin/sertifikat?status=expiring&page=2")
    assert len(re.findall(r"/admin/sertifikat/\d+\"", second.text)) == 5
    assert_pages_are_safe(client, "/admin/sertifikat?status=expiring")


def test_the_rounds_closing_soon_are_paged_and_flat(
    app, client, curation, bulk, admin, sql_statements, frozen_clock
):
    partner, boss, _ = curation.partner(curators=0)
    template = curation.round(partner, boss)  # closes in 10 days
    login(client, admin)
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        "/admin/ronde",
        lambda n: bulk.rounds(partner, template, n),
        few=3,
        many=55,
    )
    assert len(re.findall(r"/kurasi/ronde/\d+/statistik", response.text)) == 50
    second = client.get("/admin/ronde?page=2")
    assert len(re.findall(r"/kurasi/ronde/\d+/statistik", second.text)) == 6
    assert_pages_are_safe(client, "/admin/ronde")
    assert client.get(f"/kurasi/ronde/{template.id}/statistik").status_code == 200


def test_the_rounds_page_says_when_none_close_soon(client, admin):
    login(client, admin)
    assert "Tidak ada ronde yang ditutup dalam 14 hari" in page_text(client.get("/admin/ronde"))


# -- curators, partner admins, IKMs and buyers ----------------------------------------------


def test_a_curator_sees_the_reviews_due_soonest_first(
    app, client, make, curation, bulk, frozen_clock
):
    partner, boss, (curator,) = curation.partner(curators=1)
    _, ikm = make.ikm_owner()
    later = curation.round(partner, boss, title="Ronde Kedua")
    sooner = curation.round(partner, boss, title="Ronde Pertama")
    move_round(app, later, review_due_on=25)
    move_round(app, sooner, review_due_on=12)
    bulk.assignments(curator, bulk.submissions(later, ikm, 4), reviewed=2)  # 2 still to do
    bulk.assignments(curator, bulk.submissions(sooner, ikm, 1))  # 1 to do
    login(client, curator)
    home = client.get("/dasbor")
    text = page_text(home)
    assert "Ulasan yang perlu dikerjakan" in text and "3 ulasan belum dikirim" in text
    assert text.index("Ronde Pertama") < text.index("Ronde Kedua")
    assert text.count("tenggat") == 3
    assert 'href="/kurasi/tugas"' in home.text


def test_a_partner_admin_sees_its_rounds_and_staged_decisions(
    app, client, make, curation, bulk, frozen_clock
):
    partner, boss, _ = curation.partner(curators=0)
    _, ikm = make.ikm_owner()
    curation.round(partner, boss, title="Ronde Tutup Segera")  # closes in 10 days
    open_ = curation.round(partner, boss, title="Ronde Terbuka")
    move_round(app, open_, closes_on=30, review_due_on=40)
    review = curation.round(partner, boss, title="Ronde Penilaian")
    move_round(app, review, opens_on=-40, closes_on=-5, review_due_on=5)
    stage(app, bulk.submissions(review, ikm, 3)[:2])
    other_partner, other_boss, _ = curation.partner(curators=0)
    curation.round(other_partner, other_boss, title="Ronde Mitra Lain")

    login(client, boss)
    home = client.get("/dasbor")
    # open, closing soon, in review, closed, staged
    assert counts_in(home, "partner-rounds") == [2, 1, 1, 0, 2]
    text = page_text(home)
    assert "Ronde Tutup Segera" in text and "Ronde Penilaian" in text
    assert "Ronde Mitra Lain" not in text
    assert text.index("Ronde Penilaian") < text.index("Ronde Tutup Segera")  # closes first
    assert f'href="/kurasi/ronde/{review.id}"' in home.text


def test_an_ikm_owner_sees_decisions_opportunities_quotes_and_expiring_certificates(
    app, client, make, curation, bulk, frozen_clock
):
    owner, ikm = make.ikm_owner()
    partner, boss, _ = curation.partner(curators=0)
    round = curation.round(partner, boss, title="Ronde Oleh-oleh")
    bulk.submissions(round, ikm, 2, state="accepted", published=True)
    bulk.submissions(round, ikm, 1, state="in_review")  # not decided: not shown
    buyer_org, _ = make.buyer()
    add_requests(app, buyer_org, 2, to=ikm)  # waiting for its quote
    add_requests(app, buyer_org, 1, quote_from=ikm)  # its quote waits for the buyer
    add_certificates(app, ikm, 2, days=15)
    add_certificates(app, ikm, 1, days=60)

    login(client, owner)
    text = page_text(client.get("/dasbor"))
    assert "Keputusan kurasi terbaru" in text
    assert text.count("Ronde Oleh-oleh · Diterima") == 2
    assert "2 permintaan menunggu penawaran Anda" in text
    assert "1 penawaran menunggu keputusan pembeli" in text
    assert "2 sertifikat habis berlaku dalam 30 hari" in text


def test_a_buyer_sees_its_requests_by_state_and_waiting_quotes(app, client, make, frozen_clock):
    buyer_org, user = make.buyer()
    _, ikm = make.ikm_owner()
    add_requests(app, buyer_org, 2, quote_from=ikm)  # open, a quote waits on each
    add_requests(app, buyer_org, 1, state="draft")
    add_requests(app, buyer_org, 1, state="awarded")
    other, _ = make.buyer()
    add_requests(app, other, 3)

    login(client, user)
    home = client.get("/dasbor")
    text = page_text(home)
    assert "Permintaan: Draf" in text and "Permintaan: Terbuka untuk penawaran" in text
    # draft, open, awarded; then quotes waiting, unread messages
    assert counts_in(home, "buying") == [1, 2, 1, 2, 0]
    assert 'href="/permintaan/"' in home.text


def test_a_buyer_without_requests_is_invited_to_post_one(client, buyer):
    login(client, buyer)
    text = page_text(client.get("/dasbor"))
    assert "Belum ada permintaan: buat satu" in text


def test_someone_with_every_role_sees_every_section_and_the_home_is_flat(
    app, client, make, curation, bulk, sql_statements, frozen_clock
):
    user = make.admin()
    partner, boss, _ = curation.partner(curators=0)
    make.member(partner, MemberRole.PARTNER_ADMIN, user)
    reviewing, reviewing_boss, _ = curation.partner(curators=0)
    make.member(reviewing, MemberRole.CURATOR, user)
    ikm = make.ikm(owner=user)
    buyer_org, _ = make.buyer(user=user)
    template = curation.round(partner, boss)
    to_review = curation.round(reviewing, reviewing_boss)
    _, supplier = make.ikm_owner()

    def add(n):
        bulk.ikms(n)
        bulk.certificates(supplier, n)
        add_certificates(app, ikm, n, days=5)
        bulk.rounds(partner, template, n)
        stage(app, bulk.submissions(template, supplier, n))
        bulk.assignments(user, bulk.submissions(to_review, supplier, n))
        bulk.submissions(template, ikm, n, state="accepted", published=True)
        add_requests(app, buyer_org, n, quote_from=supplier)
        add_requests(app, make.buyer()[0], n, to=ikm)
        add_events(app, n)

    login(client, user)
    home = assert_list_page_is_flat(client, sql_statements, "/dasbor", add, few=2, many=8)
    html = home.get_data(as_text=True)
    for section in ("trade-office", "reviews-due", "partner-rounds", "decisions", "buying"):
        assert re.search(rf"<section[^>]*\b{section}\b", html), section
    assert counts_in(home, "trade-office")[0] == 8
    assert "8 ulasan belum dikirim" in page_text(home)
    assert "8 sertifikat habis berlaku dalam 30 hari" in page_text(home)
