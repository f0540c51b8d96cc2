"""The trade office's side: verification queues, partners, figures."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    # Not an administrator: the whole area does not exist for them.
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(404)


from app.admin import views  # noqa: E402,F401
