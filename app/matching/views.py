"""The buyer's side of matching: requests, their list and their page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.catalog.services import leaf_categories
from app.core import clock, uow
from app.core.access import requires
from app.core.audit import entries_for
from app.core.forms import ConfirmForm, options
from app.core.paging import CARDS, ROWS, page_of, requested_page
from app.extensions import db
from app.matching import award, bp, permissions, quotes, recommend, services, threads, workflow
from app.matching.forms import AcceptForm, RequestForm
from app.matching.models import REQUEST_STATE_LABELS, BuyerRequest, Quote
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


@bp.route("/semua")
@login_required
@requires(lambda user: user.is_admin)
def all_requests():
    """Every request, for the trade office: read-only."""
    return render_template(
        "matching/requests.html",
        requests=services.all_requests(requested_page()),
        page_url=lambda n: url_for("matching.all_requests", page=n),
        everyone=True,
        totals=services.programme_totals(),
        request_state_labels=REQUEST_STATE_LABELS,
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
    recipient_page = requested_page("kirim")
    sent_to = quotes.recipients(found, recipient_page)
    return render_template(
        "matching/request.html",
        req=found,
        can_manage=permissions.can_manage_request(current_user, found),
        can_open=workflow.allowed(found, workflow.Action.OPEN, current_user),
        can_cancel=workflow.allowed(found, workflow.Action.CANCEL, current_user),
        editable=found.state in workflow.EDITABLE,
        can_see_summary=award.can_view_summary(current_user, found),
        history=entries_for(found),
        confirm_form=ConfirmForm(),
        recipients=sent_to,
        recipients_url=lambda n: url_for("matching.request_detail", request_id=found.id, kirim=n),
        conversations=threads.request_threads(found, [r.ikm_id for r in sent_to.items]),
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
        ranked_total=result.ranked_total,
        excluded_total=result.excluded_total,
        left_out=result.left_out,
        page_url=lambda n: url_for(
            "matching.recommendations", request_id=found.id, page=n, tidak=excluded_page
        ),
        excluded_url=lambda n: url_for(
            "matching.recommendations", request_id=found.id, page=ranked_page, tidak=n
        ),
        weights=recommend.WEIGHTS,
        plan=plan,
        members=members,
        can_manage=permissions.can_manage_request(current_user, found),
    )


def _allocations(values: list[str]) -> dict[int, int | None] | None:
    """``ikm`` values of the send form: "12" or "12:8000" (an IKM and its proposed share)."""
    found: dict[int, int | None] = {}
    for value in values:
        ikm_id, _, share = value.partition(":")
        if not ikm_id.isdigit() or (share and not share.isdigit()) or len(value) > 30:
            return None
        found[int(ikm_id)] = int(share) if share else None
    return found or None


@bp.route("/<int:request_id>/kirim", methods=["POST"])
@login_required
def send(request_id: int):
    found = _request_or_404(request_id, manage=True)
    allocations = _allocations(request.form.getlist("ikm"))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("matching.recommendations", request_id=found.id))
    if allocations is None:
        flash(_("Choose at least one IKM."), "error")
        return redirect(url_for("matching.recommendations", request_id=found.id))
    uow.run(
        lambda: quotes.send(found, allocations, by=current_user),
        success=lambda sent: ngettext(
            "The request is sent to %(num)d IKM.", "The request is sent to %(num)d IKMs.", len(sent)
        ),
    )
    return redirect(url_for("matching.quotes", request_id=found.id))


@bp.route("/<int:request_id>/penawaran", endpoint="quotes")
@login_required
def quotes_page(request_id: int):
    found = _request_or_404(request_id)
    quote_page, recipient_page = requested_page(), requested_page("kirim")
    sent_to = quotes.recipients(found, recipient_page)
    return render_template(
        "matching/quotes.html",
        req=found,
        quotes=quotes.quotes_for(found, quote_page),
        page_url=lambda n: url_for(
            "matching.quotes", request_id=found.id, page=n, kirim=recipient_page
        ),
        recipients=sent_to,
        recipients_url=lambda n: url_for(
            "matching.quotes", request_id=found.id, page=quote_page, kirim=n
        ),
        conversations=threads.request_threads(found, [r.ikm_id for r in sent_to.items]),
        accepted=quotes.accepted_total(found),
        can_manage=permissions.can_manage_request(current_user, found),
        can_see_summary=award.can_view_summary(current_user, found),
        accept_form=AcceptForm(),
    )


def _quote_or_404(quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or not permissions.can_manage_request(current_user, quote.request):
        abort(404)
    return quote


@bp.route("/penawaran/<int:quote_id>/terima", methods=["POST"])
@login_required
def accept_quote(quote_id: int):
    quote = _quote_or_404(quote_id)
    form = AcceptForm()
    if form.validate_on_submit():
        uow.run(
            lambda: quotes.accept_quote(quote, form.quantity.data, by=current_user),
            success=_("The quote is accepted."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("matching.quotes", request_id=quote.request_id))


@bp.route("/penawaran/<int:quote_id>/tolak", methods=["POST"])
@login_required
def decline_quote(quote_id: int):
    quote = _quote_or_404(quote_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: quotes.decline_quote(quote, by=current_user),
            success=_("The quote is declined."),
        )
    return redirect(url_for("matching.quotes", request_id=quote.request_id))


@bp.route("/<int:request_id>/ringkasan")
@login_required
def award_summary(request_id: int):
    """The printable award summary for the buyer: every supplier's lines."""
    found = _request_or_404(request_id)
    if not award.can_view_summary(current_user, found):
        abort(404)
    return render_template(
        "matching/award_summary.html",
        summary=award.summary(found),
        for_ikm=None,
        back_url=url_for("matching.quotes", request_id=found.id),
    )
