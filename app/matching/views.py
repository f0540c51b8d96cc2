"""The buyer's side of matching: requests, their list and their page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog.services import leaf_categories
from app.core import clock, uow
from app.core.access import requires
from app.core.audit import entries_for
from app.core.forms import ConfirmForm, options
from app.core.paging import CARDS, ROWS, page_of, requested_page
from app.extensions import db
from app.matching import bp, permissions, recommend, services, workflow
from app.matching.forms import RequestForm
from app.matching.models import BuyerRequest
from app.orgs.forms import fill_region_choices


def _request_or_404(request_id: int, manage: bool = False) -> BuyerRequest:
    found = db.session.get(BuyerRequest, request_id)
    check = permissions.can_manage_request if manage else permissions.can_view_request
    if found is None or not check(current_user, found):
        abort(404)
    return found


def _form(existing: BuyerRequest | None = None) -> RequestForm:
    form = RequestForm(obj=existing)
    orgs = permissions.ordering_orgs(current_user)
    form.organisation_id.choices = options((o.id, o.name) for o in orgs)
    form.category_id.choices = options(
        [(0, _("Any category"))] + [(c.id, c.full_name) for c in leaf_categories()]
    )
    fill_region_choices(form.province_code, form.regency_code, blank_label=_("Anywhere"))
    if existing is not None:
        del form.organisation_id
    return form


@bp.route("/")
@login_required
@requires(permissions.can_post_requests)
def requests():
    orgs = permissions.ordering_orgs(current_user)
    return render_template(
        "matching/requests.html",
        requests=services.requests_of([o.id for o in orgs], requested_page()),
        page_url=lambda n: url_for("matching.requests", page=n),
    )


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@requires(permissions.can_post_requests)
def new_request():
    form = _form()
    if form.validate_on_submit():
        org = next(
            o for o in permissions.ordering_orgs(current_user) if o.id == form.organisation_id.data
        )
        done = uow.run(
            lambda: services.create_request(org, form.data_for_service(), by=current_user),
            form=form,
            success=_("The request is saved as a draft."),
        )
        if done:
            return redirect(url_for("matching.request_detail", request_id=done.value.id))
    return render_template("matching/request_form.html", form=form, existing=None)


@bp.route("/<int:request_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    existing = _request_or_404(request_id, manage=True)
    if existing.state not in workflow.EDITABLE:
        abort(404)
    form = _form(existing)
    if request.method == "GET" and existing.regency_code:
        form.province_code.data = existing.province_code
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.update_request(existing, form.data_for_service(), by=current_user),
            form=form,
            success=_("The request is saved."),
        )
        if done:
            return redirect(url_for("matching.request_detail", request_id=existing.id))
    return render_template("matching/request_form.html", form=form, existing=existing)


@bp.route("/<int:request_id>")
@login_required
def request_detail(request_id: int):
    found = _request_or_404(request_id)
    return render_template(
        "matching/request.html",
        req=found,
        can_manage=permissions.can_manage_request(current_user, found),
        can_open=workflow.allowed(found, workflow.Action.OPEN, current_user),
        can_cancel=workflow.allowed(found, workflow.Action.CANCEL, current_user),
        editable=found.state in workflow.EDITABLE,
        history=entries_for(found),
        confirm_form=ConfirmForm(),
    )


@bp.route("/<int:request_id>/buka", methods=["POST"])
@login_required
def open_request(request_id: int):
    found = _request_or_404(request_id, manage=True)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: services.open_request(found, by=current_user),
            success=_("The request is open for quotes."),
        )
    return redirect(url_for("matching.request_detail", request_id=found.id))


@bp.route("/<int:request_id>/batal", methods=["POST"])
@login_required
def cancel_request(request_id: int):
    found = _request_or_404(request_id, manage=True)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: workflow.transition(found, workflow.Action.CANCEL, by=current_user),
            success=_("The request is cancelled."),
        )
    return redirect(url_for("matching.request_detail", request_id=found.id))


@bp.route("/<int:request_id>/rekomendasi")
@login_required
def recommendations(request_id: int):
    found = _request_or_404(request_id)
    result = recommend.recommend(found, clock.today())
    plan, members = recommend.consortium(found, result) if found.allow_consortium else (None, {})
    ranked_page, excluded_page = requested_page(), requested_page("tidak")
    return render_template(
        "matching/recommendations.html",
        req=found,
        ranked=page_of(result.recommendations, ranked_page, CARDS),
        excluded=page_of(result.excluded, excluded_page, ROWS),
        page_url=lambda n: url_for(
            "matching.recommendations", request_id=found.id, page=n, tidak=excluded_page
        ),
        excluded_url=lambda n: url_for(
            "matching.recommendations", request_id=found.id, page=ranked_page, tidak=n
        ),
        weights=recommend.WEIGHTS,
        plan=plan,
        members=members,
    )
