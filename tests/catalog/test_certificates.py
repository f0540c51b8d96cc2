import io
from datetime import date, timedelta

import pytest

from app.catalog.models import Certificate, CertificateStatus
from app.core import clock
from app.extensions import db
from app.storage import StoredFile
from tests.catalog import files
from tests.conftest import login, page_text
from tests.factories import pirt_number


def days_from_today(days: int) -> str:
    """A date as a form field holds it, counted from the app's today."""
    return (clock.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def owner_ikm(make, client):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    return owner, ikm


def certificate_form(**overrides):
    data = {
        "type": "halal",
        "title": "",
        "number": "ID 3511 0000 1234 50122",
        "issuer": "BPJPH",
        "issued_on": days_from_today(-300),
        "valid_until": "",
        "nice_class": "",
        "standard": "",
        "document": (io.BytesIO(files.pdf()), "halal.pdf"),
    }
    data.update(overrides)
    return data


def post_new(client, ikm, **overrides):
    return client.post(
        f"/kelola/ikm/{ikm.id}/sertifikat/baru",
        data=certificate_form(**overrides),
        content_type="multipart/form-data",
    )


def only_certificate(app):
    with app.app_context():
        return db.session.scalar(db.select(Certificate))


def test_an_ikm_adds_a_halal_certificate_covering_products(app, client, owner_ikm, catalog):
    _, ikm = owner_ikm
    product = catalog.product(ikm, category="keripik")
    response = post_new(client, ikm, product_ids=[str(product.id)])
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(db.select(Certificate))
        assert certificate.number == "ID35110000123450122"
        assert certificate.status == CertificateStatus.CLAIMED and certificate.valid_until is None
        assert [p.id for p in certificate.products] == [product.id]
        assert certificate.document.content_type == "application/pdf"
    assert "Sedang diverifikasi" in page_text(client.get(f"/kelola/ikm/{ikm.id}/sertifikat"))


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"number": "12345"}, "ID35110000123450122"),
        ({"type": "hki", "number": "IDM12345"}, "IDM000123456"),
        ({"type": "bpom", "number": "MD 12345"}, "MD 224510123456"),
        ({"type": "pirt", "number": "P-IRT No. 1234"}, "15 digit"),
        ({"type": "sni", "number": "LSPRO-01/2024", "standard": "ISO 9001"}, "SNI 887:2023"),
        ({"type": "other", "number": "ISO-123"}, "jenis sertifikat"),
        ({"issued_on": days_from_today(7)}, "masa mendatang"),
        ({"issued_on": days_from_today(-300), "valid_until": days_from_today(-330)}, "setelah"),
        ({"issued_on": "kemarin"}, "tanggal tidak valid"),
        ({"type": "hki", "number": "IDM000123456", "nice_class": "99"}, "antara 1"),
        ({"number": "   "}, "wajib diisi"),
        ({"type": "bitcoin"}, "pilihan tidak valid"),
    ],
)
def test_bad_numbers_and_dates_are_explained_and_nothing_is_saved(
    app, client, owner_ikm, overrides, message
):
    _, ikm = owner_ikm
    response = post_new(client, ikm, **overrides)
    assert response.status_code == 200
    assert message.lower() in page_text(response).lower(), overrides
    assert only_certificate(app) is None


@pytest.mark.parametrize(
    "kind, number, stored",
    [
        ("bpom", "BPOM RI MD 224510123456", "MD224510123456"),
        ("hki", "idm 000 123 456", "IDM000123456"),
        ("pirt", f"P-IRT No. {pirt_number()[:13]}-{pirt_number()[13:]}", pirt_number()),
        ("sni", "lspro-sni/0457/2024", "LSPRO-SNI/0457/2024"),
    ],
)
def test_numbers_are_kept_in_a_canonical_form(app, client, owner_ikm, kind, number, stored):
    _, ikm = owner_ikm
    assert post_new(client, ikm, type=kind, number=number).status_code == 302
    assert only_certificate(app).number == stored


def test_a_pirt_without_an_end_date_expires_in_the_year_its_number_says(app, client, owner_ikm):
    _, ikm = owner_ikm
    number = pirt_number(expires_in_years=2)
    post_new(client, ikm, type="pirt", number=f"P-IRT No. {number[:13]}-{number[13:]}")
    assert only_certificate(app).valid_until == date(clock.today().year + 2, 12, 31)


