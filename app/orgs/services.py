"""Organisation operations: profiles, verification, partners, members and invitations.

Services flush and record audit entries; the view or CLI command commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from app.auth import services as auth_services
from app.auth.models import User
from app.auth.passwords import hash_password, password_problem
from app.core import audit, clock, signals
from app.core.errors import DomainValidationError, InvalidTransition, NotFound
from app.core.mail import Priority, queue_email
from app.core.notifications import notify
from app.core.paging import ROWS, Page, paginate
from app.core.urls import external, path_for
from app.extensions import db
from app.orgs import regions
from app.orgs.models import (
    IKM,
    ROLES_BY_KIND,
    Buyer,
    BuyerType,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrgKind,
    Partner,
    VerificationStatus,
)


@dataclass(frozen=True)
class IKMProfile:
    name: str
    nib: str
    sector: str
    province_code: str
    regency_code: str
    address: str
    whatsapp: str
    email: str
    workers: int
    capacity_monthly: int
    capacity_unit: str
    year_founded: int
    has_export_experience: bool
    kbli_code: str | None = None
    kbli_edition: str | None = None
    export_markets: str | None = None
    story: str | None = None
    website: str | None = None


# Changing these asks the trade office to verify the IKM again.
IDENTITY_FIELDS = ("name", "nib")


def add_member(org: Organisation, user, role: MemberRole, by) -> Membership:
    if role not in ROLES_BY_KIND[OrgKind(org.kind)]:
        raise DomainValidationError(
            _l("This role does not exist for this organisation."), field="role"
        )
    existing = db.session.scalar(
        db.select(Membership).filter_by(user_id=user.id, organisation_id=org.id)
    )
    if existing:
        return existing
    member = Membership(user=user, organisation=org, role=role, created_at=clock.now())
    db.session.add(member)
    db.session.flush()
    audit.record("member.added", org, actor=by, user_id=user.id, role=str(role))
    return member


def save_ikm_profile(ikm: IKM, profile: IKMProfile, by, logo: bytes | None = None) -> IKM:
    """Save the profile (and a new logo, if given); a complete draft (or a rejected profile)
    goes to verification.

    :raises DomainValidationError: when the kabupaten/kota is not in the chosen province, or the
        logo is not a usable image
    """
    regency = regions.get(profile.regency_code)
    if regency is None or regency.province_code != profile.province_code:
        raise DomainValidationError(
            _l("Choose a kabupaten/kota in the selected province."), field="regency_code"
        )
    identity_changed = any(getattr(ikm, f) != getattr(profile, f) for f in IDENTITY_FIELDS)
    for field, value in asdict(profile).items():
        setattr(ikm, field, value)
    ikm.region_edition = regions.REGION_EDITION
    needs_review = ikm.status in (VerificationStatus.DRAFT, VerificationStatus.REJECTED) or (
        ikm.status == VerificationStatus.VERIFIED and identity_changed
    )
    if needs_review:
        ikm.status = VerificationStatus.PENDING
        ikm.submitted_at = clock.now()
        ikm.status_reason = None
    db.session.flush()
    audit.record("ikm.profile_saved", ikm, actor=by, sent_for_verification=needs_review)
    if logo:
        replace_logo(ikm, logo, by=by)
    signals.ikm_changed.send(ikm)
    return ikm


def verify_ikm(ikm: IKM, by) -> IKM:
    _ensure_status(ikm, VerificationStatus.PENDING, VerificationStatus.REJECTED)
    ikm.status = VerificationStatus.VERIFIED
    ikm.verified_at = clock.now()
    ikm.verified_by_id = by.id
    ikm.status_reason = None
    db.session.flush()
    audit.record("ikm.verified", ikm, actor=by)
    signals.ikm_changed.send(ikm)
    tell_ikm(
        ikm,
        f"ikm.verified:{ikm.id}:{ikm.verified_at.isoformat()}",
        _l("Your IKM is verified on Etalase"),
        path_for("orgs.overview", org_id=ikm.id),
        "ikm_verified",
    )
    return ikm


def reject_ikm(ikm: IKM, reason: str, by) -> IKM:
    _ensure_status(ikm, VerificationStatus.PENDING, VerificationStatus.VERIFIED)
    if not reason.strip():
        raise DomainValidationError(_l("Give the IKM a reason it can act on."), field="reason")
    ikm.status = VerificationStatus.REJECTED
    ikm.status_reason = reason.strip()
    ikm.verified_at = None
    db.session.flush()
    audit.record("ikm.rejected", ikm, actor=by, reason=ikm.status_reason)
    signals.ikm_changed.send(ikm)
    tell_ikm(
        ikm,
        f"ikm.rejected:{ikm.id}:{clock.now().isoformat()}",
        _l("Your IKM profile needs changes"),
        path_for("orgs.edit_ikm_profile", org_id=ikm.id),
        "ikm_rejected",
    )
    return ikm


def _ensure_status(ikm: IKM, *allowed: VerificationStatus) -> None:
    if ikm.status not in allowed:
        raise InvalidTransition(_l("This IKM is not in a state that allows this."))


def tell_ikm(ikm: IKM, key: str, text, url: str, template: str | None = None, **context) -> None:
    """Tell an IKM's owners and staff: a notification in the site and, with a template, an
    email in each person's language. Sent once per ``key`` and person.

    :param url: the site path the notification links to (the email gets it in full)
    """
    for member in ikm.memberships:
        if member.role in (MemberRole.OWNER, MemberRole.STAFF):
            notify(member.user, key, text, url, subject=text, template=template, ikm=ikm, **context)


def replace_logo(org: Organisation, data: bytes, by) -> None:
    """Process an uploaded logo (see ``catalog.images``) and make it the organisation's logo.

    :raises DomainValidationError: when the file is not a usable image or over the quota
    """
    from app import storage
    from app.catalog.images import LOGO_SIZES, process

    rendition = process(data, LOGO_SIZES, field="logo")["logo"]
    check_quota(org, len(rendition.data), field="logo")
    old = org.logo
    org.logo = storage.store(
        rendition.data, rendition.content_type, "logo", org.id, rendition.width, rendition.height
    )
    db.session.flush()
    storage.discard(old)
    audit.record("organisation.logo_changed", org, actor=by)


def check_quota(org: Organisation, extra_bytes: int, field: str | None = None) -> None:
    from app import storage

    quota = current_app.config["STORAGE_QUOTA_BYTES"]
    if storage.used_bytes(org.id) + extra_bytes > quota:
        raise DomainValidationError(
            _l(
                "Your organisation has used its storage (%(mb)d MB). Delete some photos or documents first.",
                mb=quota // 2**20,
            ),
            field=field,
        )


def create_partner(
    name: str,
    partner_type: str,
    by,
    email: str | None = None,
    website: str | None = None,
    description: str | None = None,
    province_code: str | None = None,
    regency_code: str | None = None,
) -> Partner:
    taken = db.session.scalar(
        db.select(Partner.id).where(db.func.lower(Partner.name) == name.strip().lower())
    )
    if taken:
        raise DomainValidationError(_l("A partner with this name already exists."), field="name")
    partner = Partner(
        name=name.strip(),
        partner_type=partner_type,
        email=email,
        website=website,
        description=description,
        province_code=province_code,
        regency_code=regency_code,
        region_edition=regions.REGION_EDITION if regency_code else None,
    )
    db.session.add(partner)
    db.session.flush()
    audit.record("partner.created", partner, actor=by)
    return partner


def set_partner_active(partner: Partner, active: bool, by) -> Partner:
    partner.is_active = active
    db.session.flush()
    audit.record("partner.activated" if active else "partner.deactivated", partner, actor=by)
    signals.partner_changed.send(partner)
    return partner


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(org: Organisation, email: str, role: MemberRole, by) -> Invitation:
    """Invite ``email`` to ``org`` with ``role`` and email them a link that expires."""

    email = auth_services.normalise_email(email)
    if role not in ROLES_BY_KIND[OrgKind(org.kind)]:
        raise DomainValidationError(
            _l("This role does not exist for this organisation."), field="role"
        )
    if any(m.user.email == email for m in org.memberships):
        raise DomainValidationError(_l("This person is already a member."), field="email")
    now = clock.now()
    for earlier in _open_invitations_for(org, email):
        earlier.revoked_at = now  # a new link replaces the old one
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=org,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_TTL_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.sent", org, actor=by, email=email, role=str(role))
    queue_email(
        email,
        _l("You are invited to %(org)s on Etalase", org=org.name),
        "invitation",
        priority=Priority.TRANSACTIONAL,
        invitation=invitation,
        inviter=by,
        url=external("orgs.invitation", token=token),
    )
    return invitation


def open_invitation(token: str) -> Invitation:
    """The invitation behind a link, if it is still open.

    :raises NotFound: for an unknown, used, revoked or expired link
    """
    invitation = db.session.scalar(db.select(Invitation).filter_by(token_hash=_token_hash(token)))
    if invitation is None or not invitation.is_open(clock.now()):
        raise NotFound(_l("This invitation is no longer valid. Ask for a new one."))
    return invitation


def accept_invitation(invitation: Invitation, user) -> Membership:
    if user.email != invitation.email:
        raise DomainValidationError(
            _l("This invitation was sent to another email address. Log in with that address.")
        )
    if not invitation.is_open(clock.now()):
        raise InvalidTransition(_l("This invitation is no longer valid. Ask for a new one."))
    invitation.accepted_at = clock.now()
    invitation.accepted_by_id = user.id
    for other in _open_invitations_for(invitation.organisation, invitation.email):
        if other is not invitation:
            other.revoked_at = clock.now()
    if user.email_confirmed_at is None:  # the link reached this inbox
        user.email_confirmed_at = clock.now()
    return add_member(invitation.organisation, user, MemberRole(invitation.role), by=user)


def join_with_new_account(invitation: Invitation, full_name: str, password: str, locale: str):
    """Create the invited person's account (its email confirmed by the link) and join.

    :returns: the new user
    """
    user = auth_services.create_user(
        invitation.email, full_name, password, locale=locale, confirmed=True
    )
    accept_invitation(invitation, user)
    return user


def _open_invitations_for(org: Organisation, email: str) -> list[Invitation]:
    now = clock.now()
    rows = db.session.scalars(db.select(Invitation).filter_by(organisation_id=org.id, email=email))
    return [inv for inv in rows if inv.is_open(now)]


def revoke_invitation(invitation: Invitation, by) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        raise InvalidTransition(_l("This invitation is already closed."))
    invitation.revoked_at = clock.now()
    audit.record("invitation.revoked", invitation.organisation, actor=by, email=invitation.email)


def remove_member(member: Membership, by) -> None:
    org = member.organisation
    audit.record("member.removed", org, actor=by, user_id=member.user_id, role=member.role)
    db.session.delete(member)
    db.session.flush()


def pending_invitations(org: Organisation, number: int = 1) -> Page:
    """A page of the organisation's open invitations (not accepted, revoked or expired), newest
    first."""
    return paginate(
        db.select(Invitation)
        .filter_by(organisation_id=org.id, accepted_at=None, revoked_at=None)
        .where(Invitation.expires_at > clock.now())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()),
        number,
        ROWS,
    )


def members(org: Organisation, number: int = 1) -> Page:
    """A page of the organisation's members with their accounts, by role and then name."""
    return paginate(
        db.select(Membership)
        .join(User, Membership.user_id == User.id)
        .filter(Membership.organisation_id == org.id)
        .options(contains_eager(Membership.user))
        .order_by(Membership.role, User.full_name, Membership.id),
        number,
        ROWS,
    )


