"""A participant's side of an event: the other participants, recommended IKMs, meeting
requests sent and received, and the answers to them. Only registered participants (and the
office) see these pages; a request is seen only by its parties."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.audit import entries_for
from app.core.forms import ConfirmForm, options
from app.core.paging import requested_page
from app.events import bp, meetings, services, workflow
from app.events.forms import MeetingRequestForm
from app.events.models import MeetingRequest, Participant
from app.events.permissions import (
    answering_invitee,
    can_browse_participants,
    can_cancel,
    can_view_meeting_request,
)
from app.events.views import event_or_404
from app.extensions import db


def _acting(event) -> tuple[list[Participant], Participant]:
    """The user's participants at ``event`` and the one they act as now (``?sebagai=``);
    404 for someone not registered."""
    own = services.own_participants(current_user, event)
    if not own:
        abort(404)
    chosen = request.args.get("sebagai", "")
    return own, next((p for p in own if str(p.id) == chosen), own[0])


@bp.route("/<int:event_id>/peserta")
@login_required
def participants(event_id: int):
    event = event_or_404(event_id)
    own = services.own_participants(current_user, event)
    if not can_browse_participants(current_user, own):
        abort(404)
    kind, sector = request.args.get("jenis", ""), request.args.get("sektor", "")
    return render_template(
        "events/participants.html",
        event=event,
        participants=services.participants_of(event, requested_page(), kind, sector),
        page_url=lambda n: url_for(
            "events.participants", event_id=event.id, page=n, jenis=kind, sektor=sector
        ),
        office=False,
        kind=kind,
        sector=sector,
        acting=own[0] if own else None,
        takes_requests=event.state in workflow.REQUESTS_OPEN,
    )


@bp.route("/<int:event_id>/rekomendasi")
@login_required
def recommendations(event_id: int):
    event = event_or_404(event_id)
    own, acting = _acting(event)
    return render_template(
        "events/recommendations.html",
        event=event,
        acting=acting,
        own=own,
        found=meetings.recommended_ikms(acting, clock.today()),
        takes_requests=event.state in workflow.REQUESTS_OPEN,
    )


@bp.route("/<int:event_id>/temu", endpoint="meetings")
@login_required
def meetings_page(event_id: int):
    event = event_or_404(event_id)
    own, acting = _acting(event)
    return render_template(
        "events/meetings.html",
        event=event,
        acting=acting,
        own=own,
        requests=meetings.requests_of(acting, requested_page()),
        page_url=lambda n: url_for("events.meetings", event_id=event.id, page=n, sebagai=acting.id),
    )


@bp.route("/<int:event_id>/temu/baru", methods=["GET", "POST"])
@login_required
def new_meeting_request(event_id: int):
    event = event_or_404(event_id)
    own, acting = _acting(event)
    form = MeetingRequestForm()
    wanted = request.args.get("ke", "")
    # An id no INTEGER column holds is nobody (PostgreSQL would refuse the query).
    named = (
        db.session.get(Participant, int(wanted)) if wanted.isdigit() and len(wanted) < 10 else None
    )
    if named is not None and (named.event_id != event.id or named.id == acting.id):
        named = None
    form.invitees.choices = options(
        (p.id, f"{p.organisation.name} ({p.kind_label})")
        for p in meetings.invitee_choices(event, acting, named)
    )
    if request.method == "GET" and named is not None:
        form.invitees.data = [named.id]
    if form.validate_on_submit():
        done = uow.run(
            lambda: meetings.request_meeting(
                event,
                acting,
                form.invitees.data,
                form.priority.data,
                form.message.data,
                by=current_user,
            ),
            form=form,
            success=_("Your meeting request is sent."),
        )
        if done:
            return redirect(
                url_for("events.meeting_request", event_id=event.id, request_id=done.value.id)
            )
    return render_template(
        "events/meeting_request_form.html",
        event=event,
        acting=acting,
        own=own,
        form=form,
        takes_requests=event.state in workflow.REQUESTS_OPEN,
    )


def _request_or_404(event_id: int, request_id: int) -> MeetingRequest:
    found = db.session.get(MeetingRequest, request_id)
    if (
        found is None
        or found.event_id != event_id
        or not can_view_meeting_request(current_user, found)
    ):
        abort(404)
    return found


@bp.route("/<int:event_id>/temu/<int:request_id>")
@login_required
def meeting_request(event_id: int, request_id: int):
    found = _request_or_404(event_id, request_id)
    invitee = answering_invitee(current_user, found)
    open_for_requests = found.event.state in workflow.REQUESTS_OPEN
    return render_template(
        "events/meeting_request.html",
        event=found.event,
        req=found,
        can_answer=bool(
            invitee and invitee.answer is None and found.state == "requested" and open_for_requests
        ),
        can_cancel=can_cancel(current_user, found)
        and found.state in meetings.ACTIVE
        and open_for_requests,
        history=entries_for(found),
    )


def _answer(event_id: int, request_id: int, work, message: str):
    found = _request_or_404(event_id, request_id)
    if ConfirmForm().validate_on_submit():
        uow.run(lambda: work(found), success=message)
    return redirect(url_for("events.meeting_request", event_id=event_id, request_id=found.id))


@bp.route("/<int:event_id>/temu/<int:request_id>/terima", methods=["POST"])
@login_required
def accept_meeting(event_id: int, request_id: int):
    return _answer(
        event_id,
        request_id,
        lambda found: meetings.answer(found, True, by=current_user),
        _("You accepted the meeting."),
    )


@bp.route("/<int:event_id>/temu/<int:request_id>/tolak", methods=["POST"])
@login_required
def decline_meeting(event_id: int, request_id: int):
    return _answer(
        event_id,
        request_id,
        lambda found: meetings.answer(found, False, by=current_user),
        _("You declined the meeting."),
    )


@bp.route("/<int:event_id>/temu/<int:request_id>/batal", methods=["POST"])
@login_required
def cancel_meeting(event_id: int, request_id: int):
    return _answer(
        event_id,
        request_id,
        lambda found: meetings.cancel(found, by=current_user),
        _("The meeting request is cancelled."),
    )
