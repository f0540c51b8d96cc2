"""The audit trail and user administration (``/admin/jejak``, ``/admin/pengguna``)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, people, trail
from app.admin.forms import (
    KIND_LABELS,
    AddMembershipForm,
    DeactivateForm,
    RoleForm,
    TrailFilterForm,
    UserSearchForm,
)
from app.admin.permissions import can_manage_users, can_read_audit_trail
from app.auth.models import User
from app.core import uow
from app.core.access import found_or_404, requires
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.extensions import db
from app.orgs.models import ROLE_LABELS, ROLES_BY_KIND, Membership, OrgKind


def _problems(form) -> list[str]:
    return [
        f"{form[name].label.text}: {message}"
        for name, errors in form.errors.items()
        for message in errors
    ]


@bp.route("/jejak")
@requires(can_read_audit_trail)
def audit_trail():
    form = TrailFilterForm(request.args)
    if not form.validate():
        return render_template(
            "admin/audit_trail.html", form=form, problems=_problems(form), rows=None
        ), 400
    params = form.params()
    rows = trail.trail(form.filters(), requested_page())
    return render_template(
        "admin/audit_trail.html",
        form=form,
        problems=[],
        rows=rows,
        kind_labels=KIND_LABELS,
        page_url=lambda n: url_for("admin.audit_trail", page=n, **params),
    )


@bp.route("/pengguna")
@requires(can_manage_users)
def users():
    form = UserSearchForm(request.args)
    if not form.validate():
        return render_template(
            "admin/users.html", form=form, problems=_problems(form), users=None
        ), 400
    search = form.q.data or ""
    return render_template(
        "admin/users.html",
        form=form,
        problems=[],
        users=people.users(search, requested_page()),
        page_url=lambda n: url_for("admin.users", page=n, **({"q": search} if search else {})),
    )


def _user_page(user: User, add_form=None, status: int = 200):
    return render_template(
        "admin/user_detail.html",
        person=user,
        memberships=people.memberships(user, requested_page()),
        page_url=lambda n: url_for("admin.user_detail", user_id=user.id, page=n),
        role_labels=ROLE_LABELS,
        roles_for=lambda org: ROLES_BY_KIND[OrgKind(org.kind)],
        add_form=add_form or AddMembershipForm(),
        confirm_form=ConfirmForm(),
        role_form=RoleForm(),
    ), status


@bp.route("/pengguna/<int:user_id>")
@requires(can_manage_users)
def user_detail(user_id: int):
    return _user_page(found_or_404(User, user_id))


def _back(user: User):
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/nonaktifkan", methods=["GET", "POST"])
@requires(can_manage_users)
def deactivate_user(user_id: int):
    user = found_or_404(User, user_id)
    form = DeactivateForm()
    if form.validate_on_submit():
        if uow.run(
            lambda: people.deactivate(user, form.reason.data, by=current_user),
            form=form,
            success=_(
                "%(name)s's account is deactivated; every session of it ended.", name=user.full_name
            ),
        ):
            return _back(user)
        if not form.errors:  # refused as a whole (own account, last admin): said in a flash
            return _back(user)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_deactivate.html", person=user, form=form), status


@bp.route("/pengguna/<int:user_id>/aktifkan", methods=["POST"])
@requires(can_manage_users)
def reactivate_user(user_id: int):
    user = found_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: people.reactivate(user, by=current_user),
            success=_("%(name)s's account is active again.", name=user.full_name),
        )
    return _back(user)


@bp.route("/pengguna/<int:user_id>/admin", methods=["POST"])
@requires(can_manage_users)
def set_admin(user_id: int):
    user = found_or_404(User, user_id)
    grant = request.form.get("grant") == "1"
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: people.set_admin(user, grant, by=current_user),
            success=(
                _("%(name)s is now an administrator.", name=user.full_name)
                if grant
                else _("%(name)s is no longer an administrator.", name=user.full_name)
            ),
        )
    return _back(user)


def _membership_or_404(user: User, membership_id: int) -> Membership:
    member = db.session.get(Membership, membership_id)
    if member is None or member.user_id != user.id:
        abort(404)
    return member


@bp.route("/pengguna/<int:user_id>/keanggotaan/<int:membership_id>/peran", methods=["POST"])
@requires(can_manage_users)
def change_role(user_id: int, membership_id: int):
    user = found_or_404(User, user_id)
    member = _membership_or_404(user, membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        uow.run(
            lambda: people.change_role(member, form.role.data, by=current_user),
            success=lambda m: _(
                "The role in %(org)s is now %(role)s.",
                org=m.organisation.name,
                role=ROLE_LABELS[m.role],
            ),
        )
    else:
        flash(_("Choose one of the roles."), "error")
    return _back(user)


@bp.route("/pengguna/<int:user_id>/keanggotaan/<int:membership_id>/hapus", methods=["POST"])
@requires(can_manage_users)
def remove_membership(user_id: int, membership_id: int):
    user = found_or_404(User, user_id)
    member = _membership_or_404(user, membership_id)
    name = member.organisation.name
    if ConfirmForm().validate_on_submit():
        uow.run(
            lambda: people.remove_membership(member, by=current_user),
            success=_(
                "%(person)s is no longer a member of %(org)s.", person=user.full_name, org=name
            ),
        )
    return _back(user)


@bp.route("/pengguna/<int:user_id>/keanggotaan", methods=["POST"])
@requires(can_manage_users)
def add_membership(user_id: int):
    user = found_or_404(User, user_id)
    form = AddMembershipForm()
    if form.validate_on_submit() and uow.run(
        lambda: people.add_membership(
            user, form.organisation.data, form.role.data, by=current_user
        ),
        form=form,
        success=lambda m: _(
            "%(person)s is now a member of %(org)s.", person=user.full_name, org=m.organisation.name
        ),
    ):
        return _back(user)
    return _user_page(db.session.get(User, user.id), add_form=form, status=400)
