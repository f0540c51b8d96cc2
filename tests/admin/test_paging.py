"""The trade office's lists (IKMs, certificates, partners and their members) and each person's
home: a page at a time, in a number of queries that does not grow with the number of rows."""

import re

from app.orgs.models import MemberRole
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def found(response, pattern: str) -> list[str]:
    return re.findall(pattern, page_text(response))


def test_the_ikm_queue_asks_the_same_for_60_ikms_as_for_3(client, sql_statements, bulk, admin):
    login(client, admin)
    url = "/admin/ikm?status=pending"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.ikms(n), many=60
    )
    first, second = (
        found(response, r"IKM Massal \d{5}"),
        found(client.get(f"{url}&page=2"), r"IKM Massal \d{5}"),
    )
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    assert "/admin/ikm?status=pending&amp;page=2" in response.text  # the filter stays
    assert_pages_are_safe(client, url)


def test_the_ikm_queue_pages_each_status_on_its_own(client, bulk, admin):
    login(client, admin)
    bulk.ikms(55, status="verified")
    bulk.ikms(2)
    assert len(found(client.get("/admin/ikm"), r"IKM Massal \d{5}")) == 2
    verified = client.get("/admin/ikm?status=verified&page=2")
    assert len(found(verified, r"IKM Massal \d{5}")) == 5
    assert len(found(client.get("/admin/ikm?status=all&page=2"), r"IKM Massal \d{5}")) == 7


def test_the_certificate_queue_asks_the_same_for_60_as_for_3(
    client, sql_statements, bulk, admin, make
):
    login(client, admin)
    _, ikm = make.ikm_owner()
    url = "/admin/sertifikat?status=claimed"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.certificates(ikm, n), many=60
    )
    pattern = r"ID351100\d{11}"
    first, second = found(response, pattern), found(client.get(f"{url}&page=2"), pattern)
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    assert ikm.name in page_text(response)
    verified = client.get("/admin/sertifikat?status=verified")
    assert not found(verified, pattern)
    assert_pages_are_safe(client, url)


def test_the_partner_list_asks_the_same_for_60_as_for_3(client, sql_statements, bulk, admin):
    login(client, admin)
    url = "/admin/mitra"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.partners(n), many=60
    )
    pattern = r"Mitra Massal \d{5}"
    first, second = found(response, pattern), found(client.get(f"{url}?page=2"), pattern)
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    assert first == sorted(first)
    assert_pages_are_safe(client, url)


def test_a_partner_s_members_ask_the_same_for_60_as_for_3(
    client, sql_statements, bulk, admin, make
):
    login(client, admin)
    partner = make.partner()

    def add(n):
        bulk.members(partner, n, MemberRole.CURATOR)
        bulk.invitations(partner, n, MemberRole.CURATOR)

    url = f"/admin/mitra/{partner.id}"
    response = assert_list_page_is_flat(client, sql_statements, url, add, many=60)
    pattern = r"Pengguna Massal \d{5}"
    first, second = found(response, pattern), found(client.get(f"{url}?page=2"), pattern)
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    invited = r"diundang\d+@example.com"
    assert len(found(response, invited)) == 50
    assert len(found(client.get(f"{url}?undangan=2"), invited)) == 10
    assert_pages_are_safe(client, url)
    assert_pages_are_safe(client, url, arg="undangan")


def test_the_home_page_asks_the_same_for_30_organisations_as_for_3(
    client, sql_statements, bulk, make
):
    user = make.user()
    login(client, user)

    def add(n):
        bulk.memberships(user, bulk.ikms(n, status="draft"))

    response = assert_list_page_is_flat(client, sql_statements, "/dasbor", add)
    pattern = r"IKM Massal \d{5}"
    assert "Lengkapi profil IKM" in page_text(response)
    cards = re.findall(r"<h3><a[^>]*>(IKM Massal \d{5})</a></h3>", response.text)
    later = re.findall(
        r"<h3><a[^>]*>(IKM Massal \d{5})</a></h3>", client.get("/dasbor?page=2").text
    )
    assert len(cards) == 24 and len(later) == 6 and set(cards).isdisjoint(later)
    assert found(response, pattern)
    assert_pages_are_safe(client, "/dasbor")
