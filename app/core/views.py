from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import text

from app import storage
from app.core import bp
from app.core.i18n import LANGUAGE_COOKIE
from app.core.paging import requested_page
from app.core.security import safe_next
from app.extensions import db

PUBLIC_IMAGE_KINDS = ("photo", "logo")


@bp.route("/notifikasi", methods=["GET", "POST"])
@login_required
def notifications():
    from app.core import notifications as service
    from app.core.forms import ConfirmForm

    form = ConfirmForm()
    if form.validate_on_submit():
        service.mark_all_read(current_user)
        db.session.commit()
        return redirect(url_for("core.notifications"))
    return render_template(
        "core/notifications.html",
        items=service.recent(current_user, requested_page()),
        page_url=lambda n: url_for("core.notifications", page=n),
        form=form,
    )


@bp.route("/bahasa", methods=["POST"])
def set_language():
    language = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("showcase.index"))
    response = redirect(target)
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return response


@bp.route("/bahasa/<lang>")
def choose_language(lang: str):
    """For visitors who are not logged in: only a cookie changes, so a plain link will do."""
    target = safe_next(request.args.get("next"), url_for("showcase.index"))
    response = redirect(target)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503, {"Retry-After": "30"}
    return jsonify(status="ok", database="ok")


@bp.route("/media/<key>")
def media(key: str):
    """Public images (product photos, logos) under content-addressed names."""
    if not storage.is_key(key):  # before the query: a NUL in it is an error in PostgreSQL
        abort(404)
    row = db.session.scalar(
        db.select(storage.StoredFile)
        .where(storage.StoredFile.key == key, storage.StoredFile.kind.in_(PUBLIC_IMAGE_KINDS))
        .limit(1)
    )
    if row is None:
        abort(404)
    try:
        path = storage.path_for(row.key)
    except ValueError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=row.content_type, max_age=365 * 24 * 3600, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
