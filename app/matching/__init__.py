"""Business matching: buyer requests, recommendations, consortia, quotes."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/permintaan")

from app.matching import views, views_ikm, views_shortlist  # noqa: E402,F401
