import io

import pytest
from PIL import Image

from app.extensions import db
from app.orgs.models import IKM, MemberRole, VerificationStatus
from app.storage import StoredFile
from tests.conftest import login, page_text


def profile_form(**overrides):
    data = {
        "name": "Sepatu Kulit Sumber Rejeki",
        "nib": "9120 0012 3456 7",
        "sector": "alas_kaki",
        "kbli_code": "15201",
        "kbli_edition": "2020",
        "province_code": "35",
        "regency_code": "35.76",
        "address": "Jl. Majapahit 12, Miji",
        "whatsapp": "0812-3456-7890",
        "email": "sr@example.com",
        "website": "",
        "workers": "18",
        "capacity_monthly": "1200",
        "capacity_unit": "pasang",
        "year_founded": "2004",
        "has_export_experience": "y",
        "export_markets": "Malaysia",
        "story": "Sepatu kulit sapi dari Mojokerto.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(make):
    owner, ikm = make.ikm_owner(status=VerificationStatus.DRAFT)
    return owner, ikm


def png_bytes(size=(300, 200), colour=(200, 50, 50)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_owner_completes_the_profile_and_it_waits_for_verification(app, client, draft):
    owner, ikm = draft
    login(client, owner)
    response = client.post(f"/organisasi/{ikm.id}/profil", data=profile_form())
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(IKM, ikm.id)
        assert saved.status == VerificationStatus.PENDING
        assert saved.nib == "9120001234567"
        assert saved.whatsapp == "+6281234567890"
        assert saved.regency_code == "35.76" and saved.region_edition
        assert saved.region_label == "Kota Mojokerto, Jawa Timur"
    page = page_text(client.get(f"/organisasi/{ikm.id}"))
    assert "Menunggu verifikasi" in page


def test_the_form_offers_every_kabupaten_and_kota(client, draft):
    owner, ikm = draft
    login(client, owner)
    body = client.get(f"/organisasi/{ikm.id}/profil").get_data(as_text=True)
    assert body.count('<option value="35.') == 38
    assert "Kabupaten Mojokerto" in body and "Kota Mojokerto" in body
    assert body.count("<option value=") > 514 + 38


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"nib": "123"}, "13 digit"),
        ({"kbli_code": "1313"}, "5 digit"),
        ({"regency_code": "51.03"}, "provinsi yang dipilih"),
        ({"regency_code": "99.99"}, "Pilihan tidak valid"),
        ({"whatsapp": "12345"}, "nomor ponsel"),
        ({"workers": "-3"}, "antara 1"),
        ({"workers": "banyak"}, "bilangan bulat"),
        ({"capacity_unit": "ton"}, "Pilihan tidak valid"),
        ({"year_founded": "1850"}, "1900"),
        ({"website": "javascript:alert(1)"}, "http"),
        ({"website": "data:text/html,hi"}, "http"),
        ({"email": "bukan-email"}, "email"),
        ({"name": ""}, "Wajib diisi"),
        ({"story": "x" * 3001}, "3000"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(app, client, draft, overrides, message):
    owner, ikm = draft
    login(client, owner)
    response = client.post(f"/organisasi/{ikm.id}/profil", data=profile_form(**overrides))
    assert response.status_code == 200
    assert message.lower() in page_text(response).lower()
    with app.app_context():
        saved = db.session.get(IKM, ikm.id)
        assert saved.status == VerificationStatus.DRAFT and saved.nib is None


def test_status_and_ownership_cannot_be_posted(app, client, draft, make):
    owner, ikm = draft
    login(client, owner)
    client.post(
        f"/organisasi/{ikm.id}/profil",
        data=profile_form(status="verified", kind="partner", verified_by_id="1", id="999"),
    )
    with app.app_context():
        saved = db.session.get(IKM, ikm.id)
        assert saved.status == VerificationStatus.PENDING and saved.verified_by_id is None


def test_staff_may_edit_the_profile(app, client, draft, make):
    _, ikm = draft
    staff = make.member(ikm, MemberRole.STAFF)
    login(client, staff)
    assert client.post(f"/organisasi/{ikm.id}/profil", data=profile_form()).status_code == 302


def test_other_people_get_404(client, draft, make):
    _, ikm = draft
    other_owner, _ = make.ikm_owner()
    _, buyer_user = make.buyer()
    for user in (other_owner, buyer_user):
        login(client, user)
        assert client.get(f"/organisasi/{ikm.id}/profil").status_code == 404
        assert client.post(f"/organisasi/{ikm.id}/profil", data=profile_form()).status_code == 404
        assert client.get(f"/organisasi/{ikm.id}").status_code == 404
        client.post("/akun/keluar")


def test_anonymous_visitors_are_asked_to_log_in(client, draft):
    _, ikm = draft
    response = client.get(f"/organisasi/{ikm.id}/profil")
    assert response.status_code == 302 and "/akun/masuk" in response.headers["Location"]


def test_changing_the_nib_of_a_verified_ikm_asks_for_verification_again(app, client, make):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    client.post(
        f"/organisasi/{ikm.id}/profil", data=profile_form(name=ikm.name, nib=ikm.nib, story="Baru")
    )
    with app.app_context():
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.VERIFIED
    client.post(
        f"/organisasi/{ikm.id}/profil", data=profile_form(name=ikm.name, nib="9999999999999")
    )
    with app.app_context():
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.PENDING


def test_a_logo_is_re_encoded_and_served(app, client, draft):
    owner, ikm = draft
    login(client, owner)
    data = profile_form(logo=(io.BytesIO(png_bytes()), "logo.png"))
    assert (
        client.post(
            f"/organisasi/{ikm.id}/profil", data=data, content_type="multipart/form-data"
        ).status_code
        == 302
    )
    with app.app_context():
        logo = db.session.get(IKM, ikm.id).logo
        assert logo.content_type == "image/jpeg" and logo.width == 300
    with client.get(f"/media/{logo.key}") as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert "immutable" in served.headers["Cache-Control"]
        assert Image.open(io.BytesIO(served.data)).getexif() == {}


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(app, client, draft):
    owner, ikm = draft
    login(client, owner)
    data = profile_form(logo=(io.BytesIO(b"<html><script>alert(1)</script></html>"), "logo.png"))
    response = client.post(
        f"/organisasi/{ikm.id}/profil", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert "bukan foto JPEG, PNG, atau WebP" in page_text(response) or "JPEG" in page_text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == 0
        assert db.session.get(IKM, ikm.id).status == VerificationStatus.DRAFT
