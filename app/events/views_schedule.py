"""The office's schedule of an event: run the scheduler (after the response), see the grid a
day at a time, pin or move a meeting, publish. Administrators only; anyone else gets 404."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import uow
from app.core.access import found_or_404
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.events import bp, changes, schedule, workflow
from app.events.agenda import day_of_slots, meetings_in_slots, tables_of, unplaced_requests
from app.events.forms import MoveMeetingForm
from app.events.models import Meeting, MeetingRequest
from app.events.slots import event_slots
from app.events.views_office import _office_event


def _office_meeting(event, meeting_id: int) -> Meeting:
    return found_or_404(Meeting, meeting_id, lambda user, found: found.event_id == event.id)


def _day_arg(days: int) -> int:
    value = request.args.get("hari", "1")
    number = int(value) if value.isdigit() and len(value) < 6 else 1
    return min(max(number, 1), max(days, 1))


@bp.route("/kelola/<int:event_id>/jadwal")
@login_required
def office_schedule(event_id: int):
    event = _office_event(event_id)
    slots = event_slots(event)
    days = day_of_slots(slots)
    day = _day_arg(len(days))
    shown = days[day - 1] if days else []
    run = schedule.latest_run(event)
    return render_template(
        "events/office_schedule.html",
        event=event,
        slots=slots,
        days=days,
        day=day,
        shown=shown,
        by_slot=meetings_in_slots(event, shown),
        run=run,
        unplaced=unplaced_requests(run),
        can_change=event.state in workflow.SCHEDULE_CHANGEABLE,
        can_publish=workflow.allowed(event, workflow.Action.PUBLISH, current_user),
        waiting_changes=changes.waiting_changes(event),
    )


def _back(event, meeting=None):
    if meeting is None:
        return redirect(url_for("events.office_schedule", event_id=event.id))
    day = next(
        (n for n, day in enumerate(day_of_slots(event_slots(event)), 1) if meeting.slot in day),
        1,
    )
    return redirect(url_for("events.office_schedule", event_id=event.id, hari=day))


@bp.route("/kelola/<int:event_id>/jadwal/jalankan", methods=["POST"])
@login_required
def run_schedule(event_id: int):
    event = _office_event(event_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: schedule.queue_run(event, by=current_user),
            success=_("The schedule is being prepared; reload this page in a moment."),
        )
    return _back(event)


@bp.route("/kelola/<int:event_id>/jadwal/<int:meeting_id>/sematkan", methods=["POST"])
@login_required
def pin_meeting(event_id: int, meeting_id: int):
    event = _office_event(event_id)
    meeting = _office_meeting(event, meeting_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: schedule.toggle_pin(meeting, by=current_user),
            success=lambda m: (
                _("The meeting stays where it is.")
                if m.is_pinned
                else _("The meeting may be moved by the next run.")
            ),
        )
    return _back(event, meeting)


@bp.route("/kelola/<int:event_id>/jadwal/<int:meeting_id>/pindah", methods=["GET", "POST"])
@login_required
def move_meeting(event_id: int, meeting_id: int):
    event = _office_event(event_id)
    meeting = _office_meeting(event, meeting_id)
    slots = event_slots(event)
    form = MoveMeetingForm(slots, obj=None)
    if request.method == "GET":
        form.slot.data, form.table.data = meeting.slot, meeting.table_number + 1
    if form.validate_on_submit():
        done = uow.run(
            lambda: changes.move(meeting, form.slot.data, form.table.data - 1, by=current_user),
            form=form,
            success=_("The meeting is moved and pinned there."),
        )
        if done:
            return _back(event, meeting)
    return render_template(
        "events/move_meeting.html",
        event=event,
        request_=meeting.request,
        meeting=meeting,
        slots=slots,
        form=form,
        can_change=event.state in workflow.SCHEDULE_CHANGEABLE,
    )


@bp.route("/kelola/<int:event_id>/jadwal/tempatkan/<int:request_id>", methods=["GET", "POST"])
@login_required
def place_meeting(event_id: int, request_id: int):
    """Place by hand an accepted request that has no place (one a run left out)."""
    event = _office_event(event_id)
    found = found_or_404(MeetingRequest, request_id, lambda user, r: r.event_id == event.id)
    slots = event_slots(event)
    form = MoveMeetingForm(slots)
    if form.validate_on_submit():
        done = uow.run(
            lambda: changes.place(found, form.slot.data, form.table.data - 1, by=current_user),
            form=form,
            success=_("The meeting is placed and pinned there."),
        )
        if done:
            return _back(event, done.value)
    return render_template(
        "events/move_meeting.html",
        event=event,
        request_=found,
        meeting=None,
        slots=slots,
        form=form,
        can_change=event.state in workflow.SCHEDULE_CHANGEABLE,
    )


@bp.route("/kelola/<int:event_id>/terbitkan-perubahan", methods=["POST"])
@login_required
def publish_changes(event_id: int):
    event = _office_event(event_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: changes.publish_changes(event, by=current_user),
            success=lambda n: _(
                "%(n)s new meetings are published; their participants are told.", n=n
            ),
        )
    return _back(event)


@bp.route("/kelola/<int:event_id>/terbitkan", methods=["POST"])
@login_required
def publish_schedule(event_id: int):
    event = _office_event(event_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: schedule.publish(event, by=current_user),
            success=_("The schedule is published; every participant is told."),
        )
    return _back(event)


TABLE_CARDS_PER_PAGE = 10


@bp.route("/kelola/<int:event_id>/kartu-meja")
@login_required
def table_cards(event_id: int):
    event = _office_event(event_id)
    pages = max(1, -(-event.tables // TABLE_CARDS_PER_PAGE))
    number = min(requested_page(), pages)
    return render_template(
        "events/table_cards.html",
        event=event,
        slots=event_slots(event),
        by_table=tables_of(event, (number - 1) * TABLE_CARDS_PER_PAGE, TABLE_CARDS_PER_PAGE),
        number=number,
        pages=pages,
    )
