"""Who may do what with an organisation. Views check these before any work."""

from __future__ import annotations

from app.orgs.models import IKM, MemberRole, Membership, Organisation, Partner


def membership(user, org: Organisation | None) -> Membership | None:
    if org is None or not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in user.memberships if m.organisation_id == org.id), None)


def has_role(user, org, *roles: MemberRole) -> bool:
    member = membership(user, org)
    return member is not None and member.role in roles


def is_member(user, org) -> bool:
    return membership(user, org) is not None


def can_view_org(user, org: Organisation) -> bool:
    """The private side of an organisation: its members and administrators."""
    return is_member(user, org) or getattr(user, "is_admin", False)


def can_edit_org(user, org: Organisation) -> bool:
    if isinstance(org, IKM):
        return has_role(user, org, MemberRole.OWNER, MemberRole.STAFF)
    if isinstance(org, Partner):
        return has_role(user, org, MemberRole.PARTNER_ADMIN) or getattr(user, "is_admin", False)
    return has_role(user, org, MemberRole.BUYER)


def invitable_roles(user, org: Organisation) -> tuple[MemberRole, ...]:
    """The roles this user may invite people to in ``org`` (empty: may not invite)."""
    if isinstance(org, IKM):
        return (MemberRole.STAFF,) if has_role(user, org, MemberRole.OWNER) else ()
    if isinstance(org, Partner):
        if getattr(user, "is_admin", False):
            return (MemberRole.PARTNER_ADMIN, MemberRole.CURATOR)
        if has_role(user, org, MemberRole.PARTNER_ADMIN):
            return (MemberRole.CURATOR, MemberRole.PARTNER_ADMIN)
        return ()
    return (MemberRole.BUYER,) if has_role(user, org, MemberRole.BUYER) else ()


def can_manage_members(user, org: Organisation) -> bool:
    return bool(invitable_roles(user, org))


def can_remove_member(user, member: Membership) -> bool:
    if member.user_id == user.id or member.role == MemberRole.OWNER:
        return False
    return can_manage_members(user, member.organisation)


def can_verify_ikm(user) -> bool:
    return getattr(user, "is_admin", False)


def can_manage_partners(user) -> bool:
    return getattr(user, "is_admin", False)
