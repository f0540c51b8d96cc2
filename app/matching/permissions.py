"""Who may see and do what with buyer requests. Views check these before any work; what a
person may not see answers 404."""

from __future__ import annotations

from app.orgs.models import IKM, Buyer, MemberRole, Partner
from app.orgs.permissions import has_role, is_member

# Organisations that order: buyers, and partners that curate and also order (Ramayana).
ORDERING_KINDS = (Buyer, Partner)


def ordering_orgs(user) -> list:
    """The organisations ``user`` may post requests for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.organisation for m in user.memberships if isinstance(m.organisation, ORDERING_KINDS)]


def can_post_requests(user, org=None) -> bool:
    if org is None:
        return bool(ordering_orgs(user))
    return isinstance(org, ORDERING_KINDS) and is_member(user, org)


def can_manage_request(user, request) -> bool:
    """The buyer organisation's members: edit, open, send, accept and decline quotes."""
    return is_member(user, request.buyer)


def can_view_request(user, request) -> bool:
    """Its buyer's members, and administrators (read-only)."""
    return can_manage_request(user, request) or getattr(user, "is_admin", False)


def can_see_target_price(user, request) -> bool:
    return can_view_request(user, request)


def can_act_for_ikm(user, ikm: IKM) -> bool:
    return has_role(user, ikm, MemberRole.OWNER, MemberRole.STAFF)


def thread_sides(user, thread) -> tuple[bool, bool]:
    """Whether ``user`` speaks for the thread's buyer, and whether for its IKM."""
    return is_member(user, thread.buyer), can_act_for_ikm(user, thread.ikm)


def can_write_in_thread(user, thread) -> bool:
    """The members of its buyer organisation and the owners and staff of its IKM."""
    return any(thread_sides(user, thread))


def can_view_thread(user, thread) -> bool:
    """Its two sides, and administrators (read-only)."""
    return can_write_in_thread(user, thread) or getattr(user, "is_admin", False)


def can_ask_ikms(user) -> bool:
    """Members of a buyer or partner organisation may start a thread with an IKM."""
    return bool(ordering_orgs(user))
