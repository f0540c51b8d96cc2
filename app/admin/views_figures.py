"""The programme figures pages: the office's (``/admin/angka``) and each partner's own
(``/kurasi/mitra/<id>/angka``), with their CSV, XLSX and PDF downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.admin import bp, charts, exports, figures, filters
from app.admin.permissions import is_trade_office
from app.core.access import requires
from app.curation.permissions import is_partner_admin
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM, SECTOR_LABELS, Partner, Sector

# A partner admin's own partner's figures sit beside its rounds, outside the office's area.
partner_bp = Blueprint("partner_figures", __name__, url_prefix="/kurasi")


def _page(template: str, tables, chosen, problems, **context):
    return render_template(
        template,
        tables=tables,
        charts={t.slug: charts.render(t) for t in tables},
        chosen=chosen,
        problems=problems,
        sectors=[(s.value, SECTOR_LABELS[s]) for s in Sector],
        regencies=_regencies_with_ikms(chosen.regency),
        display=exports.display,
        numeric=exports.NUMERIC_KINDS,
        **context,
    ), (400 if problems else 200)


def _regencies_with_ikms(chosen: str | None):
    """The kabupaten/kota to choose from: those where IKMs are (and the one chosen)."""
    codes = set(db.session.scalars(db.select(IKM.regency_code).distinct()))
    codes.discard(None)
    if chosen:
        codes.add(chosen)
    return [r for r in regions.regencies() if r.code in codes]


def _filters_or_400():
    chosen, problems = filters.parse(request.args)
    if problems:
        abort(400, "; ".join(problems))
    return chosen


def _report_title() -> str:
    return _("Programme figures")


@bp.route("/angka")
@requires(is_trade_office)
def figures_page():
    chosen, problems = filters.parse(request.args)
    tables = [] if problems else figures.all_figures(chosen)
    return _page(
        "admin/figures.html",
        tables,
        chosen,
        problems,
        csv_url=lambda slug: url_for("admin.figures_csv", slug=slug, **chosen.query_args()),
        xlsx_url=url_for("admin.figures_xlsx", **chosen.query_args()),
        pdf_url=url_for("admin.figures_pdf", **chosen.query_args()),
        form_url=url_for("admin.figures_page"),
        title=_report_title(),
        args=request.args,
    )


@bp.route("/angka/<slug>.csv")
@requires(is_trade_office)
def figures_csv(slug: str):
    table = figures.table_by_slug(figures.all_figures(_filters_or_400()), slug)
    if table is None:
        abort(404)
    return exports.csv_response(table)


@bp.route("/angka/angka.xlsx")
@requires(is_trade_office)
def figures_xlsx():
    chosen = _filters_or_400()
    return exports.xlsx_response(
        figures.all_figures(chosen), "angka-program", chosen.described(), _report_title()
    )


@bp.route("/angka/laporan.pdf")
@requires(is_trade_office)
def figures_pdf():
    chosen = _filters_or_400()
    return exports.pdf_response(
        figures.all_figures(chosen), chosen.described(), _report_title(), "laporan-angka-program"
    )


def _partner_or_404(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None or not (
        is_trade_office(current_user) or is_partner_admin(current_user, partner)
    ):
        abort(404)
    return partner


@partner_bp.route("/mitra/<int:partner_id>/angka")
@login_required
def partner_page(partner_id: int):
    partner = _partner_or_404(partner_id)
    chosen, problems = filters.parse(request.args)
    tables = [] if problems else figures.partner_figures(chosen, partner.id)
    return _page(
        "admin/partner_figures.html",
        tables,
        chosen,
        problems,
        partner=partner,
        csv_url=lambda slug: url_for(
            "partner_figures.partner_csv", partner_id=partner.id, slug=slug, **chosen.query_args()
        ),
        xlsx_url=url_for(
            "partner_figures.partner_xlsx", partner_id=partner.id, **chosen.query_args()
        ),
        pdf_url=None,
        form_url=url_for("partner_figures.partner_page", partner_id=partner.id),
        title=_("Curation figures: %(partner)s", partner=partner.name),
        args=request.args,
    )


@partner_bp.route("/mitra/<int:partner_id>/angka/<slug>.csv")
@login_required
def partner_csv(partner_id: int, slug: str):
    partner = _partner_or_404(partner_id)
    table = figures.table_by_slug(figures.partner_figures(_filters_or_400(), partner.id), slug)
    if table is None:
        abort(404)
    return exports.csv_response(table)


@partner_bp.route("/mitra/<int:partner_id>/angka/angka.xlsx")
@login_required
def partner_xlsx(partner_id: int):
    partner = _partner_or_404(partner_id)
    chosen = _filters_or_400()
    return exports.xlsx_response(
        figures.partner_figures(chosen, partner.id),
        f"angka-kurasi-{partner.id}",
        chosen.described(),
        _("Curation figures: %(partner)s", partner=partner.name),
    )
