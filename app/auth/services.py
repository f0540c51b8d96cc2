"""Account operations. They flush and queue side effects; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.passwords import hash_password, password_problem, verify_password
from app.auth.tokens import fingerprint, make_token, read_token
from app.core import audit, clock
from app.core.errors import DomainValidationError
from app.core.mail import queue_email
from app.core.urls import external
from app.extensions import db
from app.orgs.models import IKM, Buyer, BuyerType, MemberRole, VerificationStatus
from app.orgs.services import add_member


@dataclass(frozen=True)
class Registration:
    email: str
    full_name: str
    password: str
    account_type: str  # "ikm", "buyer_company", "buyer_individual"
    organisation_name: str | None = None
    locale: str = "id"


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


def register(data: Registration) -> User | None:
    """Register an IKM owner or a buyer, with their organisation, and send the confirmation.

    When the email already has an account, nothing is created and the owner of that address
    is told by email instead, so that the page reveals nothing about who is registered: one
    email is queued and one password hash is made either way.
    """
    existing = find_user(data.email)
    if existing:
        problem = password_problem(data.password, (data.email, data.full_name))
        if problem:
            raise DomainValidationError(problem, field="password")
        # The hash a new account would get, thrown away: a taken email must not answer
        # faster than a free one (the hash is most of the time a registration takes).
        hash_password(data.password)
        queue_email(
            existing.email,
            _l("Someone tried to register with your email"),
            "account_exists",
            locale=existing.locale,
            user=existing,
            login_url=external("auth.login"),
            reset_url=external("auth.forgot_password"),
        )
        return None
    user = create_user(data.email, data.full_name, data.password, locale=data.locale)
    if data.account_type == "ikm":
        org = IKM(name=data.organisation_name.strip(), status=VerificationStatus.DRAFT)
        role = MemberRole.OWNER
    else:
        individual = data.account_type == "buyer_individual"
        org = Buyer(
            name=user.full_name if individual else data.organisation_name.strip(),
            buyer_type=BuyerType.INDIVIDUAL if individual else BuyerType.COMPANY,
        )
        role = MemberRole.BUYER
    db.session.add(org)
    db.session.flush()
    add_member(org, user, role, by=user)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    queue_email(
        user.email,
        _l("Confirm your email address for Etalase"),
        "confirm_email",
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
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        return None
    return user


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


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
