"""The IKM's side of curation: open rounds, submitting, withdrawing, revising."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog import permissions as catalog_permissions
from app.catalog.models import Category, Product
from app.catalog.services import product_cards
from app.core import clock, uow
from app.core.access import found_or_404
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.core.urls import parse_id
from app.curation import bp, decisions, permissions, rounds, submissions
from app.curation.forms import SubmitProductForm
from app.curation.models import Round, Submission
from app.extensions import db
from app.orgs.models import IKM


def _ikm_or_404(ikm_id: int) -> IKM:
    return found_or_404(IKM, ikm_id, catalog_permissions.can_manage_catalog)


@bp.route("/ikm/<int:ikm_id>")
@login_required
def ikm_rounds(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    today = clock.today()
    round_page, submission_page = requested_page("ronde"), requested_page()
    return render_template(
        "curation/ikm_rounds.html",
        ikm=ikm,
        rounds=rounds.open_rounds(today, round_page),
        rounds_url=lambda n: url_for(
            "curation.ikm_rounds", ikm_id=ikm.id, ronde=n, page=submission_page
        ),
        submissions=submissions.ikm_submissions(ikm, submission_page),
        page_url=lambda n: url_for("curation.ikm_rounds", ikm_id=ikm.id, ronde=round_page, page=n),
        today=today,
    )


@bp.route("/ikm/<int:ikm_id>/ronde/<int:round_id>", methods=["GET", "POST"])
@login_required
def submit(ikm_id: int, round_id: int):
    ikm = _ikm_or_404(ikm_id)
    round_ = db.session.get(Round, round_id)
    today = clock.today()
    if round_ is None or rounds.phase(round_, today) == "upcoming" or not round_.partner.is_active:
        abort(404)
    form = SubmitProductForm()
    if form.validate_on_submit():
        product_id = parse_id(form.product_id.data)
        product = db.session.get(Product, product_id) if product_id else None
        if product is None or product.ikm_id != ikm.id:
            abort(404)
        done = uow.run(
            lambda: submissions.submit_product(round_, product, by=current_user),
            success=_("%(product)s is submitted.", product=product.name),
        )
        if done:
            return redirect(url_for("curation.submission", submission_id=done.value.id))
    products = product_cards(ikm, requested_page())
    checks = {p.id: submissions.eligibility(round_, p, today) for p in products.items}
    return render_template(
        "curation/submit.html",
        ikm=ikm,
        round=round_,
        products=products,
        page_url=lambda n: url_for("curation.submit", ikm_id=ikm.id, round_id=round_.id, page=n),
        checks=checks,
        submitted=submissions.submitted_to(round_, list(checks)),
        form=SubmitProductForm(),
        phase=rounds.phase(round_, today),
        phase_labels=rounds.PHASE_LABELS,
        requirement_label=_requirement_text,
        sector_names=_sector_names(round_),
    )


def _sector_names(round_) -> dict[str, str]:
    """The names of the sectors a round's certificate requirements are keyed by (slugs)."""
    slugs = list(round_.required_certificates or {})
    if not slugs:
        return {}
    return {
        c.slug: c.name
        for c in db.session.scalars(db.select(Category).where(Category.slug.in_(slugs)))
    }


def _requirement_text(group: list[str]) -> str:
    from app.curation.forms import requirement_label

    return requirement_label("|".join(group))


def _own_submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not permissions.is_ikm_member(current_user, submission):
        abort(404)
    return submission


def _ikm_action(submission_id: int, action, done_message: str):
    submission = _own_submission_or_404(submission_id)
    if ConfirmForm().validate_on_submit():
        uow.run(lambda: action(submission), success=done_message)
    return redirect(url_for("curation.submission", submission_id=submission.id))


@bp.route("/pengajuan/<int:submission_id>/tarik", methods=["POST"])
@login_required
def withdraw(submission_id: int):
    return _ikm_action(
        submission_id,
        lambda s: submissions.withdraw(s, by=current_user),
        _("The submission is withdrawn."),
    )


@bp.route("/pengajuan/<int:submission_id>/ajukan-ulang", methods=["POST"])
@login_required
def resubmit(submission_id: int):
    return _ikm_action(
        submission_id,
        lambda s: submissions.resubmit(s, by=current_user),
        _("The revised product is submitted again for a new review."),
    )


@bp.route("/pengajuan/<int:submission_id>/syarat/<int:index>", methods=["POST"])
@login_required
def tick_condition(submission_id: int, index: int):
    return _ikm_action(
        submission_id,
        lambda s: decisions.tick_condition(s, index, by=current_user),
        _("The checklist is updated."),
    )
