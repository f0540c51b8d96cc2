"""Recording what came of a meeting, from the participant's agenda. The participant's own
members only (the office reads outcomes in the report); anyone else, a meeting one is not
at, or another participant's outcome: 404."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import uow
from app.core.access import found_or_404
from app.events import bp, outcomes
from app.events.agenda import table_of
from app.events.forms import OutcomeForm
from app.events.models import Meeting
from app.events.permissions import is_participant_member
from app.events.views_agenda import _participant_or_404


def _meeting_or_404(participant, meeting_id: int) -> Meeting:
    return found_or_404(
        Meeting,
        meeting_id,
        lambda user, found: (
            found.event_id == participant.event_id
            and found.is_published
            and outcomes.at_table(found, participant)
            and is_participant_member(user, participant)
        ),
    )


@bp.route(
    "/<int:event_id>/agenda/<int:participant_id>/pertemuan/<int:meeting_id>/hasil",
    methods=["GET", "POST"],
)
@login_required
def record_outcome(event_id: int, participant_id: int, meeting_id: int):
    participant = _participant_or_404(event_id, participant_id)
    meeting = _meeting_or_404(participant, meeting_id)
    existing = outcomes.outcome_of(meeting, participant)
    form = OutcomeForm(obj=existing)
    started = outcomes.meeting_started(meeting)
    if started and form.validate_on_submit():
        done = uow.run(
            lambda: outcomes.record(meeting, participant, form.data_for_service(), by=current_user),
            form=form,
            success=_("The outcome is recorded."),
        )
        if done:
            return redirect(
                url_for("events.agenda", event_id=event_id, participant_id=participant_id)
            )
    elif not started and form.is_submitted():
        form.form_errors.append(_("The outcome can be recorded once the meeting has started."))
    others = [p for p in table_of(meeting) if p.id != participant.id]
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "events/outcome_form.html",
            event=participant.event,
            participant=participant,
            meeting=meeting,
            others=others,
            existing=existing,
            started=started,
            form=form,
        ),
        status,
    )
