"""User administration for the trade office: accounts, administrator rights, memberships.

Every change is recorded in the audit trail with the acting administrator and told to the
person it concerns (a notification and an email). Services flush; the view commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_

from app.auth import services as auth_services
from app.auth.models import User
from app.core import audit
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.notifications import notify
from app.core.paging import ROWS, Page, paginate
from app.core.urls import path_for
from app.extensions import db
from app.orgs import services as org_services
from app.orgs.models import (
    ROLE_LABELS,
    ROLES_BY_KIND,
    MemberRole,
    Membership,
    Organisation,
    OrgKind,
)


def users(search: str = "", number: int = 1) -> Page:
    """A page of accounts, by name, optionally those whose name or email contains ``search``."""
    query = db.select(User).order_by(func.lower(User.full_name), User.id)
    if search:
        pattern = (
            "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    return paginate(query, number, ROWS)


def memberships(user: User, number: int = 1) -> Page:
    """A page of the user's memberships, by organisation name."""
    return paginate(
        db.select(Membership)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name, Membership.id),
        number,
        ROWS,
    )


def active_admins() -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(User).filter_by(is_admin=True, is_disabled=False)
    )


def _tell(user: User, entry, text, template: str = "account_changed", **context) -> None:
    db.session.flush()  # the entry's id makes the notification's key
    notify(
        user,
        f"{entry.action}:{user.id}:{entry.id}",
        text,
        path_for("auth.settings"),
        subject=text,
        template=template,
        change=text,
        **context,
    )


def _not_yourself(user: User, by, message) -> None:
    if user.id == by.id:
        raise InvalidTransition(message)


def _not_the_last_admin(user: User, message) -> None:
    if user.is_admin and not user.is_disabled and active_admins() <= 1:
        raise InvalidTransition(message)


def deactivate(user: User, reason: str, by) -> User:
    """Deactivate the account: every session of it ends now and it can no longer log in."""
    _not_yourself(user, by, _l("You cannot deactivate your own account."))
    if user.is_disabled:
        raise InvalidTransition(_l("This account is already deactivated."))
    _not_the_last_admin(user, _l("This is the last active administrator; it stays active."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainValidationError(_l("Say why the account is deactivated."), field="reason")
    user.is_disabled = True
    auth_services.end_sessions(user)
    entry = audit.record("user.deactivated", user, actor=by, reason=reason)
    _tell(
        user,
        entry,
        _l("Your Etalase account has been deactivated"),
        template="account_deactivated",
        reason=reason,
    )
    return user


def reactivate(user: User, by) -> User:
    if not user.is_disabled:
        raise InvalidTransition(_l("This account is already active."))
    user.is_disabled = False
    entry = audit.record("user.reactivated", user, actor=by)
    _tell(user, entry, _l("Your Etalase account is active again"))
    return user


def set_admin(user: User, grant: bool, by) -> User:
    """Grant or withdraw administrator rights; never one's own, never the last administrator's."""
    _not_yourself(user, by, _l("You cannot change your own administrator rights."))
    if user.is_admin == grant:
        raise InvalidTransition(
            _l("This person is already an administrator.")
            if grant
            else _l("This person is not an administrator.")
        )
    if not grant:
        _not_the_last_admin(user, _l("This is the last active administrator; the rights stay."))
    user.is_admin = grant
    entry = audit.record("user.admin_granted" if grant else "user.admin_withdrawn", user, actor=by)
    _tell(
        user,
        entry,
        _l("You are now an administrator on Etalase")
        if grant
        else _l("Your administrator rights on Etalase were withdrawn"),
    )
    return user


def _role(org: Organisation, value: str) -> MemberRole:
    allowed = ROLES_BY_KIND[OrgKind(org.kind)]
    if value not in {r.value for r in allowed}:
        raise DomainValidationError(
            _l("This role does not exist for this organisation."), field="role"
        )
    return MemberRole(value)


def _keeps_an_owner(member: Membership, message) -> None:
    """An IKM keeps at least one owner."""
    if member.role != MemberRole.OWNER:
        return
    owners = db.session.scalar(
        db.select(func.count())
        .select_from(Membership)
        .filter_by(organisation_id=member.organisation_id, role=MemberRole.OWNER.value)
    )
    if owners <= 1:
        raise InvalidTransition(message)


def change_role(member: Membership, value: str, by) -> Membership:
    org = member.organisation
    role = _role(org, value)
    if member.role == role:
        raise InvalidTransition(_l("This person already has this role."))
    _keeps_an_owner(member, _l("An IKM keeps at least one owner: make someone else owner first."))
    before = member.role
    member.role = role.value
    db.session.flush()
    entry = audit.record(
        "member.role_changed", org, actor=by, user_id=member.user_id, role=role.value, before=before
    )
    _tell(
        member.user,
        entry,
        _l("Your role in %(org)s is now %(role)s", org=org.name, role=ROLE_LABELS[role]),
    )
    return member


def remove_membership(member: Membership, by) -> None:
    _keeps_an_owner(member, _l("An IKM keeps at least one owner: make someone else owner first."))
    user, org = member.user, member.organisation
    org_services.remove_member(member, by=by)
    entry = db.session.scalars(
        db.select(audit.AuditEntry)
        .filter_by(action="member.removed", object_type=org.__tablename__, object_id=org.id)
        .order_by(audit.AuditEntry.id.desc())
        .limit(1)
    ).first()
    _tell(user, entry, _l("You are no longer a member of %(org)s", org=org.name))


def find_organisation(text: str) -> Organisation:
    """The organisation named exactly (any case) or numbered ``text``.

    :raises DomainValidationError: when there is none, or several of that name
    """
    text = (text or "").strip()
    if text.isdigit():
        found = db.session.get(Organisation, int(text)) if len(text) < 10 else None
        matches = [found] if found else []
    else:
        matches = db.session.scalars(
            db.select(Organisation).where(func.lower(Organisation.name) == text.lower()).limit(2)
        ).all()
    if not matches:
        raise DomainValidationError(
            _l("There is no organisation of this name or number."), field="organisation"
        )
    if len(matches) > 1:
        raise DomainValidationError(
            _l("Several organisations have this name: give its number."), field="organisation"
        )
    return matches[0]


def add_membership(user: User, organisation: str, value: str, by) -> Membership:
    org = find_organisation(organisation)
    role = _role(org, value)
    if db.session.scalar(
        db.select(Membership.id).filter_by(user_id=user.id, organisation_id=org.id)
    ):
        raise DomainValidationError(
            _l("This person is already a member of %(org)s.", org=org.name), field="organisation"
        )
    member = org_services.add_member(org, user, role, by=by)
    entry = db.session.scalars(
        db.select(audit.AuditEntry)
        .filter_by(action="member.added", object_type=org.__tablename__, object_id=org.id)
        .order_by(audit.AuditEntry.id.desc())
        .limit(1)
    ).first()
    _tell(
        user,
        entry,
        _l("You are now %(role)s in %(org)s", role=ROLE_LABELS[role], org=org.name),
    )
    return member
