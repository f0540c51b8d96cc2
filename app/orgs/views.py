from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.auth import services as auth_services
from app.core import uow
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.core.security import safe_next
from app.extensions import db, limiter
from app.orgs import bp, permissions, services
from app.orgs.forms import (
    AcceptInvitationForm,
    IKMProfileForm,
    InviteForm,
    RegisterForm,
    fill_region_choices,
)
from app.orgs.models import IKM, Invitation, MemberRole, Membership, Organisation


def _org_or_404(org_id: int, check) -> Organisation:
    """The organisation, if ``check(user, org)`` allows; otherwise 404 so ids reveal nothing."""
    org = db.session.get(Organisation, org_id)
    if org is None or not check(current_user, org):
        abort(404)
    return org


@bp.route("/organisasi/<int:org_id>")
@login_required
def overview(org_id: int):
    return _overview_page(_org_or_404(org_id, permissions.can_view_org))


def _overview_page(org: Organisation, invite_form: InviteForm | None = None, status: int = 200):
    roles = permissions.invitable_roles(current_user, org)
    if invite_form is None:
        invite_form = InviteForm()
        invite_form.set_roles(roles)
    members_page, invitations_page = requested_page(), requested_page("undangan")
    page = render_template(
        "orgs/overview.html",
        org=org,
        invite_form=invite_form,
        can_invite=bool(roles),
        can_edit=permissions.can_edit_org(current_user, org),
        invitations=services.pending_invitations(org, invitations_page) if roles else None,
        invitations_url=lambda n: url_for(
            "orgs.overview", org_id=org.id, page=members_page, undangan=n
        ),
        members=services.members(org, members_page),
        members_url=lambda n: url_for(
            "orgs.overview", org_id=org.id, page=n, undangan=invitations_page
        ),
        confirm_form=ConfirmForm(),
    )
    return page, status


@bp.route("/organisasi/<int:org_id>/profil", methods=["GET", "POST"])
@login_required
def edit_ikm_profile(org_id: int):
    ikm = _org_or_404(
        org_id, lambda user, org: isinstance(org, IKM) and permissions.can_edit_org(user, org)
    )
    form = IKMProfileForm(obj=ikm)
    fill_region_choices(form.province_code, form.regency_code)
    was_verified = ikm.is_verified
    if form.validate_on_submit() and uow.run(
        lambda: services.save_ikm_profile(ikm, _profile(form), by=current_user, logo=_logo(form)),
        form=form,
        success=lambda saved: (
            _(
                "The profile is saved. Because the name or NIB changed, the trade office will verify it again."
            )
            if was_verified and not saved.is_verified
            else _("The profile is saved.")
        ),
    ):
        return redirect(url_for("orgs.overview", org_id=ikm.id))
    return render_template("orgs/ikm_profile.html", form=form, ikm=ikm)


def _profile(form: IKMProfileForm) -> services.IKMProfile:
    return services.IKMProfile(
        **{name: form[name].data for name in services.IKMProfile.__dataclass_fields__}
    )


def _logo(form: IKMProfileForm) -> bytes | None:
    upload = form.logo.data
    return upload.read() if upload and getattr(upload, "filename", "") else None


@bp.route("/organisasi/<int:org_id>/undang", methods=["POST"])
@login_required
def invite(org_id: int):
    org = _org_or_404(org_id, permissions.can_view_org)
    roles = permissions.invitable_roles(current_user, org)
    if not roles:
        abort(404)
    form = InviteForm()
    form.set_roles(roles)
    if form.validate_on_submit() and uow.run(
        lambda: services.invite(org, form.email.data, MemberRole(form.role.data), by=current_user),
        form=form,
        success=_("Invitation sent to %(email)s.", email=form.email.data),
    ):
        return redirect(safe_next(form.next.data, url_for("orgs.overview", org_id=org.id)))
    return _overview_page(org, invite_form=form, status=400)


@bp.route("/organisasi/<int:org_id>/undangan/<int:invitation_id>/batal", methods=["POST"])
@login_required
def revoke_invitation(org_id: int, invitation_id: int):
    org = _org_or_404(org_id, permissions.can_manage_members)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != org.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.revoke_invitation(invitation, by=current_user)
        db.session.commit()
        flash(_("The invitation is cancelled."), "success")
    return redirect(url_for("orgs.overview", org_id=org.id))


@bp.route("/organisasi/<int:org_id>/anggota/<int:member_id>/hapus", methods=["POST"])
@login_required
def remove_member(org_id: int, member_id: int):
    org = _org_or_404(org_id, permissions.can_view_org)
    member = db.session.get(Membership, member_id)
    if (
        member is None
        or member.organisation_id != org.id
        or not permissions.can_remove_member(current_user, member)
    ):
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.remove_member(member, by=current_user)
        db.session.commit()
        flash(
            _("%(name)s no longer belongs to %(org)s.", name=member.user.full_name, org=org.name),
            "success",
        )
    return redirect(url_for("orgs.overview", org_id=org.id))


@bp.route("/organisasi/undangan/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invitation = services.open_invitation(token)
    existing = auth_services.find_user(invitation.email)
    if current_user.is_authenticated:
        return _accept_as_current_user(invitation)
    if existing:
        flash(_("Log in as %(email)s to accept the invitation.", email=invitation.email), "info")
        return redirect(url_for("auth.login", next=request.path))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.join_with_new_account(
                invitation, form.full_name.data, form.password.data, locale=_locale()
            ),
            form=form,
            success=_("Welcome to %(org)s.", org=invitation.organisation.name),
        )
        if done:
            login_user(done.value)
            return redirect(url_for("home.dashboard"))
    return render_template("orgs/invitation.html", invitation=invitation, form=form)


def _accept_as_current_user(invitation: Invitation):
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if uow.run(
            lambda: services.accept_invitation(invitation, current_user),
            success=_("You joined %(org)s.", org=invitation.organisation.name),
        ):
            return redirect(url_for("orgs.overview", org_id=invitation.organisation_id))
        return redirect(url_for("home.dashboard"))
    return render_template(
        "orgs/invitation.html",
        invitation=invitation,
        confirm_form=form,
        wrong_account=current_user.email != invitation.email,
    )


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


# -- registration (an account with its IKM or buyer organisation) --------------------------


@bp.route("/akun/daftar", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMITS"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        data = services.Registration(
            email=form.email.data,
            full_name=form.full_name.data,
            password=form.password.data,
            account_type=form.account_type.data,
            organisation_name=form.organisation_name.data,
            locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        )
        if uow.run(lambda: services.register(data), form=form):
            session["check_email"] = data.email
            return redirect(url_for("auth.check_email"))
    return render_template("orgs/register.html", form=form)
