from datetime import timedelta

from app.auth.models import User
from app.extensions import db
from app.orgs.models import Invitation, MemberRole, Membership
from tests.conftest import links_in, login, page_text
from tests.factories import PASSWORD


def invite(client, org, email, role):
    return client.post(f"/organisasi/{org.id}/undang", data={"email": email, "role": role})


def invitation_path(outbox):
    [link] = links_in(outbox[-1])
    return link.removeprefix("http://localhost")


def roles_of(app, org):
    with app.app_context():
        rows = db.session.scalars(db.select(Membership).filter_by(organisation_id=org.id))
        return {m.user.email: m.role for m in rows}


def test_owner_invites_staff_who_create_an_account_and_join(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    assert invite(client, ikm, "Staf@Example.com", "staff").status_code == 302
    assert outbox[-1]["To"] == "staf@example.com"
    path = invitation_path(outbox)
    client.post("/akun/keluar")
    newcomer = app.test_client()
    assert ikm.name in page_text(newcomer.get(path))
    response = newcomer.post(
        path, data={"full_name": "Rina Staf", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.headers["Location"] == "/dasbor"
    assert roles_of(app, ikm)["staf@example.com"] == MemberRole.STAFF
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email="staf@example.com")).is_confirmed
    assert newcomer.get(path).status_code == 404  # used


def test_existing_accounts_accept_after_logging_in(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    someone = make.user()
    login(client, owner)
    invite(client, ikm, someone.email, "staff")
    path = invitation_path(outbox)
    client.post("/akun/keluar")
    assert "/akun/masuk" in client.get(path).headers["Location"]
    login(client, someone)
    assert client.post(path).status_code == 302
    assert roles_of(app, ikm)[someone.email] == MemberRole.STAFF


def test_an_invitation_cannot_be_taken_by_another_account(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    intruder = make.user()
    login(client, owner)
    invite(client, ikm, "someone@example.com", "staff")
    path = invitation_path(outbox)
    client.post("/akun/keluar")
    login(client, intruder)
    assert "someone@example.com" in page_text(client.get(path))
    client.post(path)
    assert intruder.email not in roles_of(app, ikm)


def test_expired_and_revoked_invitations_are_refused(app, client, make, outbox, frozen_clock):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    invite(client, ikm, "late@example.com", "staff")
    path = invitation_path(outbox)
    frozen_clock.set(frozen_clock.current + timedelta(days=8))
    response = client.get(path)
    assert response.status_code == 404 and "tidak berlaku" in page_text(response).lower()
    frozen_clock.set(frozen_clock.current - timedelta(days=8))
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
    client.post(f"/organisasi/{ikm.id}/undangan/{invitation.id}/batal")
    assert client.get(path).status_code == 404


def test_only_the_right_people_may_invite_and_only_to_their_roles(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    staff = make.member(ikm, MemberRole.STAFF)
    login(client, staff)
    assert invite(client, ikm, "x@example.com", "staff").status_code == 404
    client.post("/akun/keluar")
    login(client, owner)
    invite(client, ikm, "y@example.com", "curator")  # not a role of an IKM
    invite(client, ikm, staff.email, "staff")  # already a member
    assert outbox == []


def test_partner_admin_invites_curators_and_admin_invites_partner_admins(app, client, make, outbox):
    admin = make.admin()
    partner = make.partner()
    login(client, admin)
    invite(client, partner, "boss@example.com", "partner_admin")
    boss_path = invitation_path(outbox)
    client.post("/akun/keluar")
    client.post(boss_path, data={"full_name": "Made", "password": PASSWORD, "confirm": PASSWORD})
    invite(client, partner, "kurator@example.com", "curator")
    assert roles_of(app, partner) == {"boss@example.com": "partner_admin"}
    assert outbox[-1]["To"] == "kurator@example.com"


def test_curators_and_outsiders_cannot_invite_to_a_partner(client, make, outbox):
    curator, partner = make.partner_with(MemberRole.CURATOR)
    owner, _ = make.ikm_owner()
    for user in (curator, owner):
        login(client, user)
        assert invite(client, partner, "z@example.com", "curator").status_code == 404
        client.post("/akun/keluar")
    assert outbox == []


def test_owner_removes_a_staff_member_but_not_themselves(app, client, make):
    owner, ikm = make.ikm_owner()
    staff = make.member(ikm, MemberRole.STAFF)
    login(client, owner)
    with app.app_context():
        members = {m.user_id: m.id for m in db.session.scalars(db.select(Membership))}
    assert client.post(f"/organisasi/{ikm.id}/anggota/{members[owner.id]}/hapus").status_code == 404
    client.post(f"/organisasi/{ikm.id}/anggota/{members[staff.id]}/hapus")
    assert set(roles_of(app, ikm)) == {owner.email}


def test_bad_invitation_input_is_explained(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    response = client.post(
        f"/organisasi/{ikm.id}/undang",
        data={"email": "bukan-email", "role": "staff"},
        follow_redirects=True,
    )
    assert "Masukkan alamat email yang valid" in page_text(response)
    assert outbox == []


def test_a_newcomer_must_choose_a_good_password(app, client, make, outbox):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    invite(client, ikm, "baru@example.com", "staff")
    path = invitation_path(outbox)
    client.post("/akun/keluar")
    response = client.post(
        path, data={"full_name": "Baru", "password": "password1234", "confirm": "password1234"}
    )
    assert response.status_code == 200 and "sering digunakan" in page_text(response)
    assert "baru@example.com" not in roles_of(app, ikm)
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email="baru@example.com")) is None
