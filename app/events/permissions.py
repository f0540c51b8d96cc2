"""Who may see and do what with events. Views check these before any work; what a person
may not see answers 404.

Only administrators create and run events. An event is public once its registration opens.
A participant sees the other participants, its own meeting requests and those addressed to
it; nobody else's.
"""

from __future__ import annotations

from app.events.models import KINDS_BY_ORG, Event, EventState, MeetingRequest, Participant
from app.orgs.models import IKM, MemberRole, OrgKind, Partner
from app.orgs.permissions import has_role

PUBLIC_STATES = frozenset(set(EventState) - {EventState.DRAFT})

# Who may register an organisation and speak for it at an event.
ACTING_ROLES = (MemberRole.OWNER, MemberRole.STAFF, MemberRole.PARTNER_ADMIN, MemberRole.BUYER)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_admin", False))


def can_run_events(user) -> bool:
    """Create, edit, open and close events; see every participant and request."""
    return is_admin(user)


def can_view_event(user, event: Event) -> bool:
    return event.state in PUBLIC_STATES or can_run_events(user)


def can_act_for(user, org) -> bool:
    return has_role(user, org, *ACTING_ROLES)


def org_kind(org) -> OrgKind:
    if isinstance(org, IKM):
        return OrgKind.IKM
    if isinstance(org, Partner):
        return OrgKind.PARTNER
    return OrgKind.BUYER


def invited_kinds_for(event: Event, org) -> list[str]:
    """The kinds ``org`` may register as at ``event`` (empty: it is not invited)."""
    invited = set(event.invited_kinds or [])
    kinds = [k.value for k in KINDS_BY_ORG[org_kind(org)] if k.value in invited]
    sectors = set(event.invited_sectors or [])
    if isinstance(org, IKM) and sectors and org.sector not in sectors:
        kinds = [k for k in kinds if k != "ikm"]
    return kinds


def registrable_orgs(user, event: Event) -> list:
    """The organisations ``user`` may register for ``event``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        (
            m.organisation
            for m in user.memberships
            if m.role in ACTING_ROLES and invited_kinds_for(event, m.organisation)
        ),
        key=lambda org: org.name,
    )


def is_participant_member(user, participant: Participant) -> bool:
    return can_act_for(user, participant.organisation)


def can_edit_registration(user, participant: Participant) -> bool:
    return is_participant_member(user, participant)


def can_browse_participants(user, own: list[Participant]) -> bool:
    """Registered participants see each other; the office sees everyone."""
    return bool(own) or can_run_events(user)


def can_view_meeting_request(user, request: MeetingRequest) -> bool:
    """The sender, the invitees and the office; another participant never (404), declined or
    not."""
    if can_run_events(user):
        return True
    parties = [request.sender] + [i.participant for i in request.invitees]
    return any(is_participant_member(user, p) for p in parties)


def can_cancel(user, request: MeetingRequest) -> bool:
    return is_participant_member(user, request.sender)


def answering_invitee(user, request: MeetingRequest):
    """The invitee ``user`` speaks for in ``request`` (None: they are not asked)."""
    return next((i for i in request.invitees if is_participant_member(user, i.participant)), None)
