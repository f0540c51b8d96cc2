"""User administration (/admin/pengguna): accounts, administrator rights and memberships, each
change recorded in the audit trail and told to the person."""

import pytest

from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.notifications import Notification
from app.extensions import db
from app.orgs.models import MemberRole, Membership
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def fresh(app, user) -> User:
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def entries(app, action) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()
        db.session.expunge_all()
        return rows


def roles_of(app, user) -> dict[int, str]:
    with app.app_context():
        return {
            m.organisation_id: m.role
            for m in db.session.scalars(db.select(Membership).filter_by(user_id=user.id))
        }


def flashes(response) -> str:
    return page_text(response)


# -- the list -------------------------------------------------------------------------------


def test_the_list_searches_by_name_or_email(client, admin, make):
    make.user(email="siti@batik.example", full_name="Siti Aminah")
    make.user(email="budi@kulit.example", full_name="Budi Santoso")
    login(client, admin)
    text = page_text(client.get("/admin/pengguna"))
    assert "Siti Aminah" in text and "Budi Santoso" in text and "Admin Dinas" in text
    by_name = page_text(client.get("/admin/pengguna?q=siti"))
    assert "Siti Aminah" in by_name and "Budi Santoso" not in by_name
    by_email = page_text(client.get("/admin/pengguna?q=KULIT.example"))
    assert "Budi Santoso" in by_email and "Siti Aminah" not in by_email
    assert "Tidak ada akun yang cocok" in page_text(client.get("/admin/pengguna?q=zzz"))
    too_long = client.get("/admin/pengguna?q=" + "x" * 101)
    assert too_long.status_code == 400 and "100 karakter" in page_text(too_long)


def test_the_list_is_paged_and_flat(client, admin, make, sql_statements):
    login(client, admin)

    def add(n):
        for _ in range(n):
            make.ikm_owner()

    url = "/admin/pengguna"
    response = assert_list_page_is_flat(client, sql_statements, url, add, few=3, many=55)
    assert response.get_data(as_text=True).count('href="/admin/pengguna/') == 50
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert second.count('href="/admin/pengguna/') == 6  # 55 owners and the admin
    assert "/admin/pengguna?page=2&amp;q=Pengguna" in client.get(f"{url}?q=Pengguna").text
    assert_pages_are_safe(client, url)


def test_the_detail_page_lists_memberships_flat(client, admin, make, sql_statements):
    person = make.user()
    login(client, admin)

    def add(n):
        for _ in range(n):
            make.member(make.partner(), MemberRole.CURATOR, user=person)

    url = f"/admin/pengguna/{person.id}"
    response = assert_list_page_is_flat(client, sql_statements, url, add, few=2, many=12)
    assert page_text(response).count("Kurator") >= 12


@pytest.mark.parametrize("role", ["ikm_owner", "partner_admin", "curator", "buyer"])
def test_only_administrators_see_user_administration(client, request, role, make):
    other = make.user()
    login(client, request.getfixturevalue(role))
    assert client.get("/admin/pengguna").status_code == 404
    assert client.get(f"/admin/pengguna/{other.id}").status_code == 404
    response = client.post(f"/admin/pengguna/{other.id}/admin", data={"grant": "1"})
    assert response.status_code == 404
    assert (
        client.post(f"/admin/pengguna/{other.id}/nonaktifkan", data={"reason": "x"}).status_code
        == 404
    )


def test_an_unknown_user_is_404(client, admin):
    login(client, admin)
    assert client.get("/admin/pengguna/999999").status_code == 404


# -- deactivation ---------------------------------------------------------------------------


