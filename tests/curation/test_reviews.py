from datetime import timedelta

import pytest

from app.core import clock
from app.curation.models import Review, ReviewScore, Round, Submission
from app.extensions import db
from tests.conftest import login, page_text


@pytest.fixture
def assigned(scene, curation):
    for curator in scene.curators[:2]:
        curation.assign(scene.submission, curator, scene.admin)
    return scene


def criteria(app, scene):
    with app.app_context():
        return [(c.id, c.scale_max) for c in db.session.get(Round, scene.round.id).rubric.criteria]


def review_form(app, scene, score=4, action="submit", **overrides):
    data = {f"score_{cid}": str(min(score, top)) for cid, top in criteria(app, scene)}
    data.update(
        {
            "comment": "Jahitan rapi, kemasan perlu label berat.",
            "private_note": "Harga agak tinggi.",
            "action": action,
        }
    )
    data.update(overrides)
    return data


def reviews(app):
    with app.app_context():
        return db.session.scalars(db.select(Review)).all()


def test_a_curator_saves_a_draft_then_submits_and_revises(app, client, assigned):
    curator = assigned.curators[0]
    login(client, curator)
    path = f"/kurasi/pengajuan/{assigned.submission.id}/ulasan"
    first_criterion = criteria(app, assigned)[0][0]
    draft = review_form(app, assigned, action="draft")
    del draft[f"score_{first_criterion}"]
    assert client.post(path, data=draft).status_code == 302
    [review] = reviews(app)
    assert review.submitted_at is None and review.total is None
    client.post(path, data=review_form(app, assigned, score=4))
    client.post(path, data=review_form(app, assigned, score=5))  # revised: updated, not duplicated
    [review] = reviews(app)
    assert review.submitted_at is not None and review.total == 100.0


def score_rows(app) -> dict[int, int]:
    with app.app_context():
        rows = db.session.execute(db.select(ReviewScore.criterion_id, ReviewScore.score))
        return {criterion: score for criterion, score in rows}


def test_a_submitted_reviews_scores_are_kept_as_rows_for_the_figures(app, client, assigned):
    login(client, assigned.curators[0])
    path = f"/kurasi/pengajuan/{assigned.submission.id}/ulasan"
    client.post(path, data=review_form(app, assigned, score=3, action="draft"))
    assert score_rows(app) == {}  # a draft is not counted
    client.post(path, data=review_form(app, assigned, score=4))
    expected = {cid: min(4, top) for cid, top in criteria(app, assigned)}
    assert score_rows(app) == expected
    client.post(path, data=review_form(app, assigned, score=2))  # revised: replaced
    assert score_rows(app) == {cid: 2 for cid, _ in criteria(app, assigned)}
    with app.app_context():
        [review] = db.session.scalars(db.select(Review)).all()
        at = {r.submitted_at for r in db.session.scalars(db.select(ReviewScore))}
        assert at == {review.submitted_at}


def test_submitting_needs_every_criterion_within_its_scale(app, client, assigned):
    login(client, assigned.curators[0])
    path = f"/kurasi/pengajuan/{assigned.submission.id}/ulasan"
    partial = review_form(app, assigned)
    del partial[next(k for k in partial if k.startswith("score_"))]
    response = client.post(path, data=partial)
    assert response.status_code == 200 and "setiap kriteria" in page_text(response).lower()
    out_of_scale = review_form(app, assigned, **{f"score_{criteria(app, assigned)[0][0]}": "9"})
    assert client.post(path, data=out_of_scale).status_code == 200
    assert reviews(app) == []


def test_other_reviews_stay_hidden_until_ones_own_is_submitted(app, client, assigned, curation):
    first, second = assigned.curators[:2]
    curation.review(assigned.submission, first, score=5, comment="Sangat unik")
    login(client, second)
    page = page_text(client.get(f"/kurasi/pengajuan/{assigned.submission.id}"))
    assert "Sangat unik" not in page and first.full_name not in page
    curation.review(assigned.submission, second, score=3)
    page = page_text(client.get(f"/kurasi/pengajuan/{assigned.submission.id}"))
    assert (
        "Sangat unik" in page and "Catatan pribadi" not in page
    )  # private notes stay with the partner


def test_the_partner_sees_every_review_with_mean_median_and_disagreement(
    app, client, assigned, curation
):
    first, second = assigned.curators[:2]
    curation.review(assigned.submission, first, score=5)
    curation.review(assigned.submission, second, score=2)
    login(client, assigned.admin)
    page = page_text(client.get(f"/kurasi/pengajuan/{assigned.submission.id}"))
    assert "Catatan pribadi" in page and first.full_name in page
    assert "62,5" in page  # mean of 100 and 25, with the Indonesian decimal comma
    table = page_text(client.get(f"/kurasi/ronde/{assigned.round.id}"))
    assert "62,5" in table and "berbeda" in table.lower()


