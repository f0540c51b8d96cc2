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


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "object-streams"])
@pytest.mark.parametrize("name", files.HOSTILE_PDFS)
def test_scripts_and_actions_anywhere_in_a_pdf_are_refused(app, name, compressed):
    """However the file spells or hides it: #-escaped names, object streams (nothing of the
    dictionaries left in the bytes), annotations, /Next chains, the names tree, outlines."""
    from app.catalog import documents

    data = files.handmade_pdf(compressed=compressed, **files.HOSTILE_PDFS[name])
    with app.app_context(), pytest.raises(documents.DocumentRejected) as refused:
        documents.prepare(data)
    assert "contains scripts" in str(refused.value.message)


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "object-streams"])
@pytest.mark.parametrize("name", files.HARMLESS_PDFS)
def test_plain_pdfs_with_links_outlines_and_tags_are_accepted(app, name, compressed):
    from app.catalog import documents

    data = files.handmade_pdf(compressed=compressed, **files.HARMLESS_PDFS[name])
    with app.app_context():
        assert documents.prepare(data) == (data, "application/pdf")


@pytest.mark.parametrize(
    "name", ["escaped-open-action", "import-at-the-end-of-a-next-chain", "javascript-link"]
)
def test_a_hostile_pdf_upload_is_refused_with_a_message_and_nothing_is_stored(
    app, client, owner_ikm, name
):
    _, ikm = owner_ikm
    data = files.handmade_pdf(compressed=True, **files.HOSTILE_PDFS[name])
    response = post_new(client, ikm, document=(io.BytesIO(data), "sertifikat.pdf"))
    assert response.status_code == 200
    assert "berisi skrip" in page_text(response)
    assert only_certificate(app) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (files.handmade_pdf(kids=b"[3 0 R 2 0 R]"), "damaged"),  # the page tree loops
        (files.handmade_pdf(catalog=b"/X " + b"[" * 5000 + b"]" * 5000), "damaged"),
        (files.handmade_pdf(kids=b"[]"), "no pages"),
    ],
    ids=["page-tree-loop", "nested-5000-deep", "no-pages"],
)
def test_pdfs_pypdf_cannot_read_are_refused_with_a_clear_message(app, data, message):
    from app.catalog import documents

    with app.app_context(), pytest.raises(documents.DocumentRejected) as refused:
        documents.prepare(data)
    assert message in str(refused.value.message)


def test_a_pdf_too_large_to_check_is_refused_within_the_time_limit(app):
    """60,000 objects packed in one object stream: pypdf alone takes many seconds over them;
    the check runs in a child process with a CPU limit and a timeout."""
    import time

    from app.catalog import documents

    chain = {10 + i: b"<< /Next %d 0 R >>" % (11 + i) for i in range(60_000)}
    data = files.handmade_pdf(catalog=b"/X 10 0 R", objects=chain, compressed=True)
    assert len(data) < 1_000_000
    app.config["PDF_CHECK_TIMEOUT"] = 4
    started = time.monotonic()
    with app.app_context(), pytest.raises(documents.DocumentRejected) as refused:
        documents.prepare(data)
    assert "too complex" in str(refused.value.message)
    assert time.monotonic() - started < 4 + 6  # the child is killed at the timeout


def test_a_form_with_mistakes_says_so_in_indonesian(client, owner_ikm):
    """The error summary comes from templates/_macros/, which extraction used to skip."""
    _, ikm = owner_ikm
    response = post_new(client, ikm, number="", issuer="")
    assert response.status_code == 200
    text = page_text(response)
    assert "Silakan perbaiki isian yang ditandai di bawah." in text
    assert "Please correct" not in text


def test_a_number_another_ikm_claims_is_saved_with_a_warning_and_flagged_for_the_office(
    app, client, make, catalog, owner_ikm
):
    _, ikm = owner_ikm
    _, other = make.ikm_owner(name="Keripik Tempe Bu Sri")
    catalog.certificate(other, kind="halal", number="ID35110000123450122")
    response = post_new(client, ikm, number="id 3511-0000-1234-50122")  # the same, typed loosely
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "sudah didaftarkan oleh IKM lain" in text
    assert "Keripik Tempe Bu Sri" not in text  # the other IKM's name stays with the office
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 2
        mine = db.session.scalar(db.select(Certificate).filter_by(ikm_id=ikm.id))

    office = app.test_client()
    login(office, make.admin())
    flag = "Nomor ini juga diklaim oleh IKM lain: Keripik Tempe Bu Sri"
    assert flag in page_text(office.get(f"/admin/sertifikat/{mine.id}"))
    assert flag in page_text(office.get("/admin/sertifikat"))


def test_a_number_of_another_kind_or_a_rejected_claim_raises_no_warning(
    app, client, make, catalog, owner_ikm
):
    _, ikm = owner_ikm
    _, other = make.ikm_owner(name="Keripik Tempe Bu Sri")
    catalog.certificate(other, kind="halal", number="ID35110000123450122", status="rejected")
    catalog.certificate(other, kind="other", number="ID35110000123450122", title="Label")
    response = post_new(client, ikm)
    assert "IKM lain" not in page_text(client.get(response.headers["Location"]))
    office = app.test_client()
    login(office, make.admin())
    assert "IKM lain" not in page_text(office.get("/admin/sertifikat"))
