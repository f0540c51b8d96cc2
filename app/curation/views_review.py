"""The submission page (for the IKM, the curators and the partner), and the curator's work."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.forms import ConfirmForm, options
from app.core.paging import requested_page
from app.core.security import log_event
from app.curation import assignment, bp, decisions, permissions, reviews, submissions
from app.curation.forms import AssignForm, ConflictForm, DecisionForm, review_form_class
from app.curation.models import Submission
from app.curation.workflow import ACTION_LABELS, Action, allowed
from app.extensions import db


def _submission_or_404(submission_id: int, check=permissions.can_view_submission) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not check(current_user, submission):
        if submission is not None:
            log_event(
                "access.denied",
                what="submission",
                submission_id=submission_id,
                user_id=current_user.id,
            )
        abort(404)
    return submission


@bp.route("/pengajuan/<int:submission_id>")
@login_required
def submission(submission_id: int):
    submission = _submission_or_404(submission_id)
    manager = permissions.can_manage_round(current_user, submission.round)
    mine = permissions.assignment_of(current_user, submission)
    context = {
        "submission": submission,
        "round": submission.round,
        "manager": manager,
        "my_assignment": mine,
        "is_ikm": permissions.is_ikm_member(current_user, submission),
        "show_ikm": permissions.can_see_ikm_identity(current_user, submission),
        "summary": reviews.summary(submission),
        "today": clock.today(),
        "changes": submissions.changes_since_submission(submission, clock.today())
        if (manager or mine)
        else [],
        "action_labels": ACTION_LABELS,
        "allowed": lambda action: allowed(submission, Action(action), current_user),
        "confirm_form": ConfirmForm(),
        "criteria": submission.round.rubric.criteria,
        "review_scores": reviews.review_scores,
    }
    if manager:
        context.update(_manager_context(submission))
    elif mine:
        context["others"] = reviews.others_seen_by(mine)
        context["conflict_form"] = ConflictForm()
    else:
        context.update(reviews.feedback_for_ikm(submission))
    return render_template("curation/submission.html", **context)


def _manager_context(submission: Submission) -> dict:
    assign_form = AssignForm()
    taken = {a.curator_id for a in submission.current_assignments()}
    assign_form.curator_id.choices = options(
        (c.id, c.full_name) for c in assignment.curators_of(submission.round) if c.id not in taken
    )
    decision_form = DecisionForm(
        decision=submission.staged_decision, reason=submission.decision_reason
    )
    cycles = sorted({a.cycle for a in submission.assignments}, reverse=True)
    return {
        "assign_form": assign_form,
        "decision_form": decision_form,
        "reviews_by_cycle": {
            cycle: [a for a in submission.assignments if a.cycle == cycle] for cycle in cycles
        },
    }


@bp.route("/tugas")
@login_required
def queue():
    return render_template(
        "curation/queue.html",
        assignments=assignment.curator_queue(current_user, requested_page()),
        page_url=lambda n: url_for("curation.queue", page=n),
        today=clock.today(),
    )


@bp.route("/pengajuan/<int:submission_id>/ulasan", methods=["GET", "POST"])
@login_required
def review(submission_id: int):
    submission = _submission_or_404(submission_id, permissions.can_review)
    mine = permissions.assignment_of(current_user, submission)
    criteria = submission.round.rubric.criteria
    form_class = review_form_class(criteria)
    existing = mine.review
    form = form_class(obj=existing)
    if existing is not None and not form.is_submitted():
        for criterion_id, value in reviews.review_scores(existing).items():
            if f"score_{criterion_id}" in form:
                form[f"score_{criterion_id}"].data = value
    if form.validate_on_submit():
        scores = {c.id: form[f"score_{c.id}"].data for c in criteria}
        submit = form.action.data == "submit"
        if uow.run(
            lambda: reviews.save_review(
                mine,
                scores,
                form.comment.data or "",
                form.private_note.data or "",
                submit,
                by=current_user,
            ),
            form=form,
            success=_("Your review is submitted. You can still change it until the decision.")
            if submit
            else _("Your draft is saved."),
        ):
            return redirect(url_for("curation.submission", submission_id=submission.id))
    return render_template(
        "curation/review.html",
        submission=submission,
        form=form,
        criteria=criteria,
        review=existing,
        show_ikm=permissions.can_see_ikm_identity(current_user, submission),
        my_assignment=mine,  # for the snapshot: the curator may open the certificate documents
    )


@bp.route("/pengajuan/<int:submission_id>/konflik", methods=["POST"])
@login_required
def declare_conflict(submission_id: int):
    submission = _submission_or_404(submission_id)
    mine = permissions.assignment_of(current_user, submission)
    if mine is None:
        abort(404)
    form = ConflictForm()
    if form.validate_on_submit():
        if uow.run(
            lambda: assignment.declare_conflict(mine, form.reason.data, by=current_user),
            success=_("Thank you. The partner will assign another curator."),
        ):
            return redirect(url_for("curation.queue"))
        return redirect(url_for("curation.submission", submission_id=submission.id))
    flash(_("Say briefly why."), "error")
    return redirect(url_for("curation.submission", submission_id=submission.id))


@bp.route("/pengajuan/<int:submission_id>/keputusan", methods=["POST"])
@login_required
def decide(submission_id: int):
    submission = _submission_or_404(
        submission_id, lambda user, s: permissions.can_manage_round(user, s.round)
    )
    form = DecisionForm()
    if form.validate_on_submit():
        uow.run(
            lambda: decisions.stage_decision(
                submission,
                form.decision.data,
                form.reason.data or "",
                form.condition_list(),
                by=current_user,
            ),
            success=_("The decision is staged. Publish the round's decisions to tell the IKMs."),
        )
    else:
        flash(_("Choose a decision."), "error")
    return redirect(url_for("curation.submission", submission_id=submission.id))