def test_deactivating_ends_every_session_and_says_why_at_login(
    app, make, admin, outbox, frozen_clock
):
    owner, _ikm = make.ikm_owner()
    theirs = app.test_client()
    login(theirs, owner)
    assert theirs.get("/dasbor").status_code == 200
    office = app.test_client()
    login(office, admin)
    confirm = office.get(f"/admin/pengguna/{owner.id}/nonaktifkan")
    assert confirm.status_code == 200 and "Alasan" in page_text(confirm)
    response = office.post(
        f"/admin/pengguna/{owner.id}/nonaktifkan",
        data={"reason": "Akun ganda, pakai akun yang lama"},
        follow_redirects=True,
    )
    assert "dinonaktifkan" in flashes(response)
    assert fresh(app, owner).is_disabled
    # Their session is over: the next page asks them to log in.
    after = theirs.get("/dasbor")
    assert after.status_code == 302 and "/akun/masuk" in after.headers["Location"]
    # And they cannot log in again, told why (their password proved who they are).
    again = login(app.test_client(), owner)
    assert again.status_code == 200
    assert "dinonaktifkan oleh dinas perdagangan" in page_text(again)
    wrong = login(app.test_client(), owner, password="not the password at all")
    assert "dinonaktifkan" not in page_text(wrong)  # no password, no news
    # Recorded with the acting admin and the reason, and told by email with the reason.
    (entry,) = entries(app, "user.deactivated")
    assert entry.actor_id == admin.id and entry.object_id == owner.id
    assert entry.details["reason"] == "Akun ganda, pakai akun yang lama"
    (mail,) = [m for m in outbox if m["To"] == owner.email]
    assert mail["Subject"] == "Akun Etalase Anda telah dinonaktifkan"
    assert "Akun ganda, pakai akun yang lama" in mail.get_content()
    # The audit trail shows it.
    trail = page_text(office.get("/admin/jejak?jenis=user"))
    assert "Akun dinonaktifkan" in trail and "Akun ganda" in trail


def test_a_deactivation_needs_a_reason(app, client, admin, make):
    person = make.user()
    login(client, admin)
    response = client.post(f"/admin/pengguna/{person.id}/nonaktifkan", data={"reason": "  "})
    assert response.status_code == 400
    assert "Sebutkan mengapa akun dinonaktifkan" in page_text(response)
    assert not fresh(app, person).is_disabled
    assert not entries(app, "user.deactivated")


def test_a_deactivation_without_the_form_s_token_changes_nothing(app, client, admin, make):
    person = make.user()
    login(client, admin)
    response = client.post(
        f"/admin/pengguna/{person.id}/nonaktifkan", data={"reason": "Spam"}, csrf=False
    )
    assert response.status_code == 400
    assert not fresh(app, person).is_disabled


def test_reactivating_lets_them_log_in_again(app, client, admin, make, outbox):
    person = make.user()
    login(client, admin)
    client.post(f"/admin/pengguna/{person.id}/nonaktifkan", data={"reason": "Sementara"})
    response = client.post(f"/admin/pengguna/{person.id}/aktifkan", follow_redirects=True)
    assert "aktif kembali" in flashes(response)
    assert not fresh(app, person).is_disabled
    assert login(app.test_client(), person).status_code == 302
    assert entries(app, "user.reactivated")[0].actor_id == admin.id
    assert any(m["Subject"] == "Akun Etalase Anda aktif kembali" for m in outbox)


def test_an_admin_cannot_deactivate_themselves(app, client, admin, make):
    make.admin()  # not the last one either
    login(client, admin)
    response = client.post(
        f"/admin/pengguna/{admin.id}/nonaktifkan", data={"reason": "coba"}, follow_redirects=True
    )
    assert "tidak dapat menonaktifkan akun Anda sendiri" in flashes(response)
    assert not fresh(app, admin).is_disabled


# -- administrator rights -------------------------------------------------------------------


def test_granting_and_withdrawing_administrator_rights(app, client, admin, make, outbox):
    person = make.user()
    login(client, admin)
    response = client.post(
        f"/admin/pengguna/{person.id}/admin", data={"grant": "1"}, follow_redirects=True
    )
    assert "sekarang administrator" in flashes(response)
    assert fresh(app, person).is_admin
    assert entries(app, "user.admin_granted")[0].actor_id == admin.id
    assert any(m["Subject"] == "Anda sekarang administrator di Etalase" for m in outbox)
    client.post(f"/admin/pengguna/{person.id}/admin", data={"grant": "0"})
    assert not fresh(app, person).is_admin
    assert entries(app, "user.admin_withdrawn")[0].object_id == person.id
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(Notification).filter_by(user_id=person.id)
            )
            == 2
        )


