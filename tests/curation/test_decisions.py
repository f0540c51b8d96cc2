import csv
import io

import pytest

from app.catalog.models import Product
from app.core.notifications import Notification
from app.curation import listing, reviews
from app.curation.models import Round, Submission, SubmissionState
from app.extensions import db
from tests.conftest import login, page_text


@pytest.fixture
def reviewed(scene, curation):
    for index, curator in enumerate(scene.curators[:2]):
        curation.assign(scene.submission, curator, scene.admin)
        curation.review(
            scene.submission, curator, score=4, comment=f"Komentar dari kurator nomor {index}"
        )
    return scene


def decide(client, scene, decision, reason="", conditions=""):
    return client.post(
        f"/kurasi/pengajuan/{scene.submission.id}/keputusan",
        data={"decision": decision, "reason": reason, "conditions": conditions},
    )


def state(app, scene):
    with app.app_context():
        return db.session.get(Submission, scene.submission.id).state


def test_accept_with_conditions_is_staged_then_published(app, client, reviewed, outbox):
    login(client, reviewed.admin)
    decide(
        client, reviewed, "accept", "Produk bagus.", "Tambahkan berat bersih di label\nGanti kardus"
    )
    assert state(app, reviewed) == SubmissionState.IN_REVIEW  # staged: nobody is told yet
    assert not [
        m for m in outbox if m["To"] == reviewed.owner.email and "diterima" in m["Subject"].lower()
    ]
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")
    assert state(app, reviewed) == SubmissionState.ACCEPTED
    told = [m for m in outbox if m["To"] == reviewed.owner.email and "diterima" in m["Subject"]]
    assert len(told) == 1  # the subject says the outcome, not only that there is one
    assert told[0]["Subject"] == f"{reviewed.product.name} diterima di {reviewed.round.title}."
    with app.app_context():
        product = db.session.get(Product, reviewed.product.id)
        [badge] = listing.curation_badges(product)
        assert badge.partner_id == reviewed.partner.id and badge.round_id == reviewed.round.id
    client.post("/akun/keluar")
    login(client, reviewed.owner)
    page = page_text(client.get(f"/kurasi/pengajuan/{reviewed.submission.id}"))
    assert "Tambahkan berat bersih di label" in page and "Produk bagus." in page
    client.post(f"/kurasi/pengajuan/{reviewed.submission.id}/syarat/0")
    with app.app_context():
        conditions = db.session.get(Submission, reviewed.submission.id).conditions
        assert conditions[0]["done_at"] and not conditions[1]["done_at"]


def test_reject_and_revision_need_a_reason(app, client, reviewed):
    login(client, reviewed.admin)
    for decision in ("reject", "revise"):
        decide(client, reviewed, decision, reason="  ")
        with app.app_context():
            assert db.session.get(Submission, reviewed.submission.id).staged_decision is None
    decide(client, reviewed, "bogus", reason="x")
    with app.app_context():
        assert db.session.get(Submission, reviewed.submission.id).staged_decision is None


def test_publishing_tells_each_ikm_once(app, client, reviewed):
    login(client, reviewed.admin)
    decide(client, reviewed, "reject", "Belum sesuai segmen toko kami.")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")  # nothing left to publish
    with app.app_context():
        keys = db.session.scalars(
            db.select(Notification.key).filter_by(user_id=reviewed.owner.id)
        ).all()
    assert sum(k.startswith("decision:") for k in keys) == 1
    with app.app_context():
        [text] = db.session.scalars(
            db.select(Notification.text).where(
                Notification.user_id == reviewed.owner.id, Notification.key.startswith("decision:")
            )
        ).all()
    assert text == f"{reviewed.product.name} tidak diterima di {reviewed.round.title}."
    with app.app_context():
        assert listing.curation_badges(db.session.get(Product, reviewed.product.id)) == []


@pytest.mark.parametrize(
    "visibility, sees_averages, sees_comments",
    [("nothing", False, False), ("averages", True, False), ("comments", True, True)],
)
def test_what_the_ikm_sees_follows_the_round(
    app, client, reviewed, visibility, sees_averages, sees_comments
):
    with app.app_context():
        db.session.get(Round, reviewed.round.id).feedback_visibility = visibility
        db.session.commit()
    login(client, reviewed.admin)
    decide(client, reviewed, "revise", "Perbaiki kemasan.")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")
    client.post("/akun/keluar")
    login(client, reviewed.owner)
    page = page_text(client.get(f"/kurasi/pengajuan/{reviewed.submission.id}"))
    assert "Perbaiki kemasan." in page
    assert ("Kualitas produk" in page and "75%" in page) is sees_averages
    assert ("Komentar dari" in page) is sees_comments
    assert "Catatan pribadi" not in page
    for curator in reviewed.curators[:2]:
        assert curator.full_name not in page  # the IKM never sees who scored


