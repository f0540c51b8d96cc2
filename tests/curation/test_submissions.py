from datetime import timedelta

import pytest

from app.catalog.models import Product
from app.core import clock
from app.curation.models import Submission, SubmissionState
from app.extensions import db
from app.orgs.models import IKM
from tests.conftest import login, page_text


def submit(client, ikm_id, round_id, product_id):
    return client.post(
        f"/kurasi/ikm/{ikm_id}/ronde/{round_id}",
        data={"product_id": str(product_id)},
        follow_redirects=True,
    )


@pytest.fixture
def setting(curation):
    partner, admin, _curators = curation.partner()
    round = curation.round(partner, admin)
    owner, product = curation.product()
    return round, owner, product


def test_an_ikm_sees_the_open_round_and_submits(app, client, setting, outbox):
    round, owner, product = setting
    login(client, owner)
    ikm_id = product.ikm_id
    assert round.title in page_text(client.get(f"/kurasi/ikm/{ikm_id}"))
    response = submit(client, ikm_id, round.id, product.id)
    assert product.name in page_text(response)
    with app.app_context():
        submission = db.session.scalar(db.select(Submission))
        assert submission.state == SubmissionState.SUBMITTED and submission.cycle == 1
        assert submission.snapshot["name"] == product.name and submission.snapshot["photos"]
        assert [e.action for e in submission.events] == ["submit"]
    assert outbox[-1]["To"] == owner.email
    assert "Notifikasi (1)" in page_text(client.get("/notifikasi"))


def test_each_unmet_requirement_is_named(app, client, curation, make):
    partner, admin, _ = curation.partner(curators=0)
    round = curation.round(
        partner, admin, sectors=("makanan",), min_capacity=100, min_capacity_unit="kodi"
    )
    owner, snack = curation.product(category="keripik", capacity_monthly=1000)  # 1000 pcs = 50 kodi
    login(client, owner)
    text = page_text(client.get(f"/kurasi/ikm/{snack.ikm_id}/ronde/{round.id}"))
    assert "Halal" in text and "P-IRT / BPOM" in text and "100 kodi" in text
    response = submit(client, snack.ikm_id, round.id, snack.id)
    assert "Halal" in page_text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_a_product_outside_the_rounds_categories_or_of_an_unverified_ikm_is_refused(
    app, client, curation, make
):
    partner, admin, _ = curation.partner(curators=0)
    round = curation.round(partner, admin, sectors=("batik",))
    owner, shoes = curation.product()
    login(client, owner)
    text = page_text(client.get(f"/kurasi/ikm/{shoes.ikm_id}/ronde/{round.id}"))
    assert "tidak menerima" in text.lower()
    with app.app_context():
        db.session.get(IKM, shoes.ikm_id).status = "pending"
        db.session.commit()
    response = submit(client, shoes.ikm_id, round.id, shoes.id)
    assert "diverifikasi" in page_text(response).lower()


def test_one_submission_per_product_per_round(app, client, setting, curation):
    round, owner, product = setting
    curation.submission(round, owner, product)
    login(client, owner)
    submit(client, product.ikm_id, round.id, product.id)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 1


def test_a_closed_round_takes_no_submissions(app, client, curation, frozen_clock):
    partner, admin, _ = curation.partner(curators=0)
    round = curation.round(partner, admin)
    owner, product = curation.product()
    frozen_clock.set(frozen_clock.current + timedelta(days=11))  # past the closing day
    login(client, owner)
    response = submit(client, product.ikm_id, round.id, product.id)
    assert "tidak sedang menerima pengajuan" in page_text(response).lower()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_withdraw_before_review_and_submit_again(app, client, scene, curation):
    login(client, scene.owner)
    client.post(f"/kurasi/pengajuan/{scene.submission.id}/tarik")
    with app.app_context():
        assert db.session.get(Submission, scene.submission.id).state == SubmissionState.WITHDRAWN
    submit(client, scene.product.ikm_id, scene.round.id, scene.product.id)
    with app.app_context():
        submission = db.session.get(Submission, scene.submission.id)
        assert submission.state == SubmissionState.SUBMITTED
        assert [e.action for e in submission.events] == ["submit", "withdraw", "submit"]


def test_no_withdrawal_once_review_started(app, client, scene, curation):
    curation.assign(scene.submission, scene.curators[0], scene.admin)
    login(client, scene.owner)
    client.post(f"/kurasi/pengajuan/{scene.submission.id}/tarik")
    with app.app_context():
        assert db.session.get(Submission, scene.submission.id).state == SubmissionState.IN_REVIEW


def test_curators_review_the_snapshot_and_see_later_edits(app, client, scene, curation):
    curation.assign(scene.submission, scene.curators[0], scene.admin)
    with app.app_context():
        product = db.session.get(Product, scene.product.id)
        product.retail_price = 999000
        product.name = "Nama baru"
        db.session.commit()
    login(client, scene.curators[0])
    text = page_text(client.get(f"/kurasi/pengajuan/{scene.submission.id}"))
    assert scene.product.name in text and "Rp285.000" in text  # as submitted
    assert "retail_price" in text and "name" in text  # listed as changed


def test_others_cannot_see_or_touch_a_submission(app, client, scene, make):
    other_owner, _ = make.ikm_owner()
    _, buyer = make.buyer()
    for user in (other_owner, buyer, scene.curators[0]):  # not assigned
        login(client, user)
        assert client.get(f"/kurasi/pengajuan/{scene.submission.id}").status_code == 404
        assert client.post(f"/kurasi/pengajuan/{scene.submission.id}/tarik").status_code == 404
        assert client.get(f"/kurasi/ikm/{scene.product.ikm_id}").status_code == 404
        client.post("/akun/keluar")
    with app.app_context():
        assert db.session.get(Submission, scene.submission.id).state == SubmissionState.SUBMITTED


def test_a_product_of_another_ikm_cannot_be_submitted(app, client, setting, make):
    round, _owner, product = setting
    intruder, other_ikm = make.ikm_owner()
    login(client, intruder)
    assert submit(client, other_ikm.id, round.id, product.id).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0
    assert clock.today()


@pytest.mark.parametrize("product_id", ["²", "١٢", "99999999999", "-1", " 1"])
def test_a_product_id_that_is_no_id_is_a_404(app, client, setting, product_id):
    round, owner, product = setting
    login(client, owner)
    assert submit(client, product.ikm_id, round.id, product_id).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_a_rounds_requirements_name_the_sector_not_its_code(client, curation):
    partner, admin, _ = curation.partner(curators=0)
    round = curation.round(partner, admin, sectors=("makanan",))
    owner, snack = curation.product(category="keripik")
    login(client, owner)
    text = page_text(client.get(f"/kurasi/ikm/{snack.ikm_id}/ronde/{round.id}"))
    assert "makanan:" not in text
    assert "Makanan: Halal (BPJPH) terverifikasi" in text, text


def test_certificate_types_show_their_names_to_curators(app, client, scene, curation, catalog):
    from app.catalog.models import Product

    with app.app_context():
        ikm = db.session.get(Product, scene.product.id).ikm
    catalog.certificate(
        ikm, kind="other", number="SKU-7", title="Green Label", products=[scene.product]
    )
    submission = curation.submission(
        curation.round(scene.partner, scene.admin, title="Ronde dua"), scene.owner, scene.product
    )
    login(client, scene.admin)
    text = page_text(client.get(f"/kurasi/pengajuan/{submission.id}"))
    assert "OTHER" not in text
    assert "Lainnya: Green Label SKU-7" in text, text
