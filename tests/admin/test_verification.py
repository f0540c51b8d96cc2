import pytest

from app.core.audit import AuditEntry
from app.extensions import db
from app.orgs.models import IKM, Partner, VerificationStatus
from tests.conftest import login, page_text


@pytest.fixture
def admin_client(client, make):
    login(client, make.admin())
    return client


def test_admin_sees_the_queue_and_verifies_an_ikm(app, admin_client, make, outbox):
    owner, ikm = make.ikm_owner(status=VerificationStatus.PENDING)
    assert ikm.name in page_text(admin_client.get("/admin/ikm"))
    assert admin_client.post(f"/admin/ikm/{ikm.id}/verifikasi").status_code == 302
    with app.app_context():
        saved = db.session.get(IKM, ikm.id)
        assert saved.status == VerificationStatus.VERIFIED and saved.verified_by_id
        actions = db.session.scalars(db.select(AuditEntry.action).filter_by(object_id=ikm.id)).all()
        assert "ikm.verified" in actions
    assert outbox[-1]["To"] == owner.email


def test_rejection_needs_a_reason_that_the_owner_reads(app, admin_client, make, outbox):
    owner, ikm = make.ikm_owner(status=VerificationStatus.PENDING)
    empty = admin_client.post(f"/admin/ikm/{ikm.id}/tolak", data={"reason": "  "})
    assert empty.status_code == 400 and "alasan" in page_text(empty).lower()
    with app.app_context():
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.PENDING
    admin_client.post(f"/admin/ikm/{ikm.id}/tolak", data={"reason": "NIB <b>tidak</b> cocok"})
    with app.app_context():
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.REJECTED
    assert "NIB <b>tidak</b> cocok" in outbox[-1].get_content()
    admin_client.post("/akun/keluar")
    login(admin_client, owner)
    body = admin_client.get("/dasbor").get_data(as_text=True)
    assert "NIB &lt;b&gt;tidak&lt;/b&gt; cocok" in body


def test_a_draft_cannot_be_verified(app, admin_client, make):
    _, ikm = make.ikm_owner(status=VerificationStatus.DRAFT)
    admin_client.post(f"/admin/ikm/{ikm.id}/verifikasi", follow_redirects=True)
    with app.app_context():
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.DRAFT


def test_the_admin_area_does_not_exist_for_others(client, make):
    owner, ikm = make.ikm_owner(status=VerificationStatus.PENDING)
    curator, partner = make.partner_with("partner_admin")
    paths = [
        "/admin/",
        "/admin/ikm",
        f"/admin/ikm/{ikm.id}",
        "/admin/mitra",
        "/admin/mitra/baru",
        f"/admin/mitra/{partner.id}",
    ]
    posts = [f"/admin/ikm/{ikm.id}/verifikasi", f"/admin/mitra/{partner.id}/aktif"]
    for user in (None, owner, curator):
        if user:
            login(client, user)
        for path in paths:
            assert client.get(path).status_code == 404, (user, path)
        for path in posts:
            assert client.post(path).status_code == 404, (user, path)
        client.post("/akun/keluar")


def test_admin_creates_a_partner(app, admin_client):
    response = admin_client.post(
        "/admin/mitra/baru",
        data={
            "name": "The Keranjang Bali",
            "partner_type": "retailer",
            "website": "https://keranjang.example",
            "province_code": "51",
            "regency_code": "51.03",
            "description": "Pusat oleh-oleh",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.scalar(db.select(Partner))
        assert partner.name == "The Keranjang Bali" and partner.region_label.startswith(
            "Kabupaten Badung"
        )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Wajib diisi"),
        ({"website": "javascript:alert(1)"}, "http"),
        ({"partner_type": "bank"}, "Pilihan tidak valid"),
        ({"regency_code": "35.76"}, "provinsi yang dipilih"),
    ],
)
def test_partner_form_bad_input(app, admin_client, overrides, message):
    data = {
        "name": "Mitra",
        "partner_type": "retailer",
        "province_code": "51",
        "regency_code": "51.03",
    }
    data.update(overrides)
    response = admin_client.post("/admin/mitra/baru", data=data)
    assert response.status_code == 200 and message.lower() in page_text(response).lower()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Partner.id))) == 0


def test_admin_deactivates_and_reactivates_a_partner(app, admin_client, make):
    partner = make.partner()
    admin_client.post(f"/admin/mitra/{partner.id}/aktif")
    with app.app_context():
        assert not db.session.get(Partner, partner.id).is_active
    admin_client.post(f"/admin/mitra/{partner.id}/aktif")
    with app.app_context():
        assert db.session.get(Partner, partner.id).is_active
