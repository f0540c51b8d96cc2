"""The office at the venue: the check-in page (search, check in, mark absent), the page a
participant's QR code opens, and the live hall. Administrators only; anyone else gets 404, as
does a token that is not the participant's."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import uow
from app.core.access import found_or_404
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.events import bp, changes, checkin, workflow
from app.events.models import Participant
from app.events.slots import event_slots
from app.events.views_office import _office_event


def _office_participant(event, participant_id: int) -> Participant:
    return found_or_404(Participant, participant_id, lambda user, found: found.event_id == event.id)


def _back(event):
    target = request.form.get("kembali", "")
    if target == "aula":
        return redirect(url_for("events.hall", event_id=event.id))
    query = request.form.get("q", "")
    return redirect(url_for("events.checkin_page", event_id=event.id, q=query or None))


@bp.route("/kelola/<int:event_id>/check-in")
@login_required
def checkin_page(event_id: int):
    event = _office_event(event_id)
    query = request.args.get("q", "")[: checkin.SEARCH_MAX]
    return render_template(
        "events/checkin.html",
        event=event,
        query=query,
        participants=checkin.search(event, query, requested_page()),
        page_url=lambda n: url_for("events.checkin_page", event_id=event.id, q=query, page=n),
        totals=checkin.hall_totals(event),
        open=event.state in checkin.CHECKIN_STATES,
        can_start=workflow.allowed(event, workflow.Action.START, current_user),
    )


@bp.route("/kelola/<int:event_id>/check-in/t/<token>")
@login_required
def checkin_token(event_id: int, token: str):
    """What the participant's QR code opens: its name and one button to check it in."""
    event = _office_event(event_id)
    participant = checkin.participant_by_token(event, token)
    if participant is None:
        abort(404)
    return render_template(
        "events/checkin_one.html",
        event=event,
        participant=participant,
        open=event.state in checkin.CHECKIN_STATES,
    )


@bp.route("/kelola/<int:event_id>/check-in/<int:participant_id>", methods=["POST"])
@login_required
def check_in(event_id: int, participant_id: int):
    event = _office_event(event_id)
    participant = _office_participant(event, participant_id)
    if ConfirmForm().validate_on_submit():
        name = participant.organisation.name
        uow.run(
            lambda: checkin.check_in(participant, by=current_user),
            success=lambda done: (
                _("%(name)s is checked in.", name=name)
                if done
                else _(
                    "%(name)s was already checked in at %(time)s.",
                    name=name,
                    time=checkin.checked_in_time(participant),
                )
            ),
        )
    return _back(event)


def _no_show(event_id: int, participant_id: int, absent: bool):
    event = _office_event(event_id)
    participant = _office_participant(event, participant_id)
    if ConfirmForm().validate_on_submit():
        name = participant.organisation.name
        uow.run(
            lambda: checkin.set_no_show(participant, absent, by=current_user),
            success=(
                _("%(name)s is marked absent.", name=name)
                if absent
                else _("%(name)s is no longer marked absent.", name=name)
            ),
        )
    return _back(event)


@bp.route("/kelola/<int:event_id>/tidak-hadir/<int:participant_id>", methods=["POST"])
@login_required
def mark_no_show(event_id: int, participant_id: int):
    return _no_show(event_id, participant_id, True)


@bp.route("/kelola/<int:event_id>/tidak-hadir/<int:participant_id>/batal", methods=["POST"])
@login_required
def undo_no_show(event_id: int, participant_id: int):
    return _no_show(event_id, participant_id, False)


@bp.route("/kelola/<int:event_id>/mulai", methods=["POST"])
@login_required
def start_event(event_id: int):
    event = _office_event(event_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: changes.start(event, by=current_user),
            success=_("The event is under way."),
        )
    return redirect(url_for("events.checkin_page", event_id=event.id))


@bp.route("/kelola/<int:event_id>/aula")
@login_required
def hall(event_id: int):
    """The hall now: the tables meeting in the clock's slot and who of them is missing."""
    event = _office_event(event_id)
    slots = event_slots(event)
    slot = checkin.current_slot(event)
    coming = checkin.next_slot(event) if slot is None else None
    tables = checkin.hall_now(event, slot, requested_page()) if slot is not None else None
    return render_template(
        "events/hall.html",
        event=event,
        slots=slots,
        slot=slot,
        coming=coming,
        tables=tables,
        page_url=lambda n: url_for("events.hall", event_id=event.id, page=n),
        totals=checkin.hall_totals(event),
        open=event.state in checkin.CHECKIN_STATES,
    )
