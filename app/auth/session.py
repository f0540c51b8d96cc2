"""Flask-Login wiring: the login id carries a session version (see ``User.get_id``)."""

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db, login


def load_user(login_id: str) -> User | None:
    user_id, _, version = login_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def register(app) -> None:
    login.login_view = "auth.login"
    login.login_message = _l("Please log in to see this page.")
    login.login_message_category = "info"
    login.session_protection = "basic"
    login.user_loader(load_user)
