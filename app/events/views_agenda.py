"""A participant's agenda once the schedule is published: the page (phone and print) and the
``.ics`` download. Its own members and the office only; anyone else gets 404."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.access import found_or_404
from app.events import bp, checkin
from app.events.agenda import agenda_calendar, agenda_of
from app.events.models import EventState, Participant
from app.events.permissions import can_run_events, is_participant_member
from app.events.views import event_or_404

AGENDA_STATES = frozenset({EventState.PUBLISHED, EventState.RUNNING, EventState.CLOSED})


def can_view_agenda(user, participant: Participant) -> bool:
    return can_run_events(user) or (
        participant.event.state in AGENDA_STATES and is_participant_member(user, participant)
    )


def _participant_or_404(event_id: int, participant_id: int) -> Participant:
    event = event_or_404(event_id)
    return found_or_404(
        Participant,
        participant_id,
        lambda user, found: found.event_id == event.id and can_view_agenda(user, found),
    )


@bp.route("/<int:event_id>/agenda/<int:participant_id>")
@login_required
def agenda(event_id: int, participant_id: int):
    from app.core import clock
    from app.events.outcomes import outcomes_by_meeting

    participant = _participant_or_404(event_id, participant_id)
    qr = None
    if participant.event.state in checkin.CHECKIN_STATES:
        url = url_for(
            "events.checkin_token",
            event_id=event_id,
            token=participant.checkin_token,
            _external=True,
        )
        qr = checkin.qr_svg(url, _("Check-in code of %(name)s", name=participant.organisation.name))
    return render_template(
        "events/agenda.html",
        event=participant.event,
        participant=participant,
        items=agenda_of(participant),
        published=participant.event.state in AGENDA_STATES,
        qr=qr,
        recorded=outcomes_by_meeting(participant),
        now=clock.now(),
        may_record=is_participant_member(current_user, participant),
    )


def _title(item, names: str) -> str:
    return _("Table %(table)s: %(names)s", table=item.table, names=names)


@bp.route("/<int:event_id>/agenda/<int:participant_id>.ics")
@login_required
def agenda_ics(event_id: int, participant_id: int):
    participant = _participant_or_404(event_id, participant_id)
    body = agenda_calendar(participant, agenda_of(participant), request.host, _title)
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="agenda-{event_id}-{participant_id}.ics"'
        },
    )
