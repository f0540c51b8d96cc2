"""Password hashing and rules (SECURITY.md, ASVS 2.1 and 2.4)."""

from __future__ import annotations

import re
import secrets
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _common() -> frozenset[str]:
    """The bundled list of common passwords (zxcvbn's), loaded on first use: it is large."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


@cache
def dummy_hash(method: str) -> str:
    """A real hash, made once per process and method, to check a password against when the
    account does not exist: an unknown email then costs what a wrong password costs."""
    return generate_password_hash(secrets.token_urlsafe(16), method)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored_hash: str | None, password: str) -> bool:
    if stored_hash is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(stored_hash, password)


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """What is wrong with a new password, in the user's language, or None when it is fine.

    Passphrases are welcome; there are no composition rules, only length, a bundled list of
    common passwords and a guessability check against the user's own name and email.
    """
    if len(password) < MIN_LENGTH:
        return _(
            "Use at least %(n)d characters. A few words together make a good password.",
            n=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _common():
        return _("This password is on a list of commonly used passwords. Please choose another.")
    inputs = [
        part for value in user_inputs for part in re.split(r"[\s@._-]+", value.lower()) if part
    ]
    remainder = password.lower()
    for part in (p for p in inputs if len(p) >= 3):
        remainder = remainder.replace(part, "")
    if len(remainder) < 8:
        return _("This password is too close to your name or email. Please choose another.")
    from zxcvbn import zxcvbn

    if zxcvbn(password, user_inputs=inputs)["score"] < 2:
        return _("This password is too easy to guess. Add a few unusual words.")
    return None
