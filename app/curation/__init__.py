"""Curation rounds: rubrics, submissions, assignments, reviews, decisions."""

from flask import Blueprint

bp = Blueprint("curation", __name__, url_prefix="/kurasi")


@bp.app_template_global()
def submission_state_label(state: str) -> str:
    from app.curation.models import STATE_LABELS, SubmissionState

    return str(STATE_LABELS[SubmissionState(state)])


@bp.app_template_global()
def decision_label(decision: str) -> str:
    from app.curation.models import DECISION_LABELS, Decision

    return str(DECISION_LABELS[Decision(decision)])


from app.curation import views, views_ikm, views_review  # noqa: E402,F401
