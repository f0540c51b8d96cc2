"""Each person's home after logging in: what their memberships and roles let them do next."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.orgs.models import IKM, MemberRole

bp = Blueprint("home", __name__)


@bp.route("/dasbor")
@login_required
def dashboard():
    memberships = sorted(current_user.memberships, key=lambda m: m.organisation.name)
    ikms = [m.organisation for m in memberships if isinstance(m.organisation, IKM)]
    return render_template("admin/home.html", memberships=memberships, ikms=ikms, roles=MemberRole)