def test_no_one_withdraws_their_own_rights_or_the_last_admin_s(app, client, admin, make):
    login(client, admin)
    own = client.post(
        f"/admin/pengguna/{admin.id}/admin", data={"grant": "0"}, follow_redirects=True
    )
    assert "tidak dapat mengubah hak administrator Anda sendiri" in flashes(own)
    assert fresh(app, admin).is_admin
    # Another admin whose colleague is deactivated: the only active one keeps the rights.
    other = make.admin()
    with app.app_context():
        db.session.get(User, admin.id).is_disabled = True
        db.session.commit()
    second = app.test_client()
    login(second, other)
    response = second.post(
        f"/admin/pengguna/{admin.id}/admin", data={"grant": "0"}, follow_redirects=True
    )
    assert fresh(app, admin).is_admin is False  # a deactivated admin's rights may go
    with app.app_context():
        db.session.get(User, admin.id).is_admin = True
        db.session.commit()
    third = make.user()
    second.post(f"/admin/pengguna/{third.id}/admin", data={"grant": "1"})
    # Now ``other`` and ``third`` are active admins: ``third`` may withdraw ``other``'s,
    # and then nobody can withdraw ``third``'s (the last active one).
    last = app.test_client()
    login(last, third)
    last.post(f"/admin/pengguna/{other.id}/admin", data={"grant": "0"})
    assert not fresh(app, other).is_admin
    assert "administrator" in page_text(response).lower()


def test_the_last_active_admin_cannot_be_deactivated(app, make):
    only = make.admin()
    helper = make.admin()
    client = app.test_client()
    login(client, helper)
    client.post(f"/admin/pengguna/{helper.id}/admin", data={"grant": "0"})  # refused: own
    # ``helper`` withdraws nothing of their own; make ``only`` the last active admin by
    # deactivating ``helper`` from ``only``'s side, then ``helper`` (now out) can do nothing.
    office = app.test_client()
    login(office, only)
    office.post(f"/admin/pengguna/{helper.id}/nonaktifkan", data={"reason": "Pindah tugas"})
    assert fresh(app, helper).is_disabled
    with app.app_context():
        db.session.get(User, helper.id).is_disabled = False
        db.session.get(User, only.id).is_disabled = True
        db.session.commit()
    # ``helper`` is now the only active admin; a deactivated admin cannot act, and the
    # service refuses to deactivate the last active admin whoever asks.
    from app.admin import people
    from app.core.errors import InvalidTransition

    with app.app_context():
        target = db.session.get(User, helper.id)
        with pytest.raises(InvalidTransition):
            people.deactivate(target, "x", by=db.session.get(User, only.id))
        with pytest.raises(InvalidTransition):
            people.set_admin(target, False, by=db.session.get(User, only.id))
        db.session.rollback()
        assert db.session.get(User, helper.id).is_admin


# -- memberships ----------------------------------------------------------------------------


def test_changing_a_role_is_recorded_and_told(app, client, admin, make, outbox):
    partner = make.partner(name="Mitra Sarinah")
    person = make.member(partner, MemberRole.CURATOR)
    login(client, admin)
    with app.app_context():
        member_id = db.session.scalar(db.select(Membership.id).filter_by(user_id=person.id))
    response = client.post(
        f"/admin/pengguna/{person.id}/keanggotaan/{member_id}/peran",
        data={"role": "partner_admin"},
        follow_redirects=True,
    )
    assert "Peran di Mitra Sarinah sekarang Admin mitra" in flashes(response) or (
        "Mitra Sarinah" in flashes(response)
    )
    assert roles_of(app, person) == {partner.id: "partner_admin"}
    (entry,) = entries(app, "member.role_changed")
    assert entry.details == {"user_id": person.id, "role": "partner_admin", "before": "curator"}
    assert entry.actor_id == admin.id and entry.object_id == partner.id
    assert any("Mitra Sarinah" in m["Subject"] for m in outbox if m["To"] == person.email)


def test_a_role_of_another_kind_of_organisation_is_refused(app, client, admin, make):
    partner = make.partner()
    person = make.member(partner, MemberRole.CURATOR)
    login(client, admin)
    with app.app_context():
        member_id = db.session.scalar(db.select(Membership.id).filter_by(user_id=person.id))
    for role in ("owner", "raja"):
        response = client.post(
            f"/admin/pengguna/{person.id}/keanggotaan/{member_id}/peran",
            data={"role": role},
            follow_redirects=True,
        )
        assert "tidak tersedia untuk organisasi ini" in flashes(response)
    assert roles_of(app, person) == {partner.id: "curator"}
    assert not entries(app, "member.role_changed")


