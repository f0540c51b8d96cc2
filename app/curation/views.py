"""The partner's side of curation: rounds, rubrics, assignment, decisions, results."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.auth.models import User
from app.catalog.models import Category
from app.core import clock, uow
from app.core.forms import ConfirmForm, options
from app.core.paging import ROWS, page_of, requested_page
from app.core.security import log_event
from app.curation import assignment, bp, decisions, permissions, results, rounds
from app.curation.forms import (
    REQUIREMENT_PRESETS,
    AssignForm,
    AutoAssignForm,
    RoundForm,
    RubricForm,
    requirement_label,
)
from app.curation.models import Assignment, Round, Rubric, Submission
from app.extensions import db
from app.orgs.models import Partner


def _partner_or_404(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None or not permissions.is_partner_admin(current_user, partner):
        abort(404)
    return partner


def _round_or_404(round_id: int, check=permissions.can_manage_round) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None or not check(current_user, round_):
        if round_ is not None:
            log_event("access.denied", what="round", round_id=round_id, user_id=current_user.id)
        abort(404)
    return round_


def _sectors() -> list[Category]:
    return db.session.scalars(
        db.select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).all()


def _round_form(partner: Partner, round_: Round | None = None) -> RoundForm:
    form = RoundForm(obj=round_)
    sectors = _sectors()
    form.category_ids.choices = options((c.id, c.name) for c in sectors)
    form.requirements.choices = options(
        (f"{c.slug}:{key}", f"{c.name}: {requirement_label(key)}")
        for c in sectors
        for key in REQUIREMENT_PRESETS
    )
    form.rubric_source.choices = options((r.id, r.name) for r in rounds.rubric_sources(partner))
    if request.method == "GET":
        if round_ is not None:
            form.category_ids.data = [c.id for c in round_.categories]
            form.requirements.data = _requirement_values(round_.required_certificates)
        else:
            form.requirements.data = _requirement_values(
                {c.slug: c.required_certificates for c in sectors if c.required_certificates}
            )
    if round_ is not None:
        del form.rubric_source
    return form


def _requirement_values(required: dict) -> list[str]:
    return [
        f"{sector}:{'|'.join(group)}"
        for sector, groups in required.items()
        for group in groups
        if "|".join(group) in REQUIREMENT_PRESETS
    ]


def _round_data(form: RoundForm) -> rounds.RoundData:
    fields = [
        n
        for n in rounds.RoundData.__dataclass_fields__
        if n not in ("category_ids", "required_certificates")
    ]
    return rounds.RoundData(
        **{n: form[n].data for n in fields},
        category_ids=form.category_ids.data,
        required_certificates=form.required_certificates(),
    )


@bp.route("/mitra/<int:partner_id>", endpoint="rounds")
@login_required
def partner_rounds(partner_id: int):
    partner = _partner_or_404(partner_id)
    today = clock.today()
    page = rounds.partner_rounds(partner, requested_page())
    return render_template(
        "curation/rounds.html",
        partner=partner,
        rounds=page,
        counts=rounds.submission_counts(r.id for r in page.items),
        page_url=lambda n: url_for("curation.rounds", partner_id=partner.id, page=n),
        phase=lambda r: rounds.phase(r, today),
        phase_labels=rounds.PHASE_LABELS,
    )


@bp.route("/mitra/<int:partner_id>/ronde/baru", methods=["GET", "POST"])
@login_required
def new_round(partner_id: int):
    partner = _partner_or_404(partner_id)
    rounds.seed_rubric_templates()
    form = _round_form(partner)
    if form.validate_on_submit():
        source = db.session.get(Rubric, form.rubric_source.data)
        done = uow.run(
            lambda: rounds.create_round(partner, _round_data(form), source, by=current_user),
            form=form,
            success=_("The round is created. Check its rubric, then wait for submissions."),
        )
        if done:
            return redirect(url_for("curation.rubric", round_id=done.value.id))
    return render_template(
        "curation/round_form.html", form=form, partner=partner, round=None, sectors=_sectors()
    )


@bp.route("/ronde/<int:round_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_round(round_id: int):
    round_ = _round_or_404(round_id)
    form = _round_form(round_.partner, round_)
    if form.validate_on_submit() and uow.run(
        lambda: rounds.update_round(round_, _round_data(form), by=current_user),
        form=form,
        success=_("The round is saved."),
    ):
        return redirect(url_for("curation.round", round_id=round_.id))
    return render_template(
        "curation/round_form.html",
        form=form,
        partner=round_.partner,
        round=round_,
        sectors=_sectors(),
    )


@bp.route("/ronde/<int:round_id>/rubrik", methods=["GET", "POST"])
@login_required
def rubric(round_id: int):
    round_ = _round_or_404(round_id)
    locked = rounds.round_has_reviews(round_)
    if request.method == "GET":
        # The saved criteria, then one empty row while the rubric has room for another (with
        # none saved, the form's min_entries makes that row).
        criteria = round_.rubric.criteria
        form = RubricForm(criteria=criteria)
        if criteria and len(form.criteria) < form.criteria.max_entries:
            form.criteria.append_entry()
    else:
        form = RubricForm()
    if not locked and form.validate_on_submit():
        criteria = [
            rounds.CriterionData(
                name=row.form.name.data,
                guidance=row.form.guidance.data or "",
                weight=row.form.weight.data or 0,
                scale_max=row.form.scale_max.data,
                counts=row.form.counts.data,
            )
            for row in form.criteria
            if row.form.name.data
        ]
        if uow.run(
            lambda: rounds.save_criteria(round_, criteria, by=current_user),
            success=_("The rubric is saved."),
        ):
            return redirect(url_for("curation.rubric", round_id=round_.id))
    return render_template("curation/rubric.html", round=round_, form=form, locked=locked)


@bp.route("/ronde/<int:round_id>")
@login_required
def round(round_id: int):
    round_ = _round_or_404(round_id)
    today = clock.today()
    rows = results.ranked(round_)
    staged = sum(1 for row in rows if row.staged_decision)
    return render_template(
        "curation/round.html",
        round=round_,
        rows=page_of(rows, requested_page(), ROWS),
        page_url=lambda n: url_for("curation.round", round_id=round_.id, page=n),
        staged=staged,
        phase=rounds.phase(round_, today),
        phase_labels=rounds.PHASE_LABELS,
        auto_form=AutoAssignForm(),
        confirm_form=ConfirmForm(),
        curators=assignment.curators_of(round_),
        load=assignment.open_load(round_),
    )


@bp.route("/ronde/<int:round_id>/tugaskan-otomatis", methods=["POST"])
@login_required
def auto_assign(round_id: int):
    round_ = _round_or_404(round_id)
    form = AutoAssignForm()
    if form.validate_on_submit():
        done = uow.run(
            lambda: assignment.auto_assign(
                round_, by=current_user, max_per_curator=form.max_per_curator.data
            ),
            success=lambda made: ngettext(
                "%(num)d assignment made.", "%(num)d assignments made.", made
            ),
        )
        waiting = assignment.lacking_curators(round_) if done else 0
        if waiting:
            flash(
                ngettext(
                    "%(num)d submission still lacks curators: add curators or raise the limit.",
                    "%(num)d submissions still lack curators: add curators or raise the limit.",
                    waiting,
                ),
                "error",
            )
    return redirect(url_for("curation.round", round_id=round_.id))


@bp.route("/pengajuan/<int:submission_id>/tugaskan", methods=["POST"])
@login_required
def assign(submission_id: int):
    submission = _submission_for_manager(submission_id)
    form = AssignForm()
    form.curator_id.choices = options(
        (c.id, c.full_name) for c in assignment.curators_of(submission.round)
    )
    if form.validate_on_submit():
        uow.run(
            lambda: assignment.assign(
                submission, db.session.get(User, form.curator_id.data), by=current_user
            ),
            success=_("The curator is assigned and told."),
        )
    else:
        flash(_("Choose a curator of this partner."), "error")
    return redirect(url_for("curation.submission", submission_id=submission.id))


@bp.route("/penugasan/<int:assignment_id>/hapus", methods=["POST"])
@login_required
def unassign(assignment_id: int):
    item = db.session.get(Assignment, assignment_id)
    if item is None or not permissions.can_manage_round(current_user, item.submission.round):
        abort(404)
    if ConfirmForm().validate_on_submit():
        uow.run(lambda: assignment.unassign(item, by=current_user))
    return redirect(url_for("curation.submission", submission_id=item.submission_id))


def _submission_for_manager(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not permissions.can_manage_round(current_user, submission.round):
        abort(404)
    return submission


@bp.route("/ronde/<int:round_id>/terbitkan", methods=["POST"])
@login_required
def publish(round_id: int):
    round_ = _round_or_404(round_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: decisions.publish_decisions(round_, by=current_user),
            success=lambda count: ngettext(
                "%(num)d decision published; the IKM is told.",
                "%(num)d decisions published; the IKMs are told.",
                count,
            ),
        )
    return redirect(url_for("curation.round", round_id=round_.id))


@bp.route("/ronde/<int:round_id>/tutup", methods=["POST"])
@login_required
def close(round_id: int):
    round_ = _round_or_404(round_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: rounds.close_round(round_, by=current_user), success=_("The round is closed.")
        )
    return redirect(url_for("curation.round", round_id=round_.id))


@bp.route("/ronde/<int:round_id>/hasil.csv")
@login_required
def export(round_id: int):
    round_ = _round_or_404(round_id, permissions.can_view_round_figures)
    body = "\ufeff" + results.results_csv(round_)  # the BOM lets spreadsheet programs read UTF-8
    filename = f"hasil-kurasi-{round_.id}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/ronde/<int:round_id>/statistik")
@login_required
def statistics(round_id: int):
    round_ = _round_or_404(round_id, permissions.can_view_round_figures)
    return render_template(
        "curation/statistics.html", round=round_, stats=results.statistics(round_)
    )
