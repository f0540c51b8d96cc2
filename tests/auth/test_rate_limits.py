import logging

import pytest

from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "LOGIN_LIMITS": "3 per minute",
        "LOGIN_ADDRESS_LIMITS": "3 per minute",
        "RESET_LIMITS": "2 per minute",
    }


def attempt(client, email, address="10.0.0.1"):
    return client.post(
        "/akun/masuk",
        data={"email": email, "password": "not it, not it at all"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_repeated_failures_from_one_address_are_slowed(client, make, caplog):
    user = make.user()
    statuses = [attempt(client, f"guess{i}@example.com").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    with caplog.at_level(logging.INFO, logger="etalase.security"):
        blocked = attempt(client, user.email)
    assert blocked.status_code == 429
    assert "Terlalu banyak" in blocked.get_data(as_text=True)
    assert any(r.getMessage().startswith("rate_limited") for r in caplog.records)


def test_one_account_is_protected_across_addresses(client, make):
    user = make.user()
    statuses = [attempt(client, user.email, address=f"10.0.1.{i}").status_code for i in range(4)]
    assert statuses[-1] == 429
    # The right password from yet another address is still refused while the limit holds.
    response = client.post(
        "/akun/masuk",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.2.1"},
    )
    assert response.status_code == 429


def test_successful_logins_do_not_count(client, make):
    user = make.user()
    for _ in range(5):
        assert login(client, user).status_code == 302
        client.post("/akun/keluar")


def test_password_reset_requests_are_limited(client, make, outbox):
    user = make.user()
    statuses = [
        client.post("/akun/lupa-sandi", data={"email": user.email}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert len(outbox) == 2