def ikm_queue(status: str | None = None, number: int = 1) -> Page:
    """A page of IKMs for the trade office (in ``status``, or all), longest waiting first."""
    query = db.select(IKM).order_by(IKM.submitted_at.is_(None), IKM.submitted_at, IKM.id)
    if status:
        query = query.filter_by(status=status)
    return paginate(query, number, ROWS)


# -- registration with an organisation ---------------------------------------------------


@dataclass(frozen=True)
class Registration:
    email: str
    full_name: str
    password: str
    account_type: str  # "ikm", "buyer_company", "buyer_individual"
    organisation_name: str | None = None
    locale: str = "id"


def register(data: Registration):
    """Register an IKM owner or a buyer, with their organisation, and send the confirmation.

    When the email already has an account, nothing is created and the owner of that address
    is told by email instead, so that the page reveals nothing about who is registered: one
    email is queued and one password hash is made either way.
    """
    existing = auth_services.find_user(data.email)
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
            priority=Priority.TRANSACTIONAL,
            locale=existing.locale,
            user=existing,
            login_url=external("auth.login"),
            reset_url=external("auth.forgot_password"),
        )
        return None
    user = auth_services.create_user(data.email, data.full_name, data.password, locale=data.locale)
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
    auth_services.send_confirmation(user)
    return user


def ikm_status_counts() -> dict[str, int]:
    """How many IKMs are in each verification status (one grouped query), for the homes."""
    counts = dict(
        db.session.execute(db.select(IKM.status, db.func.count()).group_by(IKM.status)).all()
    )
    return {status.value: counts.get(status.value, 0) for status in VerificationStatus}
