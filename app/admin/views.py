from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from app.admin import bp
from app.auth.models import User
from app.catalog import claims
from app.catalog import services as catalog_services
from app.catalog.forms import ReasonForm
from app.catalog.models import Certificate, CertificateStatus
from app.catalog.permissions import can_verify_certificate
from app.core import audit, clock, uow
from app.core.access import found_or_404, requires
from app.core.forms import ConfirmForm
from app.core.paging import ROWS, paginate, requested_page
from app.curation import services as curation_services
from app.extensions import db
from app.orgs import regions, services
from app.orgs.forms import InviteForm, PartnerForm, RejectForm, fill_region_choices
from app.orgs.models import IKM, MemberRole, Partner, VerificationStatus
from app.orgs.permissions import can_manage_partners, can_verify_ikm


@bp.route("/")
@requires(can_verify_ikm)
def index():
    counts = dict(
        db.session.execute(db.select(IKM.status, func.count()).group_by(IKM.status)).all()
    )
    return render_template(
        "admin/index.html",
        counts=counts,
        partners=db.session.scalar(db.select(func.count()).select_from(Partner)),
        users=db.session.scalar(db.select(func.count()).select_from(User)),
    )


@bp.route("/ikm")
@requires(can_verify_ikm)
def ikm_queue():
    status = request.args.get("status", VerificationStatus.PENDING.value)
    if status not in {s.value for s in VerificationStatus} | {"all"}:
        status = VerificationStatus.PENDING.value
    ikms = services.ikm_queue(None if status == "all" else status, requested_page())
    return render_template(
        "admin/ikm_queue.html",
        ikms=ikms,
        page_url=lambda n: url_for("admin.ikm_queue", status=status, page=n),
        status=status,
        statuses=VerificationStatus,
    )


def _ikm_or_404(ikm_id: int) -> IKM:
    return found_or_404(IKM, ikm_id)


