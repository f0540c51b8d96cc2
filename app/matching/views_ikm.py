"""The IKM's side of matching: its opportunities, quoting and declining."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.access import found_or_404
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.extensions import db
from app.matching import award, bp, permissions, quotes, threads
from app.matching.forms import DeclineForm, QuoteForm
from app.matching.models import BuyerRequest
from app.orgs.models import IKM


def _ikm_or_404(ikm_id: int) -> IKM:
    return found_or_404(IKM, ikm_id, permissions.can_act_for_ikm)


def _opportunity_or_404(ikm: IKM, request_id: int) -> BuyerRequest:
    found = db.session.get(BuyerRequest, request_id)
    if found is None or not quotes.is_opportunity(found, ikm):
        abort(404)
    return found


@bp.route("/peluang/<int:ikm_id>")
@login_required
def opportunities(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    return render_template(
        "matching/opportunities.html",
        ikm=ikm,
        requests=quotes.opportunities(ikm, requested_page()),
        page_url=lambda n: url_for("matching.opportunities", ikm_id=ikm.id, page=n),
    )


@bp.route("/peluang/<int:ikm_id>/<int:request_id>", methods=["GET", "POST"])
@login_required
def opportunity(ikm_id: int, request_id: int):
    ikm = _ikm_or_404(ikm_id)
    found = _opportunity_or_404(ikm, request_id)
    quote = quotes.quote_of(found, ikm)
    recipient = quotes.recipient_of(found, ikm)
    form = QuoteForm(obj=quote, prefix="quote")
    if quote is None and recipient and recipient.allocated_quantity and not form.is_submitted():
        form.quantity.data = recipient.allocated_quantity
    if form.validate_on_submit():
        data = quotes.QuoteData(
            unit_price=form.unit_price.data,
            quantity=form.quantity.data,
            delivery_on=form.delivery_on.data,
            valid_until=form.valid_until.data,
            note=form.note.data or "",
        )
        done = uow.run(
            lambda: quotes.submit_quote(found, ikm, data, by=current_user),
            form=form,
            success=_("Your quote is sent to the buyer."),
        )
        if done:
            return redirect(url_for("matching.opportunity", ikm_id=ikm.id, request_id=found.id))
    return render_template(
        "matching/opportunity.html",
        ikm=ikm,
        req=found,
        quote=quote,
        recipient=recipient,
        form=form,
        decline_form=DeclineForm(prefix="decline"),
        today=clock.today(),
        has_award=quote is not None and award.has_supply_line(found, ikm),
        conversation=threads.find_thread(found.buyer, ikm, request=found),
    )


@bp.route("/peluang/<int:ikm_id>/<int:request_id>/tolak", methods=["POST"])
@login_required
def decline(ikm_id: int, request_id: int):
    ikm = _ikm_or_404(ikm_id)
    found = _opportunity_or_404(ikm, request_id)
    form = DeclineForm(prefix="decline")
    if form.validate_on_submit():
        uow.run(
            lambda: quotes.decline_request(found, ikm, form.reason.data, by=current_user),
            success=_("The buyer is told that you decline."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("matching.opportunity", ikm_id=ikm.id, request_id=found.id))


@bp.route("/peluang/<int:ikm_id>/<int:request_id>/tarik", methods=["POST"])
@login_required
def withdraw(ikm_id: int, request_id: int):
    ikm = _ikm_or_404(ikm_id)
    found = _opportunity_or_404(ikm, request_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: quotes.withdraw_quote(found, ikm, by=current_user),
            success=_("Your quote is withdrawn; the buyer is told."),
        )
    return redirect(url_for("matching.opportunity", ikm_id=ikm.id, request_id=found.id))


@bp.route("/peluang/<int:ikm_id>/<int:request_id>/ringkasan")
@login_required
def award_summary_for_ikm(ikm_id: int, request_id: int):
    """The printable award summary for one supplier: its own lines only."""
    ikm = _ikm_or_404(ikm_id)
    found = db.session.get(BuyerRequest, request_id)
    if found is None or not award.has_supply_line(found, ikm):
        abort(404)
    return render_template(
        "matching/award_summary.html",
        summary=award.summary(found, ikm=ikm),
        for_ikm=ikm,
        back_url=url_for("matching.opportunity", ikm_id=ikm.id, request_id=found.id),
    )
