"""Each person's home after logging in: what their memberships and roles let them do next.

Every section is counted with grouped queries in the parts' services, so the home asks the
database as often for someone with many rows as for someone with few."""

from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_login import current_user, login_required

from app.catalog import services as catalog_services
from app.core import clock
from app.core.paging import CARDS, page_of, requested_page
from app.curation import rounds as curation_rounds
from app.curation import services as curation_services
from app.events import services as events_services
from app.matching import services as matching_services
from app.matching import threads
from app.matching.models import REQUEST_STATE_LABELS, RequestState
from app.matching.permissions import ordering_orgs
from app.matching.quotes import ikm_to_do, waiting_quotes
from app.orgs import services as org_services
from app.orgs.models import IKM, MemberRole, VerificationStatus

bp = Blueprint("home", __name__)


@dataclass(frozen=True)
class OfficeQueues:
    """What waits on the trade office."""

    ikms: int
    certificates: int
    expiring: int
    closing_rounds: int
    events: int


def _office_queues(today) -> OfficeQueues:
    certificates = catalog_services.certificate_counts(today)
    return OfficeQueues(
        ikms=org_services.ikm_status_counts()[VerificationStatus.PENDING],
        certificates=certificates["claimed"],
        expiring=certificates["expiring"],
        closing_rounds=curation_services.closing_soon_count(today),
        events=events_services.upcoming_count(today),
    )


@bp.route("/dasbor")
@login_required
def dashboard():
    today = clock.today()
    # The memberships come with the user (selectin, organisation joined): paged in memory.
    memberships = sorted(current_user.memberships, key=lambda m: (m.organisation.name, m.id))
    page = page_of(memberships, requested_page(), CARDS)
    ikms = [m.organisation for m in memberships if isinstance(m.organisation, IKM)]
    ikm_ids = [ikm.id for ikm in ikms]
    partner_ids = [m.organisation_id for m in memberships if m.role == MemberRole.PARTNER_ADMIN]
    partners = {m.organisation_id: m.organisation for m in memberships}
    buying = [o.id for o in ordering_orgs(current_user)]
    curator = any(m.role == MemberRole.CURATOR for m in memberships)
    reviews_due, due_reviews = curation_services.reviews_due(current_user) if curator else (0, [])
    return render_template(
        "admin/home.html",
        memberships=page,
        page_url=lambda n: url_for("home.dashboard", page=n),
        ikms=ikms if page.number == 1 else [],
        ikm_names={ikm.id: ikm.name for ikm in ikms},
        roles=MemberRole,
        office=_office_queues(today) if current_user.is_admin else None,
        expiring_days=catalog_services.EXPIRING_DAYS,
        closing_days=curation_services.CLOSING_DAYS,
        curator=curator,
        reviews_due=reviews_due,
        due_reviews=due_reviews,
        partner_rounds=[
            (partners[pid], counts)
            for pid, counts in curation_services.partner_round_counts(partner_ids, today).items()
        ],
        current_rounds=curation_services.current_rounds(partner_ids),
        phase=curation_rounds.phase,
        phase_labels=curation_rounds.PHASE_LABELS,
        decisions=curation_services.latest_decisions(ikm_ids),
        expiring=catalog_services.expiring_counts(ikm_ids, today),
        buying=bool(buying),
        requests_by_state=matching_services.request_counts(buying),
        request_states=[(state.value, REQUEST_STATE_LABELS[state]) for state in RequestState],
        waiting_quotes=waiting_quotes(buying),
        unread_messages=threads.unread_total(current_user),
        ikm_to_do=ikm_to_do(
            [m.organisation_id for m in page.items if m.organisation.kind == "ikm"]
        ),
        today=today,
    )
