"""Cross-cutting pieces: errors, security headers, mail, audit, time, units, languages."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from app.core import views  # noqa: E402,F401
