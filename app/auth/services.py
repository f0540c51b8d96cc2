"""Account operations. They flush and queue side effects; the caller commits."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.passwords import hash_password, password_problem, verify_password
from app.auth.tokens import fingerprint, make_token, read_token
from app.core import audit, clock
from app.core.errors import DomainValidationError
from app.core.mail import Priority, queue_email
from app.core.urls import external
from app.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def create_user(
    email: str,
    full_name: str,
    password: str,
    locale: str = "id",
    confirmed: bool = False,
    is_admin: bool = False,
) -> User:
    """Create an account after checking the password rules.

    :raises DomainValidationError: on a weak password or an email already in use
    """
    email = normalise_email(email)
    problem = password_problem(password, (email, full_name))
    if problem:
        raise DomainValidationError(problem, field="password")
    if find_user(email):
        raise DomainValidationError(_l("An account with this email already exists."), field="email")
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        is_admin=is_admin,
        email_confirmed_at=clock.now() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, actor=user)
    return user


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    queue_email(
        user.email,
        _l("Confirm your email address for Etalase"),
        "confirm_email",
        priority=Priority.TRANSACTIONAL,
        locale=user.locale,
        user=user,
        url=external("auth.confirm_email", token=token),
    )


def confirm_email(token: str) -> User | None:
    """Mark the address confirmed; None when the link is invalid or expired."""
    payload = read_token("confirm", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if payload else None
    if user is None or user.email != payload.get("email"):
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()
        audit.record("user.email_confirmed", user, actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password match, else None; same cost either way."""
    user = credentials_match(email, password)
    if user is None or not user.is_active:
        return None
    return user


def credentials_match(email: str, password: str) -> User | None:
    """The user whose email and password match, deactivated or not (the login page tells a
    deactivated account so, once its password proved who is asking); same cost either way."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None else None


def record_login(user: User) -> None:
    user.last_login_at = clock.now()


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of ``user`` (logout everywhere)."""
    user.session_version += 1


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; do nothing visible otherwise."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    token = make_token("reset", {"uid": user.id, "fp": fingerprint(user.password_hash)})
    queue_email(
        user.email,
        _l("Reset your Etalase password"),
        "reset_password",
        priority=Priority.TRANSACTIONAL,
        locale=user.locale,
        user=user,
        url=external("auth.reset_password", token=token),
    )


def user_for_reset_token(token: str) -> User | None:
    """The user a reset link is for; None once used (the fingerprint changes) or expired."""
    payload = read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if payload else None
    if user is None or payload.get("fp") != fingerprint(user.password_hash):
        return None
    return user


def set_password(user: User, password: str, by: User) -> None:
    """Set a new password and end every existing session."""
    problem = password_problem(password, (user.email, user.full_name))
    if problem:
        raise DomainValidationError(problem, field="password")
    user.password_hash = hash_password(password)
    if user.email_confirmed_at is None:  # the reset link proved the address
        user.email_confirmed_at = clock.now()
    end_sessions(user)
    audit.record("user.password_changed", user, actor=by)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainValidationError(_l("Your current password is not correct."), field="current")
    set_password(user, new, by=user)
