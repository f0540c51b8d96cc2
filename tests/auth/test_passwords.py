import pytest

from app import create_app
from app.auth.passwords import hash_password, password_problem
from tests.conftest import make_config


def test_the_default_hash_meets_the_asvs_cost(database_url, tmp_path):
    config = make_config(database_url, tmp_path)
    del config["PASSWORD_HASH_METHOD"]  # the shipped default
    app = create_app(config)
    with app.app_context():
        stored = hash_password("correct horse battery staple")
    method, salt, _digest = stored.split("$")
    name, n, _r, _p = method.split(":")
    assert name == "scrypt"
    assert int(n) >= 2**16
    assert len(salt) >= 16


@pytest.mark.parametrize(
    "password, ok",
    [
        ("correct horse battery staple", True),
        ("Kopi Arjuna dari lereng Pacet", True),
        ("short", False),
        ("x" * 129, False),
        ("password1234", False),  # on the common list
        ("qwerty123456", False),
        ("aaaaaaaaaaaaaaaa", False),  # too easy to guess
    ],
)
def test_password_rules(app, password, ok):
    with app.test_request_context():
        assert (password_problem(password) is None) is ok


def test_the_users_own_name_does_not_make_a_password(app):
    with app.test_request_context():
        assert (
            password_problem("slametriyadi2024", ("slamet@example.com", "Slamet Riyadi"))
            is not None
        )
