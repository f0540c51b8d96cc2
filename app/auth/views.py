from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from app.core import uow
from app.core.security import log_event, safe_next
from app.extensions import db, limiter


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    """Only attempts that did not succeed count towards the limits."""
    return response.status_code != 302


def _login_limits() -> str:
    return current_app.config["LOGIN_LIMITS"]


def _login_address_limits() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMITS"]


def _reset_limits() -> str:
    return current_app.config["RESET_LIMITS"]


@bp.route("/periksa-email")
def check_email():
    email = session.get("check_email")
    if not email:
        return redirect(url_for("auth.login"))
    return render_template("auth/check_email.html", email=email)


@bp.route("/konfirmasi/<token>")
def confirm_email(token: str):
    user = services.confirm_email(token)
    if user is None:
        flash(
            _("This confirmation link is invalid or has expired. Ask for a new one below."), "error"
        )
        return redirect(url_for("auth.resend_confirmation"))
    db.session.commit()
    flash(_("Thank you, your email address is confirmed. You can now log in."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/konfirmasi", methods=["GET", "POST"])
@limiter.limit(_reset_limits, methods=["POST"])
@limiter.limit(_reset_limits, methods=["POST"], key_func=_account_key)
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and not user.is_confirmed:
            services.send_confirmation(user)
            db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_address_limits, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limits, methods=["POST"], deduct_when=_failed, key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.credentials_match(form.email.data, form.password.data)
        if user is None:
            log_event("login.failed", email_hash=_email_hash(form.email.data))
            form.form_errors.append(_("The email or password is not correct."))
        elif not user.is_active:
            log_event("login.deactivated", user_id=user.id)
            form.form_errors.append(
                _(
                    "This account has been deactivated by the trade office. "
                    "Contact them if you think this is a mistake."
                )
            )
        elif not user.is_confirmed:
            services.send_confirmation(user)
            db.session.commit()
            log_event("login.unconfirmed", user_id=user.id)
            form.form_errors.append(
                _("Please confirm your email address first. We have sent you a new link.")
            )
        else:
            return _log_in(user, remember=form.remember.data)
    return render_template("auth/login.html", form=form)


def _log_in(user, remember: bool):
    next_url = safe_next(request.args.get("next"), url_for("home.dashboard"))
    session.clear()  # a fresh session: no fixation
    login_user(user, remember=remember and not user.is_admin)
    services.record_login(user)
    db.session.commit()
    log_event("login.succeeded", user_id=user.id)
    return redirect(next_url)


def _email_hash(email: str) -> str:
    from app.auth.tokens import fingerprint

    return fingerprint(services.normalise_email(email))


@bp.route("/keluar", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        services.end_sessions(user)
        db.session.commit()
        log_event("logout", user_id=user.id)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("showcase.index"))


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@limiter.limit(_reset_limits, methods=["POST"])
@limiter.limit(_reset_limits, methods=["POST"], key_func=_account_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        log_event("password_reset.requested", email_hash=_email_hash(form.email.data))
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit() and uow.run(
        lambda: services.set_password(user, form.password.data, by=user), form=form
    ):
        logout_user()
        session.clear()
        log_event("password_reset.done", user_id=user.id)
        flash(_("Your password is changed. Log in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/pengaturan", methods=["GET", "POST"])
@login_required
def settings():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if uow.run(
            lambda: services.change_password(user, form.current.data, form.password.data),
            form=form,
        ):
            log_event("password.changed", user_id=user.id)
            # The change ended every session, this one included: start a fresh one.
            session.clear()
            login_user(user)
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form)
