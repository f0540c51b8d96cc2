"""The partner's decisions: staged one by one, published together, conditions ticked off."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.catalog import services as catalog_services
from app.core import audit, clock
from app.core.errors import DomainValidationError, InvalidTransition
from app.curation.models import Decision, Round, Submission, SubmissionState
from app.curation.submissions import tell_ikm_of
from app.curation.workflow import Action, transition
from app.extensions import db


def stage_decision(
    submission: Submission, decision: str, reason: str, conditions: list[str], by
) -> None:
    """Record the partner's decision without telling anyone yet (see ``publish_decisions``)."""
    from app.curation.permissions import can_manage_round

    if not can_manage_round(by, submission.round):
        raise InvalidTransition(_l("You may not decide on this submission."))
    if submission.state != SubmissionState.IN_REVIEW or submission.round.closed_at:
        raise InvalidTransition(_l("Only submissions in review can be decided."))
    decision = Decision(decision)
    if decision in (Decision.REJECT, Decision.REVISE) and not reason.strip():
        raise DomainValidationError(
            _l("Tell the IKM why, so that it can act on it."), field="reason"
        )
    submission.staged_decision = decision
    submission.decision_reason = reason.strip() or None
    submission.conditions = (
        [{"text": text, "done_at": None} for text in conditions if text.strip()]
        if decision == Decision.ACCEPT
        else []
    )
    submission.decided_by_id = by.id
    db.session.flush()
    audit.record("submission.decision_staged", submission, actor=by, decision=str(decision))


PUBLISH = {
    Decision.ACCEPT: Action.ACCEPT,
    Decision.REJECT: Action.REJECT,
    Decision.REVISE: Action.REQUEST_REVISION,
}


def publish_decisions(round_: Round, by) -> int:
    """Publish every staged decision of the round at once; the IKMs are told now."""
    staged = [
        s for s in round_.submissions if s.staged_decision and s.state == SubmissionState.IN_REVIEW
    ]
    if not staged:
        raise InvalidTransition(_l("There are no staged decisions to publish."))
    for submission in staged:
        decision = Decision(submission.staged_decision)
        transition(submission, PUBLISH[decision], by=by, note=submission.decision_reason)
        submission.published_at = clock.now()
        submission.staged_decision = None
        _tell_ikm_of_decision(submission, decision)
        catalog_services.product_changed(submission.product)
    return len(staged)


def _tell_ikm_of_decision(submission: Submission, decision: Decision) -> None:
    """The IKM hears the outcome itself, not only that there is one."""
    names = {"product": submission.product.name, "round": submission.round.title}
    text, template = {
        Decision.ACCEPT: (
            _l("%(product)s is accepted in %(round)s.", **names),
            "decision_published",
        ),
        Decision.REJECT: (
            _l("%(product)s is not accepted in %(round)s.", **names),
            "decision_published",
        ),
        Decision.REVISE: (
            _l("%(round)s asks you to revise %(product)s.", **names),
            "revision_requested",
        ),
    }[decision]
    tell_ikm_of(submission, f"decision:{submission.id}:{submission.cycle}", text, template)


def tick_condition(submission: Submission, index: int, by) -> None:
    if submission.state != SubmissionState.ACCEPTED or not 0 <= index < len(submission.conditions):
        raise InvalidTransition(_l("There is no such condition to tick off."))
    conditions = [dict(c) for c in submission.conditions]
    conditions[index]["done_at"] = None if conditions[index]["done_at"] else clock.now().isoformat()
    submission.conditions = conditions
    audit.record("submission.condition_ticked", submission, actor=by, index=index)
