import re
from collections import Counter

from app.auth.models import User
from app.curation import assignment
from app.curation.models import Assignment, Conflict, Review, Round, Submission, SubmissionState
from app.extensions import db
from app.orgs.models import MemberRole
from tests.conftest import login, page_text


def loads(app, round):
    with app.app_context():
        rows = db.session.scalars(
            db.select(Assignment)
            .join(Submission)
            .where(Submission.round_id == round.id, Assignment.removed_at.is_(None))
        )
        return Counter(a.curator_id for a in rows)


def test_partner_admin_assigns_by_hand_and_the_curator_is_told(app, client, scene, outbox):
    login(client, scene.admin)
    curator = scene.curators[0]
    client.post(
        f"/kurasi/pengajuan/{scene.submission.id}/tugaskan", data={"curator_id": str(curator.id)}
    )
    with app.app_context():
        submission = db.session.get(Submission, scene.submission.id)
        assert submission.state == SubmissionState.IN_REVIEW
        assert [a.curator_id for a in submission.current_assignments()] == [curator.id]
    assert outbox[-1]["To"] == curator.email
    client.post(
        f"/kurasi/pengajuan/{scene.submission.id}/tugaskan", data={"curator_id": str(curator.id)}
    )
    assert loads(app, scene.round)[curator.id] == 1  # not twice


def test_only_the_partners_curators_can_be_assigned(app, client, scene, curation):
    _, _, strangers = curation.partner(curators=1)
    login(client, scene.admin)
    client.post(
        f"/kurasi/pengajuan/{scene.submission.id}/tugaskan",
        data={"curator_id": str(strangers[0].id)},
    )
    assert loads(app, scene.round) == Counter()


def test_auto_assignment_is_balanced_and_respects_the_limit(app, client, curation):
    partner, admin, _curators = curation.partner(curators=3)
    round = curation.round(partner, admin, curators_per_submission=2)
    for _ in range(6):
        owner, product = curation.product()
        curation.submission(round, owner, product)
    login(client, admin)
    client.post(f"/kurasi/ronde/{round.id}/tugaskan-otomatis", data={"max_per_curator": ""})
    counts = loads(app, round)
    assert sorted(counts.values()) == [4, 4, 4]  # 12 seats over 3 curators
    with app.app_context():
        for submission in db.session.get(Round, round.id).submissions:
            curators_of = [a.curator_id for a in submission.current_assignments()]
            assert len(set(curators_of)) == 2


def test_each_curator_gets_one_email_per_automatic_run(app, client, curation, outbox):
    partner, admin, curators = curation.partner(curators=2)
    round = curation.round(partner, admin, curators_per_submission=1)
    for _ in range(3):
        owner, product = curation.product()
        curation.submission(round, owner, product)
    login(client, admin)
    client.post(f"/kurasi/ronde/{round.id}/tugaskan-otomatis", data={"max_per_curator": ""})
    addresses = sorted(c.email for c in curators)
    sent = [m for m in outbox if m["To"] in addresses]
    assert sorted(m["To"] for m in sent) == addresses
    bodies = [m.get_content() for m in sent]
    counts = [re.search(r"Ada (\d+) produk baru", b) for b in bodies]
    assert sorted(int(c.group(1)) for c in counts) == [1, 2]  # 3 products over 2 curators
    assert "(s)" not in "".join(bodies)


def test_a_limit_per_curator_leaves_seats_empty_and_says_so(app, client, curation):
    partner, admin, _curators = curation.partner(curators=2)
    round = curation.round(partner, admin, curators_per_submission=2)
    for _ in range(3):
        owner, product = curation.product()
        curation.submission(round, owner, product)
    login(client, admin)
    response = client.post(
        f"/kurasi/ronde/{round.id}/tugaskan-otomatis",
        data={"max_per_curator": "2"},
        follow_redirects=True,
    )
    assert max(loads(app, round).values()) == 2
    assert "1 pengajuan" in page_text(response) or "masih" in page_text(response).lower()


def test_conflicts_are_never_assigned(app, client, curation, make):
    partner, admin, curators = curation.partner(curators=3)
    member_curator, declared, free = curators
    round = curation.round(partner, admin, curators_per_submission=3)
    owner, product = curation.product()
    with app.app_context():
        from app.orgs.models import IKM
        from app.orgs.services import add_member

        add_member(
            db.session.get(IKM, product.ikm_id),
            db.session.get(User, member_curator.id),
            MemberRole.STAFF,
            by=None,
        )
        db.session.add(
            Conflict(curator_id=declared.id, ikm_id=product.ikm_id, reason="Saudara pemilik")
        )
        db.session.commit()
    submission = curation.submission(round, owner, product)
    with app.app_context():
        assignment.auto_assign(db.session.get(Round, round.id), by=db.session.get(User, admin.id))
        db.session.commit()
        assert [
            a.curator_id for a in db.session.get(Submission, submission.id).current_assignments()
        ] == [free.id]
    login(client, admin)
    for curator in (member_curator, declared):
        response = client.post(
            f"/kurasi/pengajuan/{submission.id}/tugaskan",
            data={"curator_id": str(curator.id)},
            follow_redirects=True,
        )
        assert "konflik kepentingan" in page_text(response).lower()


