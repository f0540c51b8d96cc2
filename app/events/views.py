"""The public side of events (their list and page) and registration."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.access import found_or_404
from app.core.errors import InvalidTransition
from app.core.forms import options
from app.core.paging import requested_page
from app.events import bp, services, workflow
from app.events.forms import RegistrationForm
from app.events.models import PARTICIPANT_KIND_LABELS, Event, Participant, ParticipantKind
from app.events.permissions import (
    can_edit_registration,
    can_view_event,
    invited_kinds_for,
    registrable_orgs,
)
from app.events.slots import event_slots
from app.orgs.models import SECTOR_LABELS, Sector


def event_or_404(event_id: int) -> Event:
    return found_or_404(Event, event_id, can_view_event)


@bp.route("/")
def events():
    return render_template(
        "events/events.html",
        events=services.public_events(requested_page()),
        page_url=lambda n: url_for("events.events", page=n),
    )


@bp.route("/<int:event_id>")
def event(event_id: int):
    found = event_or_404(event_id)
    own = services.own_participants(current_user, found)
    registered = {p.organisation_id for p in own}
    return render_template(
        "events/event.html",
        event=found,
        slots=event_slots(found),
        kinds=[PARTICIPANT_KIND_LABELS[ParticipantKind(k)] for k in found.invited_kinds],
        sectors=[SECTOR_LABELS[Sector(s)] for s in found.invited_sectors],
        own=own,
        can_register=[o for o in registrable_orgs(current_user, found) if o.id not in registered],
        registration_open=_registration_open(found),
    )


def _registration_open(event: Event) -> bool:
    return (
        event.state == "registration_open"
        and event.registration_opens_on <= clock.today() <= event.registration_closes_on
    )


def slot_label(start, end) -> str:
    return f"{format_date(start, 'EEE d MMM')} {format_time(start, 'HH:mm')}–{format_time(end, 'HH:mm')}"


def _registration_form(event: Event, org, existing: Participant | None = None) -> RegistrationForm:
    form = RegistrationForm(obj=existing)
    form.kind.choices = options(
        (k, PARTICIPANT_KIND_LABELS[ParticipantKind(k)]) for k in invited_kinds_for(event, org)
    )
    form.product_ids.choices = options((p.id, p.name) for p in services.active_products(org))
    form.request_ids.choices = options((r.id, r.title) for r in services.open_requests(org))
    slots = event_slots(event)
    form.available_slots.choices = options(
        (n, slot_label(start, end)) for n, (start, end) in enumerate(slots)
    )
    if request.method == "GET":
        if existing is None:
            form.available_slots.data = list(range(len(slots)))
            form.max_meetings.data = min(form.max_meetings.default, len(slots))
        else:
            form.product_ids.data = [p.id for p in existing.products]
            form.request_ids.data = [r.id for r in existing.requests]
    return form


@bp.route("/<int:event_id>/daftar", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    found = event_or_404(event_id)
    registered = {p.organisation_id for p in services.own_participants(current_user, found)}
    orgs = [o for o in registrable_orgs(current_user, found) if o.id not in registered]
    if not orgs:
        abort(404)
    chosen = request.args.get("org", "")
    org = next((o for o in orgs if str(o.id) == chosen), orgs[0])
    try:
        services.ensure_registration_open(found, clock.today())
    except InvalidTransition as error:
        flash(error.message, "error")
        return redirect(url_for("events.event", event_id=found.id))
    form = _registration_form(found, org)
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.register(
                found, org, form.data_for_service(), by=current_user, today=clock.today()
            ),
            form=form,
            success=_("%(name)s is registered.", name=org.name),
        )
        if done:
            return redirect(url_for("events.event", event_id=found.id))
    return render_template(
        "events/register.html", event=found, org=org, orgs=orgs, form=form, existing=None
    )


@bp.route("/<int:event_id>/pendaftaran/<int:participant_id>", methods=["GET", "POST"])
@login_required
def edit_registration(event_id: int, participant_id: int):
    participant = found_or_404(Participant, participant_id, can_edit_registration)
    if participant.event_id != event_id:
        abort(404)
    found = participant.event
    form = _registration_form(found, participant.organisation, participant)
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.update_registration(
                participant, form.data_for_service(), by=current_user, today=clock.today()
            ),
            form=form,
            success=_("Your registration is saved."),
        )
        if done:
            return redirect(url_for("events.event", event_id=found.id))
    return render_template(
        "events/register.html",
        event=found,
        org=participant.organisation,
        orgs=[],
        form=form,
        existing=participant,
        editable=found.state in workflow.EDITABLE and _registration_open(found),
    )
