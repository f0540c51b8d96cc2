"""Business-matching events (temu bisnis): registration, meeting requests, schedules."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/temu-bisnis")


@bp.app_template_global()
def participant_kind_labels() -> list[tuple[str, str]]:
    from app.events.models import PARTICIPANT_KIND_LABELS

    return [(kind.value, str(label)) for kind, label in PARTICIPANT_KIND_LABELS.items()]


@bp.app_template_global()
def sector_labels() -> list[tuple[str, str]]:
    from app.orgs.models import SECTOR_LABELS

    return [(sector.value, str(label)) for sector, label in SECTOR_LABELS.items()]


@bp.app_template_filter()
def participant_kind_label(kind: str) -> str:
    from app.events.models import PARTICIPANT_KIND_LABELS, ParticipantKind

    return str(PARTICIPANT_KIND_LABELS[ParticipantKind(kind)])


@bp.app_template_filter()
def sector_label(sector: str) -> str:
    from app.orgs.models import SECTOR_LABELS, Sector

    return str(SECTOR_LABELS[Sector(sector)])


@bp.app_template_global()
def meeting_request_state_label(state: str) -> str:
    from app.events.models import REQUEST_STATE_LABELS, RequestState

    return str(REQUEST_STATE_LABELS[RequestState(state)])


@bp.app_template_global()
def priority_label(priority: int) -> str:
    from app.events.forms import PRIORITY_LABELS

    return str(PRIORITY_LABELS.get(priority, priority))


@bp.app_template_global()
def problem_message(reason: str) -> str:
    from app.events.schedule import problem_message as message

    return message(reason)


@bp.app_template_global()
def unplaced_message(reason: str) -> str:
    from app.events.schedule import unplaced_message as message

    return message(reason)


from app.events import (  # noqa: E402, F401
    views,
    views_agenda,
    views_checkin,
    views_invitations,
    views_meetings,
    views_office,
    views_outcomes,
    views_report,
    views_schedule,
)
