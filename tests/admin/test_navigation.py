"""Each role sees its own navigation."""

import pytest

from tests.conftest import login, page_text


def nav_text(client) -> str:
    body = client.get("/dasbor").get_data(as_text=True)
    return page_text(type("R", (), {"get_data": lambda self, as_text: body.split("</nav>")[0]})())


@pytest.mark.parametrize(
    "role, expected, absent",
    [
        ("admin", ["Verifikasi IKM", "Mitra"], ["IKM saya"]),
        ("ikm_owner", ["IKM saya"], ["Verifikasi IKM"]),
        ("partner_admin", ["Mitra:"], ["Verifikasi IKM", "IKM saya"]),
        ("curator", ["Kurasi:"], ["Verifikasi IKM", "IKM saya"]),
        ("buyer", ["Pembelian:"], ["Verifikasi IKM", "IKM saya"]),
    ],
)
def test_each_role_sees_its_own_navigation(client, request, role, expected, absent):
    login(client, request.getfixturevalue(role))
    text = nav_text(client)
    for item in expected:
        assert item in text, (role, item)
    for item in absent:
        assert item not in text, (role, item)
    assert "Keluar" in text


def test_visitors_see_login_and_register(client):
    text = page_text(client.get("/"))
    assert "Masuk" in text and "Daftar" in text and "Keluar" not in text
    assert "Katalog" in text
