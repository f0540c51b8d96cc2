"""Business matching: buyer requests, recommendations, consortia, quotes, enquiry threads."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/permintaan")


@bp.app_template_global()
def can_ask_ikms() -> bool:
    """Whether the logged-in person may start an enquiry thread (the catalogue's product page)."""
    from flask_login import current_user

    from app.matching.permissions import can_ask_ikms as allowed

    return allowed(current_user)


from app.matching import views, views_ikm, views_shortlist, views_threads  # noqa: E402,F401
