import pytest

from app.catalog.models import Certificate, CertificateStatus
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import CatalogFactory


@pytest.fixture(autouse=True)
def _categories(categories):
    """The taxonomy is there."""


@pytest.fixture
def claimed(app, make):
    owner, ikm = make.ikm_owner()
    return owner, CatalogFactory(app).certificate(ikm)


def status_of(app, certificate):
    with app.app_context():
        return db.session.get(Certificate, certificate.id).status


def test_admin_opens_the_document_and_verifies(app, client, make, claimed, outbox):
    owner, certificate = claimed
    login(client, make.admin())
    queue = page_text(client.get("/admin/sertifikat"))
    assert certificate.number in queue
    detail = client.get(f"/admin/sertifikat/{certificate.id}").get_data(as_text=True)
    assert f"/sertifikat/{certificate.id}/dokumen" in detail
    assert client.post(f"/admin/sertifikat/{certificate.id}/verifikasi").status_code == 302
    assert status_of(app, certificate) == CertificateStatus.VERIFIED
    assert outbox[-1]["To"] == owner.email and certificate.number in outbox[-1].get_content()
    assert certificate.number not in page_text(client.get("/admin/sertifikat"))


def test_rejection_needs_a_reason_the_ikm_reads(app, client, make, claimed, outbox):
    owner, certificate = claimed
    login(client, make.admin())
    response = client.post(f"/admin/sertifikat/{certificate.id}/tolak", data={"reason": " "})
    assert response.status_code == 400 and status_of(app, certificate) == CertificateStatus.CLAIMED
    client.post(
        f"/admin/sertifikat/{certificate.id}/tolak", data={"reason": "Dokumen buram, unggah ulang."}
    )
    assert status_of(app, certificate) == CertificateStatus.REJECTED
    assert "Dokumen buram" in outbox[-1].get_content()
    client.post("/akun/keluar")
    login(client, owner)
    with app.app_context():
        ikm_id = db.session.get(Certificate, certificate.id).ikm_id
    assert "Dokumen buram, unggah ulang." in page_text(
        client.get(f"/kelola/ikm/{ikm_id}/sertifikat")
    )


def test_a_rejected_certificate_cannot_be_verified_without_a_new_claim(app, client, make, claimed):
    _, certificate = claimed
    login(client, make.admin())
    client.post(f"/admin/sertifikat/{certificate.id}/tolak", data={"reason": "Salah"})
    client.post(f"/admin/sertifikat/{certificate.id}/verifikasi")
    assert status_of(app, certificate) == CertificateStatus.REJECTED


def test_only_administrators_verify(app, client, make, claimed):
    owner, certificate = claimed
    curator, _ = make.partner_with("curator")
    for user in (owner, curator):
        login(client, user)
        assert client.get("/admin/sertifikat").status_code == 404
        assert client.post(f"/admin/sertifikat/{certificate.id}/verifikasi").status_code == 404
        client.post("/akun/keluar")
    assert status_of(app, certificate) == CertificateStatus.CLAIMED