def test_feedback_stays_hidden_before_publication(app, client, reviewed):
    login(client, reviewed.admin)
    decide(client, reviewed, "revise", "Rahasia sampai diterbitkan")
    client.post("/akun/keluar")
    login(client, reviewed.owner)
    page = page_text(client.get(f"/kurasi/pengajuan/{reviewed.submission.id}"))
    assert "Rahasia sampai diterbitkan" not in page and "Komentar dari" not in page


def test_revise_and_resubmit_starts_a_new_cycle_with_history(app, client, reviewed, curation):
    login(client, reviewed.admin)
    decide(client, reviewed, "revise", "Perbaiki kemasan.")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")
    client.post("/akun/keluar")
    login(client, reviewed.owner)
    with app.app_context():
        db.session.get(Product, reviewed.product.id).description = (
            "Kemasan baru dengan label berat bersih. " * 3
        )
        db.session.commit()
    client.post(f"/kurasi/pengajuan/{reviewed.submission.id}/ajukan-ulang")
    with app.app_context():
        submission = db.session.get(Submission, reviewed.submission.id)
        assert submission.state == SubmissionState.SUBMITTED and submission.cycle == 2
        assert "Kemasan baru" in submission.snapshot["description"]
        assert [e.action for e in submission.events] == [
            "submit",
            "start_review",
            "request_revision",
            "resubmit",
        ]
    client.post("/akun/keluar")
    login(client, reviewed.admin)
    client.post(f"/kurasi/ronde/{reviewed.round.id}/tugaskan-otomatis", data={})
    with app.app_context():
        submission = db.session.get(Submission, reviewed.submission.id)
        again = {a.curator_id for a in submission.current_assignments()}
        assert again == {c.id for c in reviewed.curators[:2]}  # the same curators look again
        assert reviews.summary(submission).count == 0  # a fresh cycle
    page = page_text(client.get(f"/kurasi/pengajuan/{reviewed.submission.id}"))
    assert "Putaran 1" in page and "Putaran 2" in page


def test_closing_needs_every_decision_published(app, client, reviewed):
    login(client, reviewed.admin)
    client.post(f"/kurasi/ronde/{reviewed.round.id}/tutup")
    with app.app_context():
        assert db.session.get(Round, reviewed.round.id).closed_at is None
    decide(client, reviewed, "accept")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/terbitkan")
    client.post(f"/kurasi/ronde/{reviewed.round.id}/tutup")
    with app.app_context():
        assert db.session.get(Round, reviewed.round.id).closed_at is not None


def test_the_csv_export_is_formula_safe(app, client, curation):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin)
    owner, product = curation.product(name='=HYPERLINK("http://evil.example","klik")')
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curators[0], admin)
    curation.review(submission, curators[0], score=5)
    login(client, admin)
    response = client.get(f"/kurasi/ronde/{round.id}/hasil.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Peringkat", "Pengajuan", "Produk"]
    assert rows[1][2].startswith("'=HYPERLINK") and rows[1][0] == "1" and rows[1][9] == "100.0"


def test_the_csv_export_speaks_the_users_language(app, client, curation):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin)
    owner, product = curation.product()
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curators[0], admin)
    curation.review(submission, curators[0], score=5)
    login(client, admin)

    def export():
        body = client.get(f"/kurasi/ronde/{round.id}/hasil.csv").get_data(as_text=True)
        header, row = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        return dict(zip(header, row, strict=True))

    indonesian = export()
    assert indonesian["Status"] == "Sedang dinilai" and indonesian["Lulus"] == "ya"
    assert "in_review" not in indonesian.values()
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    english = export()
    assert english["State"] == "In review" and english["Passes"] == "yes"


def test_statistics_show_counts_pass_rate_and_shortfalls(app, client, curation):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin)
    submissions = []
    for score in (5, 2):
        owner, product = curation.product()
        submission = curation.submission(round, owner, product)
        curation.assign(submission, curators[0], admin)
        curation.review(submission, curators[0], score=score)
        submissions.append(submission)
    login(client, admin)
    client.post(f"/kurasi/pengajuan/{submissions[0].id}/keputusan", data={"decision": "accept"})
    client.post(
        f"/kurasi/pengajuan/{submissions[1].id}/keputusan",
        data={"decision": "reject", "reason": "Kurang"},
    )
    client.post(f"/kurasi/ronde/{round.id}/terbitkan")
    page = page_text(client.get(f"/kurasi/ronde/{round.id}/statistik"))
    assert "50%" in page  # one of two accepted; every criterion half the time in the lower half
    assert "Kualitas produk" in page


def test_a_staged_decision_is_named_in_the_users_language(client, reviewed):
    login(client, reviewed.admin)
    decide(client, reviewed, "revise", "Perbaiki label.")
    text = page_text(client.get(f"/kurasi/ronde/{reviewed.round.id}"))
    assert "disiapkan: Minta revisi" in text, text
    assert "disiapkan: revise" not in text
