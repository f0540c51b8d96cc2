"""The office invites people to an event by email while its registration is open: typed
addresses, or every invited organisation in Etalase at once. Administrators only (404)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import uow
from app.core.paging import ROWS, paginate, requested_page
from app.events import bp, invitations
from app.events.forms import InvitationForm
from app.events.models import EventState
from app.events.views_office import _office_event


def _sent_message(sent: invitations.Sent) -> str:
    if sent.skipped:
        return _(
            "%(sent)s invitations are on their way; %(skipped)s were invited before.",
            sent=sent.sent,
            skipped=sent.skipped,
        )
    return _("%(sent)s invitations are on their way.", sent=sent.sent)


def _page(event, form, status: int = 200):
    return (
        render_template(
            "events/invitations.html",
            event=event,
            form=form,
            invitations=paginate(invitations.invitations_query(event), requested_page(), ROWS),
            page_url=lambda n: url_for("events.invitations_page", event_id=event.id, page=n),
            invitable=len(invitations.invitable(event)),
            can_invite=event.state == EventState.REGISTRATION_OPEN,
        ),
        status,
    )


@bp.route("/kelola/<int:event_id>/undangan", methods=["GET", "POST"])
@login_required
def invitations_page(event_id: int):
    event = _office_event(event_id)
    form = InvitationForm()
    if form.validate_on_submit():
        done = uow.run(
            lambda: invitations.invite(
                event, form.addresses(), form.message.data or "", by=current_user
            ),
            form=form,
            success=_sent_message,
        )
        if done:
            return redirect(url_for("events.invitations_page", event_id=event.id))
    return _page(event, form)


@bp.route("/kelola/<int:event_id>/undangan/anggota", methods=["POST"])
@login_required
def invite_members(event_id: int):
    event = _office_event(event_id)
    form = InvitationForm()
    if form.validate_on_submit():
        uow.run(
            lambda: invitations.invite_members(event, form.message.data or "", by=current_user),
            success=_sent_message,
        )
    return redirect(url_for("events.invitations_page", event_id=event.id))