def test_blind_rounds_hide_the_ikm_from_curators(app, client, curation):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin, is_blind=True)
    owner, product = curation.product()
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curators[0], admin)
    with app.app_context():
        ikm_name = db.session.get(Submission, submission.id).ikm.name
    login(client, curators[0])
    for path in (
        f"/kurasi/pengajuan/{submission.id}",
        f"/kurasi/pengajuan/{submission.id}/ulasan",
        "/kurasi/tugas",
    ):
        assert ikm_name not in page_text(client.get(path)), path
    client.post("/akun/keluar")
    login(client, admin)
    assert ikm_name in page_text(client.get(f"/kurasi/pengajuan/{submission.id}"))


def test_no_scores_after_the_round_closes_or_the_decision_is_published(
    app, client, assigned, curation
):
    first = assigned.curators[0]
    curation.review(assigned.submission, first, score=4)
    with app.app_context():
        db.session.get(Round, assigned.round.id).closed_at = clock.now()
        db.session.commit()
    login(client, first)
    path = f"/kurasi/pengajuan/{assigned.submission.id}/ulasan"
    assert client.get(path).status_code == 404
    client.post(path, data=review_form(app, assigned, score=1))
    [review] = reviews(app)
    assert review.total == 75.0


def test_reviews_late_past_the_deadline_are_still_taken_until_the_decision(
    app, client, assigned, frozen_clock
):
    frozen_clock.set(frozen_clock.current + timedelta(days=40))
    login(client, assigned.curators[0])
    client.post(
        f"/kurasi/pengajuan/{assigned.submission.id}/ulasan", data=review_form(app, assigned)
    )
    assert len(reviews(app)) == 1


def test_due_reminders_are_sent_once(app, frozen_clock, assigned, curation, outbox):
    # frozen_clock first: the round's dates are set relative to the clock it sees.
    curation.review(assigned.submission, assigned.curators[0])  # done: no reminder
    runner = app.test_cli_runner()
    assert "0 reminder(s)" in runner.invoke(args=["curation", "remind"]).output  # due in 20 days
    frozen_clock.set(frozen_clock.current + timedelta(days=18))
    assert "1 reminder(s)" in runner.invoke(args=["curation", "remind"]).output
    assert "0 reminder(s)" in runner.invoke(args=["curation", "remind"]).output
    due = [
        m for m in outbox if "tenggat" in m.get_content().lower() or "due" in m["Subject"].lower()
    ]
    reminded = [m["To"] for m in outbox if m["Subject"] and "tenggat" in m["Subject"].lower()]
    assert reminded == [assigned.curators[1].email], [m["Subject"] for m in outbox]
    assert due


def test_a_due_reminder_writes_the_date_as_the_site_does(app, curation, outbox):
    from app.auth.models import User
    from app.core.notifications import Notification

    partner, admin, [curator] = curation.partner(curators=1)
    due_on = clock.today() + timedelta(days=2)
    round = curation.round(partner, admin, closes_on=clock.today(), review_due_on=due_on)
    submission = curation.submission(round, *curation.product())
    curation.assign(submission, curator, admin)
    assert "1 reminder(s)" in app.test_cli_runner().invoke(args=["curation", "remind"]).output
    with app.app_context():
        user = db.session.get(User, curator.id)
        [text] = db.session.scalars(
            db.select(Notification.text)
            .filter_by(user_id=user.id)
            .where(Notification.key.startswith("due:"))
        )
        with app.test_request_context():
            expected = app.jinja_env.filters["date"](due_on)
    assert due_on.isoformat() not in text
    assert expected in text, text


def test_scores_are_written_with_a_decimal_comma(client, assigned, curation):
    curation.review(assigned.submission, assigned.curators[0], score=4)  # 75
    curation.review(assigned.submission, assigned.curators[1], score=5)  # 100
    login(client, assigned.admin)
    page = page_text(client.get(f"/kurasi/pengajuan/{assigned.submission.id}"))
    assert "87,5" in page and "87.5" not in page
    assert "87,5" in page_text(client.get(f"/kurasi/ronde/{assigned.round.id}"))


def test_the_review_form_shows_the_submitted_product_beside_the_rubric(
    app, client, curation, catalog
):
    from app.catalog.models import Product

    partner, admin, [curator] = curation.partner(curators=1)
    round = curation.round(partner, admin)
    owner, product = curation.product(materials="Kulit sapi, sol karet")
    with app.app_context():
        ikm = db.session.get(Product, product.id).ikm
    catalog.certificate(ikm, kind="hki", number="IDM000123456", products=[product])
    with app.app_context():
        from app.catalog import services
        from tests.catalog.files import jpeg

        services.add_photo(db.session.get(Product, product.id), jpeg(), by=None)
        db.session.commit()
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curator, admin)
    login(client, curator)
    response = client.get(f"/kurasi/pengajuan/{submission.id}/ulasan")
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert html.count('class="gallery-main"') == 2 and 'class="gallery-strip"' in html
    for fact in (
        "Alas kaki › Sepatu wanita",
        "Pantofel kulit sapi dijahit tangan",
        "Kulit sapi, sol karet",
        "Rp285.000",
        "Rp255.000",
        "Pemesanan minimum 12 pasang",
        "Kapasitas per bulan 600 pasang",
        "21 hari",
        "Merek (HKI/DJKI) IDM000123456",
        "Sedang diverifikasi",
    ):
        assert fact in text, fact
    assert text.index("Rp285.000") < text.index("Kirim penilaian")  # the product, then the rubric
