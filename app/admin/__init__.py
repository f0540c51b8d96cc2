"""The trade office's side: verification queues, partners, figures."""

from flask import Blueprint, abort
from flask_login import current_user

from app.admin.permissions import is_trade_office

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_trade_office():
    # Not of the trade office: the whole area does not exist for them. Each view checks its own
    # named permission too (app.core.access.requires).
    if not current_user.is_authenticated or not is_trade_office(current_user):
        abort(404)


from app.admin import views, views_people  # noqa: E402,F401
