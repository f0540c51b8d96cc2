"""Each person's home after logging in: what their memberships and roles let them do next."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user, login_required

from app.core.paging import CARDS, page_of, requested_page
from app.matching import threads
from app.matching.permissions import ordering_orgs
from app.matching.quotes import ikm_to_do, waiting_quotes
from app.orgs.models import IKM, MemberRole

bp = Blueprint("home", __name__)


@bp.route("/dasbor")
@login_required
def dashboard():
    # The memberships come with the user (selectin, organisation joined): paged in memory.
    memberships = sorted(current_user.memberships, key=lambda m: (m.organisation.name, m.id))
    page = page_of(memberships, requested_page(), CARDS)
    ikms = [m.organisation for m in memberships if isinstance(m.organisation, IKM)]
    return render_template(
        "admin/home.html",
        memberships=page,
        page_url=lambda n: url_for("home.dashboard", page=n),
        ikms=ikms if page.number == 1 else [],
        roles=MemberRole,
        waiting_quotes=waiting_quotes([o.id for o in ordering_orgs(current_user)]),
        unread_messages=threads.unread_total(current_user),
        ikm_to_do=ikm_to_do(
            [m.organisation_id for m in page.items if m.organisation.kind == "ikm"]
        ),
    )
