from datetime import timedelta

import pytest

from app.core import clock
from app.curation.models import Review, Round, Submission
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
    assert "62.5" in page  # mean of 100 and 25
    table = page_text(client.get(f"/kurasi/ronde/{assigned.round.id}"))
    assert "62.5" in table and "berbeda" in table.lower()


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
    # The clock is frozen before the round is made, so that its due date follows the clock.
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
