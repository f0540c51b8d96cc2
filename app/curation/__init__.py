"""Curation rounds: rubrics, submissions, assignments, reviews, decisions."""

from flask import Blueprint

bp = Blueprint("curation", __name__, url_prefix="/kurasi")


@bp.app_template_global()
def submission_state_label(state: str) -> str:
    from app.curation.models import STATE_LABELS, SubmissionState

    return str(STATE_LABELS[SubmissionState(state)])


from app.curation import views, views_ikm, views_review  # noqa: E402,F401
