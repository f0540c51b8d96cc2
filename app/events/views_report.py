"""The event report for the trade office: a printable page and a CSV export. Administrators
only; anyone else gets 404."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import login_required

from app.events import bp
from app.events.report import event_report, labelled, report_csv
from app.events.views_office import _office_event


@bp.route("/kelola/<int:event_id>/laporan")
@login_required
def event_report_page(event_id: int):
    event = _office_event(event_id)
    report = event_report(event)
    registrations, requests, meetings, outcomes = labelled(report)
    return render_template(
        "events/report.html",
        event=event,
        report=report,
        registrations=registrations,
        requests=requests,
        meetings=meetings,
        outcomes=outcomes,
    )


@bp.route("/kelola/<int:event_id>/laporan.csv")
@login_required
def event_report_csv(event_id: int):
    event = _office_event(event_id)
    body = "\ufeff" + report_csv(event, event_report(event))  # the BOM: spreadsheets read UTF-8
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="laporan-temu-bisnis-{event.id}.csv"',
            "Cache-Control": "private, no-store",
        },
    )