def test_an_ikm_keeps_its_last_owner(app, client, admin, make):
    owner, ikm = make.ikm_owner()
    login(client, admin)
    with app.app_context():
        member_id = db.session.scalar(db.select(Membership.id).filter_by(user_id=owner.id))
    demote = client.post(
        f"/admin/pengguna/{owner.id}/keanggotaan/{member_id}/peran",
        data={"role": "staff"},
        follow_redirects=True,
    )
    assert "paling sedikit satu pemilik" in flashes(demote)
    remove = client.post(
        f"/admin/pengguna/{owner.id}/keanggotaan/{member_id}/hapus", follow_redirects=True
    )
    assert "paling sedikit satu pemilik" in flashes(remove)
    assert roles_of(app, owner) == {ikm.id: "owner"}
    # With a second owner, the first may become staff.
    second = make.member(ikm, MemberRole.OWNER)
    client.post(f"/admin/pengguna/{owner.id}/keanggotaan/{member_id}/peran", data={"role": "staff"})
    assert roles_of(app, owner) == {ikm.id: "staff"}
    assert roles_of(app, second) == {ikm.id: "owner"}


def test_removing_a_membership(app, client, admin, make, outbox):
    partner = make.partner(name="Mitra Hilang")
    person = make.member(partner, MemberRole.CURATOR)
    login(client, admin)
    with app.app_context():
        member_id = db.session.scalar(db.select(Membership.id).filter_by(user_id=person.id))
    response = client.post(
        f"/admin/pengguna/{person.id}/keanggotaan/{member_id}/hapus", follow_redirects=True
    )
    assert "bukan lagi anggota Mitra Hilang" in flashes(response)
    assert roles_of(app, person) == {}
    removed = [e for e in entries(app, "member.removed") if e.actor_id == admin.id]
    assert removed and removed[0].details["user_id"] == person.id
    assert any(m["Subject"] == "Anda bukan lagi anggota Mitra Hilang" for m in outbox)


def test_a_membership_of_someone_else_is_404(client, admin, make):
    partner = make.partner()
    person = make.member(partner, MemberRole.CURATOR)
    other = make.user()
    login(client, admin)
    from app.extensions import db as _db

    with client.application.app_context():
        member_id = _db.session.scalar(_db.select(Membership.id).filter_by(user_id=person.id))
    assert (
        client.post(f"/admin/pengguna/{other.id}/keanggotaan/{member_id}/hapus").status_code == 404
    )


def test_adding_a_membership_by_name_or_number(app, client, admin, make, outbox):
    partner = make.partner(name="Mitra Baru")
    buyer, _ = make.buyer(company="PT Dagang")
    person = make.user()
    login(client, admin)
    response = client.post(
        f"/admin/pengguna/{person.id}/keanggotaan",
        data={"organisation": "mitra baru", "role": "curator"},
        follow_redirects=True,
    )
    assert "sekarang anggota Mitra Baru" in flashes(response)
    client.post(
        f"/admin/pengguna/{person.id}/keanggotaan",
        data={"organisation": str(buyer.id), "role": "buyer"},
    )
    assert roles_of(app, person) == {partner.id: "curator", buyer.id: "buyer"}
    added = [e for e in entries(app, "member.added") if e.actor_id == admin.id]
    assert {e.object_id for e in added} == {partner.id, buyer.id}
    assert sum(1 for m in outbox if m["To"] == person.email) == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"organisation": "Tidak Ada Sama Sekali", "role": "curator"}, "Tidak ada organisasi"),
        ({"organisation": "Mitra Baru", "role": "owner"}, "tidak tersedia untuk organisasi ini"),
        ({"organisation": "Mitra Baru", "role": "raja"}, "tidak tersedia untuk organisasi ini"),
        ({"organisation": "", "role": "curator"}, "Sebutkan organisasinya"),
        ({"organisation": "Mitra Baru", "role": "partner_admin"}, "sudah menjadi anggota"),
    ],
)
def test_bad_memberships_are_refused(app, client, admin, make, data, message):
    partner = make.partner(name="Mitra Baru")
    person = make.member(partner, MemberRole.CURATOR)
    login(client, admin)
    response = client.post(f"/admin/pengguna/{person.id}/keanggotaan", data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert roles_of(app, person) == {partner.id: "curator"}


def test_two_organisations_of_one_name_ask_for_the_number(app, client, admin, make):
    make.partner(name="Kembar")
    with app.app_context():
        from app.orgs.models import Buyer

        db.session.add(Buyer(name="Kembar", buyer_type="company"))
        db.session.commit()
    person = make.user()
    login(client, admin)
    response = client.post(
        f"/admin/pengguna/{person.id}/keanggotaan", data={"organisation": "Kembar", "role": "buyer"}
    )
    assert response.status_code == 400 and "sebutkan nomornya" in page_text(response)
    assert roles_of(app, person) == {}
