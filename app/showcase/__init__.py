"""The public shop window: home, catalogue, product, IKM and partner pages. No login needed.

It reads what is listed from ``app.curation.listing`` and searches through ``app.search``.
"""

from flask import Blueprint

bp = Blueprint("showcase", __name__)

from app.showcase import cards, views  # noqa: E402,F401
