"""Organisations (IKM, partner, buyer), membership, invitations and IKM verification."""

from flask import Blueprint

# No common prefix: organisation pages live under /organisasi, registration under /akun.
bp = Blueprint("orgs", __name__)

from app.orgs import views  # noqa: E402,F401
