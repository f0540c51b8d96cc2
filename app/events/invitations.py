"""Inviting people to an event by email, while its registration is open.

The office types addresses (people not yet in Etalase: they create an account from the link),
or invites in one go every organisation in Etalase the event invites (by kind and, for IKMs,
sector) that has not registered yet: each member who may speak for it gets the email, in their
own language. An address is invited once per event; the mail goes out after the response.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from app.auth.models import User
from app.core import audit
from app.core.errors import DomainValidationError, Forbidden, InvalidTransition
from app.core.mail import queue_email
from app.core.urls import absolute, path_for
from app.events.models import (
    KINDS_BY_ORG,
    Event,
    EventInvitation,
    EventState,
    Participant,
    ParticipantKind,
)
from app.events.permissions import ACTING_ROLES, can_run_events
from app.extensions import db
from app.orgs.models import Membership, Organisation, OrgKind, VerificationStatus

MAX_ADDRESSES = 200

audit.ACTION_LABELS["event.invitations_sent"] = _l("Invitations sent")


@dataclass(frozen=True)
class Sent:
    sent: int
    skipped: int  # invited before


def _ensure_can_invite(event: Event, by) -> None:
    if not can_run_events(by):
        raise Forbidden(_l("You may not do this."))
    if event.state != EventState.REGISTRATION_OPEN:
        raise InvalidTransition(_l("Invitations go out only while registration is open."))


def invite(event: Event, emails: list[str], message: str, by) -> Sent:
    """Invite each address in ``emails`` (checked by the form) that was not invited before.

    :raises DomainValidationError: when there are none, too many, or all were invited before
    """
    _ensure_can_invite(event, by)
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not wanted:
        raise DomainValidationError(_l("Enter at least one email address."), field="emails")
    if len(wanted) > MAX_ADDRESSES:
        raise DomainValidationError(
            _l("At most %(n)s addresses at a time.", n=MAX_ADDRESSES), field="emails"
        )
    known = _invited(event, wanted)
    new = [(e, None, None) for e in wanted if e not in known]
    if not new:
        raise DomainValidationError(
            _l("Every one of these addresses has been invited already."), field="emails"
        )
    return Sent(_send(event, new, message, by), len(wanted) - len(new))


def invite_members(event: Event, message: str, by) -> Sent:
    """Invite the members of every invited organisation in Etalase not registered yet.

    :raises DomainValidationError: when there is nobody left to invite
    """
    _ensure_can_invite(event, by)
    found = invitable(event)
    known = _invited(event, [email for email, _org, _locale in found])
    new = [row for row in found if row[0] not in known]
    if not new:
        raise DomainValidationError(_l("Every invited organisation has been invited already."))
    return Sent(_send(event, new, message, by), len(found) - len(new))


def invitable(event: Event) -> list[tuple[str, int, str | None]]:
    """(email, organisation id, locale) of the people who speak for an organisation the event
    invites and that has not registered; one query."""
    invited = set(event.invited_kinds or [])
    kinds = [k.value for k, allowed in KINDS_BY_ORG.items() if invited & {a.value for a in allowed}]
    if not kinds:
        return []
    sectors = list(event.invited_sectors or [])
    # The table's own columns: IKM.sector would add "kind = 'ikm'" to the whole query.
    columns = Organisation.__table__.c
    ikm_fits = columns.status.is_distinct_from(VerificationStatus.REJECTED.value)
    if ParticipantKind.SUPPLIER.value not in invited and sectors:
        ikm_fits = and_(ikm_fits, columns.sector.in_(sectors))
    registered = db.select(Participant.organisation_id).filter_by(event_id=event.id)
    rows = db.session.execute(
        db.select(User.email, Organisation.id, User.locale)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Organisation.kind.in_(kinds),
            Membership.role.in_([r.value for r in ACTING_ROLES]),
            User.is_disabled.is_(False),
            Organisation.id.not_in(registered),
            or_(Organisation.kind != OrgKind.IKM.value, ikm_fits),
        )
        .order_by(Organisation.id, User.id)
    ).all()
    seen: dict[str, tuple[str, int, str | None]] = {}
    for email, org_id, locale in rows:
        seen.setdefault(email.lower(), (email.lower(), org_id, locale))
    return list(seen.values())


def _invited(event: Event, emails: list[str]) -> set[str]:
    if not emails:
        return set()
    return set(
        db.session.scalars(
            db.select(EventInvitation.email).where(
                EventInvitation.event_id == event.id, EventInvitation.email.in_(emails)
            )
        )
    )


def _send(event: Event, rows, message: str, by) -> int:
    url = absolute(path_for("events.event", event_id=event.id))
    subject = _l("Invitation: %(name)s", name=event.name)
    for email, org_id, locale in rows:
        db.session.add(
            EventInvitation(
                event_id=event.id, email=email, organisation_id=org_id, invited_by_id=by.id
            )
        )
        queue_email(
            email,
            subject,
            "events_invitation",
            locale=locale,
            event=event,
            url=url,
            message=message,
        )
    db.session.flush()
    audit.record("event.invitations_sent", event, actor=by, count=len(rows))
    return len(rows)


def invitations_query(event: Event):
    """The event's invitations, newest first (for a paged list)."""
    return (
        db.select(EventInvitation)
        .filter_by(event_id=event.id)
        .order_by(EventInvitation.invited_at.desc(), EventInvitation.id.desc())
    )
