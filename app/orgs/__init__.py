"""Organisations (IKM, partner, buyer), membership, invitations and IKM verification."""

from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/organisasi")

from app.orgs import views  # noqa: E402,F401
