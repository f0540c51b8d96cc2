"""The trade office's side of events: creating, changing, opening and closing registration,
and the list of participants. Administrators only; anyone else gets 404."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.access import found_or_404, requires
from app.core.audit import entries_for
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.events import bp, meetings, services, workflow
from app.events.forms import EventForm
from app.events.models import Event
from app.events.permissions import can_run_events
from app.events.slots import event_slots


def _office_event(event_id: int) -> Event:
    return found_or_404(Event, event_id, lambda user, _event: can_run_events(user))


@bp.route("/kelola")
@login_required
@requires(can_run_events)
def office_events():
    return render_template(
        "events/office_events.html",
        events=services.all_events(requested_page()),
        page_url=lambda n: url_for("events.office_events", page=n),
    )


@bp.route("/kelola/baru", methods=["GET", "POST"])
@login_required
@requires(can_run_events)
def new_event():
    form = EventForm()
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.create_event(
                form.data_for_service(), by=current_user, today=clock.today()
            ),
            form=form,
            success=_("The event is saved as a draft."),
        )
        if done:
            return redirect(url_for("events.office_event", event_id=done.value.id))
    return render_template("events/event_form.html", form=form, existing=None)


@bp.route("/kelola/<int:event_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    event = _office_event(event_id)
    if event.state not in workflow.EDITABLE:
        return redirect(url_for("events.office_event", event_id=event.id))
    form = EventForm(obj=event)
    if request.method == "GET":
        form.breaks.data = ", ".join(f"{a}-{b}" for a, b in event.breaks or [])
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.update_event(
                event, form.data_for_service(), by=current_user, today=clock.today()
            ),
            form=form,
            success=_("The event is saved."),
        )
        if done:
            return redirect(url_for("events.office_event", event_id=event.id))
    return render_template("events/event_form.html", form=form, existing=event)


@bp.route("/kelola/<int:event_id>")
@login_required
def office_event(event_id: int):
    event = _office_event(event_id)
    return render_template(
        "events/office_event.html",
        event=event,
        slots=event_slots(event),
        can_open=workflow.allowed(event, workflow.Action.OPEN_REGISTRATION, current_user),
        can_close=workflow.allowed(event, workflow.Action.CLOSE_REGISTRATION, current_user),
        editable=event.state in workflow.EDITABLE,
        history=entries_for(event),
        participant_totals=services.participant_totals(event),
        request_totals=meetings.request_totals(event),
    )


def _move(event_id: int, action: workflow.Action, message: str):
    event = _office_event(event_id)
    if ConfirmForm().validate_on_submit():
        uow.run(lambda: workflow.transition(event, action, by=current_user), success=message)
    return redirect(url_for("events.office_event", event_id=event.id))


@bp.route("/kelola/<int:event_id>/buka-pendaftaran", methods=["POST"])
@login_required
def open_registration(event_id: int):
    return _move(event_id, workflow.Action.OPEN_REGISTRATION, _("Registration is open."))


@bp.route("/kelola/<int:event_id>/tutup-pendaftaran", methods=["POST"])
@login_required
def close_registration(event_id: int):
    return _move(
        event_id,
        workflow.Action.CLOSE_REGISTRATION,
        _("Registration is closed; the schedule can be prepared."),
    )


@bp.route("/kelola/<int:event_id>/peserta")
@login_required
def office_participants(event_id: int):
    event = _office_event(event_id)
    kind, sector = request.args.get("jenis", ""), request.args.get("sektor", "")
    return render_template(
        "events/participants.html",
        event=event,
        participants=services.participants_of(event, requested_page(), kind, sector),
        page_url=lambda n: url_for(
            "events.office_participants", event_id=event.id, page=n, jenis=kind, sektor=sector
        ),
        office=True,
        kind=kind,
        sector=sector,
        acting=None,
    )
