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


class HashingCounter:
    """Counts the expensive calls (scrypt): hashes made and hashes checked."""

    def __init__(self, monkeypatch):
        from app.auth import passwords

        self.made = self.checked = 0
        make, check = passwords.generate_password_hash, passwords.check_password_hash

        def counted_make(*args, **kwargs):
            self.made += 1
            return make(*args, **kwargs)

        def counted_check(*args, **kwargs):
            self.checked += 1
            return check(*args, **kwargs)

        monkeypatch.setattr(passwords, "generate_password_hash", counted_make)
        monkeypatch.setattr(passwords, "check_password_hash", counted_check)

    def during(self, action) -> tuple[int, int]:
        before = (self.made, self.checked)
        action()
        return self.made - before[0], self.checked - before[1]


@pytest.fixture
def hashing(monkeypatch):
    from app.auth import passwords

    if hasattr(passwords, "dummy_hash"):
        passwords.dummy_hash.cache_clear()  # as in a fresh worker process
    return HashingCounter(monkeypatch)


def test_an_unknown_email_costs_one_check_like_a_wrong_password(client, make, hashing):
    """Timing reveals no account: the same scrypt work either way (counted, not timed)."""
    user = make.user()

    def attempt(email, password):
        return lambda: client.post("/akun/masuk", data={"email": email, "password": password})

    # The stand-in hash for unknown emails is made once per process, on first use.
    assert hashing.during(attempt("nobody@example.com", "a wrong password")) == (1, 1)
    for _ in range(3):
        unknown = hashing.during(attempt("nobody@example.com", "a wrong password"))
        wrong = hashing.during(attempt(user.email, "a wrong password"))
        assert unknown == wrong == (0, 1)


def test_registering_a_taken_email_costs_the_same_hashing_as_a_new_one(
    app, client, make, hashing, outbox
):
    from tests.auth.test_register import register

    make.user(email="taken@example.com")
    sent = len(outbox)
    new = hashing.during(lambda: register(client, email="baru@example.com"))
    client.post("/akun/keluar")
    taken = hashing.during(lambda: register(client, email="taken@example.com"))
    assert new == taken == (1, 0)
    # One email either way: a confirmation link, or "someone tried to register" to the owner.
    assert [m["To"] for m in outbox[sent:]] == ["baru@example.com", "taken@example.com"]
