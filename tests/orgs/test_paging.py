"""An organisation's members and open invitations: a page at a time, in a number of queries that
does not grow with their number."""

import re

from app.orgs.models import MemberRole
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def test_members_and_invitations_ask_the_same_for_60_as_for_3(client, sql_statements, bulk, make):
    owner, ikm = make.ikm_owner()
    login(client, owner)

    def add(n):
        bulk.members(ikm, n, MemberRole.STAFF)
        bulk.invitations(ikm, n, MemberRole.STAFF)

    url = f"/organisasi/{ikm.id}"
    response = assert_list_page_is_flat(client, sql_statements, url, add, many=60)
    text = page_text(response)
    members = re.findall(r"Pengguna Massal \d{5}", text)
    assert len(members) == 49 and owner.full_name in text  # the owner is among the first 50
    later = re.findall(r"Pengguna Massal \d{5}", page_text(client.get(f"{url}?page=2")))
    assert len(later) == 11 and set(members).isdisjoint(later)
    invited = re.findall(r"diundang\d+@example.com", text)
    more = re.findall(r"diundang\d+@example.com", page_text(client.get(f"{url}?undangan=2")))
    assert len(invited) == 50 and len(more) == 10 and set(invited).isdisjoint(more)
    assert f"/organisasi/{ikm.id}?page=2&amp;undangan=1" in response.text
    assert_pages_are_safe(client, url)
    assert_pages_are_safe(client, url, arg="undangan")


def test_expired_and_revoked_invitations_are_not_listed(app, client, bulk, make):
    from datetime import timedelta

    from app.core import clock
    from app.extensions import db
    from app.orgs.models import Invitation

    owner, ikm = make.ikm_owner()
    login(client, owner)
    expired, revoked, open_ = bulk.invitations(ikm, 3, MemberRole.STAFF)
    with app.app_context():
        db.session.get(Invitation, expired).expires_at = clock.now() - timedelta(days=1)
        db.session.get(Invitation, revoked).revoked_at = clock.now()
        db.session.commit()
        emails = {i.id: i.email for i in db.session.scalars(db.select(Invitation))}
    text = page_text(client.get(f"/organisasi/{ikm.id}"))
    assert emails[open_] in text
    assert emails[expired] not in text and emails[revoked] not in text
