"""The trade office's side: verification queues, partners, figures."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from app.admin.exports import ExportUnavailable
from app.admin.permissions import is_trade_office

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_trade_office():
    # Not of the trade office: the whole area does not exist for them. Each view checks its own
    # named permission too (app.core.access.requires).
    if not current_user.is_authenticated or not is_trade_office(current_user):
        abort(404)


@bp.app_errorhandler(ExportUnavailable)
def export_unavailable(error: ExportUnavailable):
    # A missing system library (Pango for the PDF): not the user's fault, and not over in 30
    # seconds either, so no Retry-After; the page says what the server needs.
    return render_template(
        "admin/export_unavailable.html", message=error.message, back=_back_link()
    ), 503


def _back_link() -> str:
    """Where the export was asked from, if that was a page of this site; else the admin home."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("admin.index")


from app.admin import views, views_figures, views_people  # noqa: E402,F401