def test_a_document_is_required(app, client, owner_ikm):
    _, ikm = owner_ikm
    response = client.post(
        f"/kelola/ikm/{ikm.id}/sertifikat/baru",
        data=certificate_form(document=None),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "dokumen" in page_text(response).lower()
    assert only_certificate(app) is None


BAD_DOCUMENTS = [
    ("secret.pdf", files.encrypted_pdf(), "kata sandi"),
    ("script.pdf", files.pdf_with_javascript(), "skrip"),
    ("broken.pdf", b"%PDF-1.7\n" + b"garbage" * 50, "rusak"),
    ("page.pdf", files.HTML, "PDF, JPEG"),
    ("vector.png", files.SVG, "PDF, JPEG"),
    ("setup.pdf", files.EXECUTABLE, "PDF, JPEG"),
]


@pytest.mark.parametrize("name, content, message", BAD_DOCUMENTS, ids=[d[0] for d in BAD_DOCUMENTS])
def test_unsafe_documents_are_refused_and_nothing_is_stored(
    app, client, owner_ikm, name, content, message
):
    _, ikm = owner_ikm
    response = post_new(client, ikm, document=(io.BytesIO(content), name))
    assert response.status_code == 200
    assert message.lower() in page_text(response).lower(), page_text(response)
    assert only_certificate(app) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == 0


def test_a_scanned_photo_is_accepted_as_the_document(app, client, owner_ikm):
    _, ikm = owner_ikm
    assert (
        post_new(client, ikm, document=(io.BytesIO(files.jpeg(gps=True)), "scan.jpg")).status_code
        == 302
    )
    with app.app_context():
        assert only_certificate(app).document.content_type == "image/jpeg"


def test_the_document_is_private(app, client, make, catalog):
    owner, ikm = make.ikm_owner()
    certificate = catalog.certificate(ikm)
    other, _ = make.ikm_owner()
    _, buyer = make.buyer()
    curator, _ = make.partner_with("curator")
    path = f"/sertifikat/{certificate.id}/dokumen"
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/akun/masuk" in anonymous.headers["Location"]
    for user in (other, buyer, curator):
        login(client, user)
        assert client.get(path).status_code == 404, user.email
        client.post("/akun/keluar")
    for user in (owner, make.admin()):
        login(client, user)
        with client.get(path) as response:
            assert response.status_code == 200
            assert response.mimetype == "application/pdf"
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response.headers["Cache-Control"]
            assert response.data.startswith(b"%PDF-")
        client.post("/akun/keluar")


def test_other_ikms_cannot_edit_or_delete(app, client, make, catalog):
    _, ikm = make.ikm_owner()
    certificate = catalog.certificate(ikm)
    other, _ = make.ikm_owner()
    login(client, other)
    assert client.get(f"/kelola/sertifikat/{certificate.id}").status_code == 404
    assert (
        client.post(
            f"/kelola/sertifikat/{certificate.id}",
            data=certificate_form(),
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
    assert client.post(f"/kelola/sertifikat/{certificate.id}/hapus").status_code == 404
    assert client.get(f"/kelola/ikm/{ikm.id}/sertifikat").status_code == 404
    assert only_certificate(app).number == certificate.number


def test_changing_a_verified_certificate_sends_it_back_for_verification(
    app, client, owner_ikm, catalog
):
    _, ikm = owner_ikm
    certificate = catalog.certificate(
        ikm, status="verified", issued_on=clock.today() - timedelta(days=300)
    )
    form = certificate_form(issuer="BPJPH Pusat")
    del form["document"]
    client.post(
        f"/kelola/sertifikat/{certificate.id}", data=form, content_type="multipart/form-data"
    )
    assert (
        only_certificate(app).status == CertificateStatus.VERIFIED
    )  # the issuer alone is no evidence
    form["number"] = "ID35110000999990122"
    client.post(
        f"/kelola/sertifikat/{certificate.id}", data=form, content_type="multipart/form-data"
    )
    assert only_certificate(app).status == CertificateStatus.CLAIMED


def test_expiry_is_derived_from_the_date(app, catalog, make, frozen_clock):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    expired = catalog.certificate(
        ikm,
        kind="pirt",
        number=pirt_number(),
        status="verified",
        valid_until=today - timedelta(days=1),
    )
    current = catalog.certificate(
        ikm,
        kind="pirt",
        number=pirt_number(serial=1),
        status="verified",
        valid_until=today + timedelta(days=1),
    )
    assert expired.state(today) == CertificateStatus.EXPIRED and not expired.earns_badge(today)
    assert current.state(today) == CertificateStatus.VERIFIED and current.earns_badge(today)


def test_scripts_are_found_in_the_document_catalogue_too(app, monkeypatch):
    """A script in a compressed object stream escapes the byte scan; the catalogue check remains."""
    from app.catalog import documents

    monkeypatch.setattr(
        documents, "ACTIVE_CONTENT", type("Never", (), {"search": staticmethod(lambda data: None)})
    )
    with app.app_context(), pytest.raises(documents.DocumentRejected):
        documents.prepare(files.pdf_with_javascript())
    with app.app_context():
        assert documents.prepare(files.pdf())[1] == "application/pdf"
