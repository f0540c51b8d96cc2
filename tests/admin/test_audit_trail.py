"""The audit trail (/admin/jejak): every recorded action, newest first, filtered and paged."""

import pathlib
import re
from datetime import timedelta

import pytest

from app.auth.models import User
from app.core import audit
from app.core.audit import AuditEntry
from app.extensions import db
from app.orgs.models import IKM
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def entry(app, action, obj_type, obj_id, actor=None, at=None, **details):
    """An audit entry made by hand, at ``at`` (the app clock's now by default)."""
    from app.core import clock

    with app.app_context():
        row = AuditEntry(
            action=action,
            object_type=obj_type,
            object_id=obj_id,
            actor_id=actor.id if actor else None,
            details=details,
            created_at=at or clock.now(),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def clear(app):
    """Forget the entries the factories recorded, so a test counts only its own."""
    with app.app_context():
        db.session.execute(db.delete(AuditEntry))
        db.session.commit()


def labels(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>", response.get_data(as_text=True))


@pytest.fixture
def office(app, make, frozen_clock):
    admin = make.admin()
    owner, ikm = make.ikm_owner()
    other_owner, other = make.ikm_owner()
    clear(app)
    return admin, owner, ikm, other_owner, other


def test_the_trail_shows_each_action_newest_first_with_who_what_and_which(
    app, client, office, frozen_clock
):
    admin, owner, ikm, _, _ = office
    now = frozen_clock.current
    entry(app, "ikm.profile_saved", "organisations", ikm.id, owner, now - timedelta(hours=2))
    entry(app, "ikm.verified", "organisations", ikm.id, admin, now - timedelta(hours=1))
    entry(app, "certificate.reminded", "certificates", 999, None, now, days=30)
    login(client, admin)
    response = client.get("/admin/jejak")
    assert response.status_code == 200
    assert labels(response)[:3] == [
        "Pengingat masa berlaku dikirim",
        "Terverifikasi",
        "Profil disimpan",
    ]
    text = page_text(response)
    assert "Sistem" in text  # no actor: the system
    assert admin.full_name in text and owner.email in text
    body = response.get_data(as_text=True)
    assert f'href="/admin/ikm/{ikm.id}"' in body  # the object, linked
    assert ikm.name in text
    assert "certificates #999" in text  # an object that is gone: its kind and number
    # In the viewer's time zone (WIB for Jakarta), at 10:00 as the frozen clock says.
    assert "10.00 WIB" in text or "10:00 WIB" in text


def test_a_submission_s_transitions_and_decisions_are_in_the_trail(
    app, client, make, curation, categories, frozen_clock
):
    partner, partner_admin, _ = curation.partner(curators=1)
    round_ = curation.round(partner, partner_admin)
    owner, product = curation.product()
    curation.submission(round_, owner, product)
    admin = make.admin()
    login(client, admin)
    response = client.get("/admin/jejak?jenis=submission")
    text = page_text(response)
    assert "Diajukan" in text and product.name in text and round_.title in text
    assert "Ronde dibuat" not in text  # another kind
    assert "Ronde dibuat" in page_text(client.get("/admin/jejak?jenis=round"))
    # The partner's own filter shows the submission to its round, too.
    by_partner = page_text(client.get(f"/admin/jejak?organisasi={partner.id}"))
    assert "Diajukan" in by_partner and "Ronde dibuat" in by_partner


def test_the_person_filter_finds_the_actor_by_email_or_name(app, client, office):
    admin, _, ikm, other_owner, other = office
    entry(app, "ikm.verified", "organisations", ikm.id, admin)
    entry(app, "ikm.profile_saved", "organisations", other.id, other_owner)
    login(client, admin)
    by_email = client.get(f"/admin/jejak?orang={other_owner.email.upper()}")
    assert labels(by_email) == ["Profil disimpan"]
    by_name = client.get("/admin/jejak?orang=admin dinas")
    assert labels(by_name) == ["Terverifikasi"]
    assert labels(client.get("/admin/jejak?orang=100%")) == []  # a wildcard is a character


def test_the_organisation_filter_takes_what_belongs_to_it(app, client, office):
    admin, owner, ikm, _, other = office
    entry(app, "ikm.verified", "organisations", ikm.id, admin)
    entry(app, "ikm.verified", "organisations", other.id, admin)
    # A certificate of the IKM: belongs to it by its own column.
    with app.app_context():
        from app.catalog.models import Certificate

        cert = Certificate(ikm_id=ikm.id, type="halal", number="ID35110000000000001")
        db.session.add(cert)
        db.session.commit()
        cert_id = cert.id
    entry(app, "certificate.verified", "certificates", cert_id, admin)
    # A request that the IKM declined: its id is in the details.
    entry(app, "request.declined_by_ikm", "buyer_requests", 77, owner, ikm_id=ikm.id)
    entry(app, "user.password_changed", "users", owner.id, owner)  # an account: no organisation
    login(client, admin)
    by_number = labels(client.get(f"/admin/jejak?organisasi={ikm.id}"))
    assert sorted(by_number) == ["Ditolak oleh IKM", "Sertifikat diverifikasi", "Terverifikasi"]
    by_name = labels(client.get(f"/admin/jejak?organisasi={other.name}"))
    assert by_name == ["Terverifikasi"]
    assert labels(client.get("/admin/jejak?organisasi=Tidak Ada")) == []


def test_the_kind_filter_takes_the_action_s_prefix(app, client, office):
    admin, owner, ikm, _, _ = office
    entry(app, "ikm.verified", "organisations", ikm.id, admin)
    entry(app, "member.added", "organisations", ikm.id, admin, user_id=owner.id, role="staff")
    entry(app, "user.deactivated", "users", owner.id, admin, reason="Akun ganda")
    login(client, admin)
    assert labels(client.get("/admin/jejak?jenis=member")) == ["Anggota ditambahkan"]
    users = client.get("/admin/jejak?jenis=user")
    assert labels(users) == ["Akun dinonaktifkan"]
    assert "Akun ganda" in page_text(users)  # the reason is shown


def test_the_period_filter_counts_days_in_jakarta(app, client, office, frozen_clock):
    admin, owner, ikm, _, _ = office
    now = frozen_clock.current
    from app.core import clock

    today = clock.today()
    entry(app, "ikm.profile_saved", "organisations", ikm.id, owner, now - timedelta(days=10))
    entry(app, "ikm.rejected", "organisations", ikm.id, admin, now - timedelta(days=3))
    entry(app, "ikm.verified", "organisations", ikm.id, admin, now)
    login(client, admin)
    week = (today - timedelta(days=7)).isoformat()
    assert labels(client.get(f"/admin/jejak?dari={week}")) == ["Terverifikasi", "Perlu perbaikan"]
    until = (today - timedelta(days=3)).isoformat()
    assert labels(client.get(f"/admin/jejak?sampai={until}")) == [
        "Perlu perbaikan",
        "Profil disimpan",
    ]
    day = today.isoformat()
    assert labels(client.get(f"/admin/jejak?dari={day}&sampai={day}")) == ["Terverifikasi"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("dari=kemarin", "Tanggal"),
        ("sampai=2026-13-45", "Tanggal"),
        ("jenis=rahasia", "Pilihan tidak valid"),
        ("orang=" + "x" * 101, "100"),
        ("dari=2026-05-02&sampai=2026-05-01", "Akhir periode"),
    ],
)
def test_bad_filters_say_why_with_a_400(client, admin, query, message):
    login(client, admin)
    response = client.get(f"/admin/jejak?{query}")
    assert response.status_code == 400
    assert message.lower() in page_text(response).lower()


def test_the_trail_is_paged_and_flat(app, client, office, sql_statements):
    admin, owner, ikm, other_owner, _ = office
    people = [admin, owner, other_owner]

    def add(n):
        for i in range(n):
            who = people[i % 3]
            entry(app, "ikm.verified", "organisations", ikm.id, who)
            entry(app, "product.created", "products", 1000 + i, who)
            entry(app, "user.password_changed", "users", who.id, who)
            entry(app, "certificate.reminded", "certificates", 2000 + i, None)

    login(client, admin)
    url = "/admin/jejak"
    response = assert_list_page_is_flat(client, sql_statements, url, add, few=3, many=30)
    assert len(labels(response)) == 50
    second = client.get(f"{url}?page=3")
    assert len(labels(second)) == 20  # 120 entries: 50, 50, 20
    assert len(labels(client.get(f"{url}?page=4"))) == 20  # past the end: the last page
    filtered = client.get(f"{url}?jenis=product&orang={owner.email}")
    assert set(labels(filtered)) == {"Produk dibuat"} and len(labels(filtered)) == 10
    one_page = client.get(f"{url}?jenis=ikm").get_data(as_text=True)
    assert "page=2" not in one_page  # 30 entries: one page
    kept = client.get(f"{url}?orang=example.com").get_data(as_text=True)
    assert "/admin/jejak?page=2&amp;orang=example.com" in kept  # the filter stays
    assert_pages_are_safe(client, url)
    assert_pages_are_safe(client, f"{url}?jenis=ikm")


@pytest.mark.parametrize("role", ["ikm_owner", "partner_admin", "curator", "buyer"])
def test_only_administrators_see_the_trail(client, request, role):
    login(client, request.getfixturevalue(role))
    assert client.get("/admin/jejak").status_code == 404


def test_visitors_do_not_see_the_trail(client):
    assert client.get("/admin/jejak").status_code == 404


def test_the_trail_is_in_the_administrator_s_navigation(client, admin, ikm_owner):
    login(client, admin)
    body = client.get("/dasbor").get_data(as_text=True).split("</nav>")[0]
    assert 'href="/admin/jejak"' in body and 'href="/admin/pengguna"' in body
    client.post("/akun/keluar")
    login(client, ikm_owner)
    body = client.get("/dasbor").get_data(as_text=True).split("</nav>")[0]
    assert "/admin/jejak" not in body


def test_every_recorded_action_has_a_label(app):
    """Each action a service records (a literal in ``audit.record(...)``) is named in the trail."""
    source = "\n".join(p.read_text() for p in pathlib.Path("app").rglob("*.py"))
    literal = set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    chosen = {
        name
        for pair in re.findall(r'"([a-z_]+\.[a-z_]+)" if [^\n]* else "([a-z_]+\.[a-z_]+)"', source)
        for name in pair
    }
    missing = sorted(a for a in literal | chosen if a not in audit.ACTION_LABELS)
    assert not missing, missing
    assert len(literal) > 40


def test_a_user_s_link_opens_their_administration_page(app, client, office):
    admin, owner, ikm, _, _ = office
    entry(app, "user.password_changed", "users", owner.id, owner)
    login(client, admin)
    body = client.get("/admin/jejak").get_data(as_text=True)
    assert f'href="/admin/pengguna/{owner.id}"' in body
    with app.app_context():
        assert db.session.get(User, owner.id) and db.session.get(IKM, ikm.id)
