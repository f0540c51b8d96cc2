"""Accounts: registration, email confirmation, login, logout, password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/akun")

from app.auth import views  # noqa: E402,F401
