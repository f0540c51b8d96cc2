"""What each person sees in the navigation, from their memberships and roles."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.core import notifications
from app.core.i18n import user_or_none
from app.matching import threads
from app.matching.permissions import can_post_requests
from app.orgs.models import MemberRole


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def items_for(user) -> list[NavItem]:
    catalogue = NavItem(_l("Catalogue"), url_for("showcase.search_page"))
    if user is None:
        return [
            catalogue,
            NavItem(_l("Log in"), url_for("auth.login")),
            NavItem(_l("Register"), url_for("orgs.register")),
        ]
    items = [NavItem(_l("My dashboard"), url_for("home.dashboard")), catalogue]
    for member in sorted(user.memberships, key=lambda m: m.organisation.name):
        items.append(NavItem(_label(member), _home_of(member)))
    if any(m.role == MemberRole.CURATOR for m in user.memberships):
        items.append(NavItem(_l("My review queue"), url_for("curation.queue")))
    if can_post_requests(user):
        items.append(NavItem(_l("My requests"), url_for("matching.requests")))
        items.append(NavItem(_l("My shortlist"), url_for("matching.shortlist_page")))
    items.append(NavItem(_l("Business-matching events"), url_for("events.events")))
    if user.is_admin:
        items.append(NavItem(_l("Events office"), url_for("events.office_events")))
        items.append(NavItem(_l("Buyer requests"), url_for("matching.all_requests")))
        items.append(NavItem(_l("IKM verification"), url_for("admin.ikm_queue")))
        items.append(NavItem(_l("Certificates"), url_for("admin.certificate_queue")))
        items.append(NavItem(_l("Partners"), url_for("admin.partners")))
        items.append(NavItem(_l("Rounds closing soon"), url_for("admin.rounds")))
        items.append(NavItem(_l("Programme figures"), url_for("admin.figures_page")))
        items.append(NavItem(_l("Audit trail"), url_for("admin.audit_trail")))
        items.append(NavItem(_l("Users"), url_for("admin.users")))
    if threads.participant_org_ids(user):
        unread_messages = threads.unread_total(user)
        label = _l("Messages (%(n)d)", n=unread_messages) if unread_messages else _l("Messages")
        items.append(NavItem(label, url_for("matching.inbox")))
    unread = notifications.unread_count(user)
    label = _l("Notifications (%(n)d)", n=unread) if unread else _l("Notifications")
    items.append(NavItem(label, url_for("core.notifications")))
    items.append(NavItem(_l("Account"), url_for("auth.settings")))
    return items


def _home_of(member) -> str:
    if member.role == MemberRole.PARTNER_ADMIN:
        return url_for("curation.rounds", partner_id=member.organisation_id)
    return url_for("orgs.overview", org_id=member.organisation_id)


def _label(member) -> str:
    prefix = {
        MemberRole.OWNER: _l("My IKM"),
        MemberRole.STAFF: _l("My IKM"),
        MemberRole.PARTNER_ADMIN: _l("Partner"),
        MemberRole.CURATOR: _l("Curation"),
        MemberRole.BUYER: _l("Buying"),
    }[MemberRole(member.role)]
    return f"{prefix}: {member.organisation.name}"


def register(app) -> None:
    @app.context_processor
    def navigation():
        if not has_request_context():  # emails rendered from the CLI
            return {}
        return {
            "nav_items": items_for(user_or_none()),
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?"),
        }