def test_a_declared_conflict_frees_the_seat_for_reassignment(app, client, scene, curation):
    curator = scene.curators[0]
    curation.assign(scene.submission, curator, scene.admin)
    login(client, curator)
    client.post(
        f"/kurasi/pengajuan/{scene.submission.id}/konflik",
        data={"reason": "Kenal dekat pemiliknya"},
    )
    with app.app_context():
        submission = db.session.get(Submission, scene.submission.id)
        assert submission.current_assignments() == []
        assert db.session.scalar(
            db.select(Conflict).filter_by(curator_id=curator.id, ikm_id=submission.ikm_id)
        )
    assert client.get(f"/kurasi/pengajuan/{scene.submission.id}").status_code == 404
    with app.app_context():
        assignment.auto_assign(
            db.session.get(Round, scene.round.id), by=db.session.get(User, scene.admin.id)
        )
        db.session.commit()
        assigned = {
            a.curator_id
            for a in db.session.get(Submission, scene.submission.id).current_assignments()
        }
    assert curator.id not in assigned and len(assigned) == 2


def test_an_unassigned_curator_gets_404_everywhere_and_writes_nothing(
    app, client, scene, curation, catalog
):
    certificate = catalog.certificate(
        type("I", (), {"id": scene.product.ikm_id}), status="verified"
    )
    curation.assign(scene.submission, scene.curators[0], scene.admin)
    outsider = scene.curators[1]
    login(client, outsider)
    sid = scene.submission.id
    assert client.get(f"/kurasi/pengajuan/{sid}").status_code == 404
    assert client.get(f"/kurasi/pengajuan/{sid}/ulasan").status_code == 404
    assert (
        client.post(
            f"/kurasi/pengajuan/{sid}/ulasan", data={"action": "submit", "comment": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/kurasi/pengajuan/{sid}/konflik", data={"reason": "x"}).status_code == 404
    assert client.get(f"/sertifikat/{certificate.id}/dokumen").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Review.id))) == 0


def test_assigned_curators_open_the_certificate_documents_of_the_snapshot(
    app, client, curation, catalog
):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin)
    owner, product = curation.product()
    certificate = catalog.certificate(
        type("I", (), {"id": product.ikm_id}),
        kind="hki",
        number="IDM000123456",
        status="verified",
        products=[product],
    )
    submission = curation.submission(round, owner, product)
    curation.assign(submission, curators[0], admin)
    login(client, curators[0])
    with client.get(f"/sertifikat/{certificate.id}/dokumen") as response:
        assert response.status_code == 200
    client.post("/akun/keluar")
    login(client, admin)
    with client.get(f"/sertifikat/{certificate.id}/dokumen") as response:
        assert response.status_code == 200


def test_the_queue_lists_work_with_due_dates(client, scene, curation):
    curation.assign(scene.submission, scene.curators[0], scene.admin)
    login(client, scene.curators[0])
    text = page_text(client.get("/kurasi/tugas"))
    assert scene.product.name in text and "tenggat" in text.lower()


def test_a_curators_open_count_drops_when_the_work_is_done(app, client, curation):
    """The count beside each curator is the work still on their desk."""
    from app.core import clock

    partner, admin, [curator] = curation.partner(curators=1)
    round = curation.round(partner, admin)
    made = [curation.submission(round, *curation.product()) for _ in range(4)]
    for submission in made:
        curation.assign(submission, curator, admin)
    curation.review(made[0], curator)  # submitted: done
    curation.review(made[1], curator, submit=False)  # a draft: still open
    with app.app_context():  # decided without this curator's review: nothing left to do
        decided = db.session.get(Submission, made[2].id)
        decided.state, decided.published_at = SubmissionState.ACCEPTED, clock.now()
        db.session.commit()
    login(client, admin)
    text = page_text(client.get(f"/kurasi/ronde/{round.id}"))
    assert re.search(r"\b2 belum selesai\b", text), text
    with app.app_context():
        assert assignment.open_load(db.session.get(Round, round.id)) == {curator.id: 2}