@bp.route("/ikm/<int:ikm_id>")
@requires(can_verify_ikm)
def ikm_detail(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    return render_template(
        "admin/ikm_detail.html",
        ikm=ikm,
        reject_form=RejectForm(),
        verify_form=ConfirmForm(),
        history=audit.entries_for(ikm),
        regions=regions,
    )


@bp.route("/ikm/<int:ikm_id>/verifikasi", methods=["POST"])
@requires(can_verify_ikm)
def verify_ikm(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: services.verify_ikm(ikm, by=current_user),
            success=_("%(name)s is verified.", name=ikm.name),
        )
    return redirect(url_for("admin.ikm_detail", ikm_id=ikm.id))


@bp.route("/ikm/<int:ikm_id>/tolak", methods=["POST"])
@requires(can_verify_ikm)
def reject_ikm(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    form = RejectForm()
    if form.validate_on_submit() and uow.run(
        lambda: services.reject_ikm(ikm, form.reason.data, by=current_user),
        form=form,
        success=_("%(name)s is told what to change.", name=ikm.name),
    ):
        return redirect(url_for("admin.ikm_detail", ikm_id=ikm.id))
    return render_template(
        "admin/ikm_detail.html",
        ikm=ikm,
        reject_form=form,
        verify_form=ConfirmForm(),
        history=audit.entries_for(ikm),
        regions=regions,
    ), 400


@bp.route("/mitra")
@requires(can_manage_partners)
def partners():
    rows = paginate(db.select(Partner).order_by(Partner.name, Partner.id), requested_page(), ROWS)
    return render_template(
        "admin/partners.html", partners=rows, page_url=lambda n: url_for("admin.partners", page=n)
    )


def _partner_form() -> PartnerForm:
    form = PartnerForm()
    fill_region_choices(form.province_code, form.regency_code, blank_label="–")
    return form


@bp.route("/mitra/baru", methods=["GET", "POST"])
@requires(can_manage_partners)
def new_partner():
    form = _partner_form()
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.create_partner(
                form.name.data,
                form.partner_type.data,
                by=current_user,
                email=form.email.data,
                website=form.website.data,
                description=form.description.data,
                province_code=form.province_code.data or None,
                regency_code=form.regency_code.data or None,
            ),
            form=form,
            success=lambda partner: _(
                "Partner %(name)s created. Now invite its partner admin.", name=partner.name
            ),
        )
        if done:
            return redirect(url_for("admin.partner_detail", partner_id=done.value.id))
    return render_template("admin/partner_form.html", form=form)


@bp.route("/mitra/<int:partner_id>")
@requires(can_manage_partners)
def partner_detail(partner_id: int):
    partner = db.session.get(Partner, partner_id) or abort(404)
    invite_form = InviteForm()
    invite_form.set_roles((MemberRole.PARTNER_ADMIN, MemberRole.CURATOR))
    members_page, invitations_page = requested_page(), requested_page("undangan")
    return render_template(
        "admin/partner_detail.html",
        partner=partner,
        invite_form=invite_form,
        members=services.members(partner, members_page),
        members_url=lambda n: url_for(
            "admin.partner_detail", partner_id=partner.id, page=n, undangan=invitations_page
        ),
        invitations=services.pending_invitations(partner, invitations_page),
        invitations_url=lambda n: url_for(
            "admin.partner_detail", partner_id=partner.id, page=members_page, undangan=n
        ),
        confirm_form=ConfirmForm(),
    )


@bp.route("/mitra/<int:partner_id>/aktif", methods=["POST"])
@requires(can_manage_partners)
def toggle_partner(partner_id: int):
    partner = db.session.get(Partner, partner_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: services.set_partner_active(partner, not partner.is_active, by=current_user),
            success=lambda changed: (
                _("%(name)s is now active.", name=partner.name)
                if partner.is_active
                else _("%(name)s is now inactive.", name=partner.name)
            ),
        )
    return redirect(url_for("admin.partner_detail", partner_id=partner.id))


# -- rounds ----------------------------------------------------------------------------------


@bp.route("/ronde")
@requires(can_manage_partners)
def rounds():
    """Every partner's rounds that close for submissions within 14 days, the soonest first."""
    return render_template(
        "admin/rounds.html",
        rounds=curation_services.rounds_closing_soon(clock.today(), requested_page()),
        page_url=lambda n: url_for("admin.rounds", page=n),
        days=curation_services.CLOSING_DAYS,
    )


# -- certificates ----------------------------------------------------------------------------

EXPIRING = "expiring"  # not a stored status: valid, and ending within 30 days


@bp.route("/sertifikat")
@requires(can_verify_certificate)
def certificate_queue():
    status = request.args.get("status", CertificateStatus.CLAIMED.value)
    if status not in (
        CertificateStatus.CLAIMED,
        CertificateStatus.VERIFIED,
        CertificateStatus.REJECTED,
        EXPIRING,
    ):
        status = CertificateStatus.CLAIMED.value
    if status == EXPIRING:
        certificates = catalog_services.expiring_certificates(clock.today(), requested_page())
    else:
        certificates = catalog_services.certificate_queue(status, requested_page())
    return render_template(
        "admin/certificate_queue.html",
        certificates=certificates,
        claimed_elsewhere=claims.claimed_elsewhere(certificates.items),
        page_url=lambda n: url_for("admin.certificate_queue", status=status, page=n),
        status=status,
        today=clock.today(),
    )


def _certificate_or_404(certificate_id: int) -> Certificate:
    return db.session.get(Certificate, certificate_id) or abort(404)


def _certificate_page(certificate: Certificate, reject_form: ReasonForm, status: int = 200):
    page = render_template(
        "admin/certificate_detail.html",
        certificate=certificate,
        reject_form=reject_form,
        verify_form=ConfirmForm(),
        history=audit.entries_for(certificate),
        claimed_elsewhere=claims.claimed_elsewhere([certificate]).get(certificate.id, []),
        today=clock.today(),
    )
    return page, status


@bp.route("/sertifikat/<int:certificate_id>")
@requires(can_verify_certificate)
def certificate_detail(certificate_id: int):
    return _certificate_page(_certificate_or_404(certificate_id), ReasonForm())


@bp.route("/sertifikat/<int:certificate_id>/verifikasi", methods=["POST"])
@requires(can_verify_certificate)
def verify_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if ConfirmForm().validate_on_submit() and uow.run(
        lambda: catalog_services.verify_certificate(certificate, by=current_user),
        success=_("The certificate is verified."),
    ):
        return redirect(url_for("admin.certificate_queue"))
    return redirect(url_for("admin.certificate_detail", certificate_id=certificate.id))


@bp.route("/sertifikat/<int:certificate_id>/tolak", methods=["POST"])
@requires(can_verify_certificate)
def reject_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    form = ReasonForm()
    if form.validate_on_submit() and uow.run(
        lambda: catalog_services.reject_certificate(certificate, form.reason.data, by=current_user),
        form=form,
        success=_("The IKM is told why the certificate was rejected."),
    ):
        return redirect(url_for("admin.certificate_queue"))
    return _certificate_page(certificate, form, status=400)
