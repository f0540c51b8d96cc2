"""Products, photos and certifications (IKM side), and the public catalogue pages."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)
