"""Domain errors, raised by services and mapped to HTTP in one place (``register``)."""

from __future__ import annotations

import logging
import uuid

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from app.core.security import log_event

log = logging.getLogger("etalase")


class DomainError(Exception):
    """Base of errors a service raises on purpose."""

    def __init__(self, message: str = "", **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does (404)."""


class Forbidden(DomainError):
    """The user may know the object but not do this to it (403)."""


class InvalidTransition(DomainError):
    """The object's state does not allow this action (409)."""


class DomainValidationError(DomainError):
    """Input that passed the form is still wrong for the domain (400).

    :param field: the form field the message belongs to, if any
    """

    def __init__(self, message: str, field: str | None = None, **details):
        super().__init__(message, **details)
        self.field = field


HTTP_STATUS = {NotFound: 404, Forbidden: 403, InvalidTransition: 409, DomainValidationError: 400}
ERROR_CODES = (400, 403, 404, 405, 409, 413, 429, 500, 503)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(
    status: int,
    message: str | None = None,
    incident: str | None = None,
    headers: dict[str, str] | None = None,
    **extra,
):
    """A JSON error under /api/ (and /healthz), a page elsewhere.

    :param headers: headers the answer must keep, such as a 405's ``Allow``
    """
    headers = dict(headers or {})
    if status == 503:
        headers.setdefault("Retry-After", "30")
    if wants_json():
        body = {"error": {"status": status, "message": message or _default_message(status)}}
        body["error"].update(extra)
        if incident:
            body["error"]["incident"] = incident
        return jsonify(body), status, headers
    page = render_template(
        "errors/error.html",
        status=status,
        message=message,
        incident=incident,
        title=_title(status),
    )
    return page, status, headers


def _title(status: int) -> str:
    return {
        400: _("The request could not be understood"),
        403: _("You may not do this"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        409: _("This cannot be done right now"),
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
        503: _("Etalase is briefly unavailable"),
    }.get(status, _("Error"))


def _default_message(status: int) -> str:
    return {
        400: _("Please check what you sent and try again."),
        403: _("Your account does not have permission for this."),
        404: _("The page you asked for does not exist or is not available to you."),
        405: _("This address does not accept that kind of request."),
        409: _("The item has changed state; reload the page and try again."),
        413: _("The upload is larger than we accept. Please send a smaller file."),
        429: _("Please wait a moment before trying again."),
        500: _("We have been told about it. Please try again in a moment."),
        503: _("Please try again in a minute."),
    }.get(status, "")


def register(app) -> None:
    """Map HTTP and domain errors to pages (or JSON under /api/) in both languages."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code not in ERROR_CODES:
            return error
        if error.code == 429:
            log_event("rate_limited", limit=str(getattr(error, "description", "")))
        message = _default_message(error.code)
        if error.code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            message = _(
                "Your form expired or was sent from elsewhere. Reload the page and try again."
            )
        return error_response(error.code, message, headers=_kept_headers(error))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        status = HTTP_STATUS.get(type(error), 400)
        return error_response(status, error.message or _default_message(status))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_error(error):
        if not _is_connection_error(error):
            return internal_error(error)
        log.error("database unavailable: %s", error.__class__.__name__)
        _rollback_quietly()
        return error_response(503, _default_message(503))

    @app.errorhandler(Exception)
    def internal_error(error):
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error incident=%s path=%s", incident, request.path)
        _rollback_quietly()
        return error_response(500, _default_message(500), incident=incident)


def _kept_headers(error: HTTPException) -> dict[str, str]:
    """The exception's own headers (a 405's ``Allow``), less the type of its default body."""
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def _is_connection_error(error) -> bool:
    if getattr(error, "connection_invalidated", False):
        return True
    text = str(getattr(error, "orig", error)).lower()
    return any(
        marker in text
        for marker in ("connection", "could not connect", "server closed", "unable to open")
    )


def _rollback_quietly() -> None:
    from app.extensions import db

    try:
        db.session.rollback()
    except Exception:
        log.debug("rollback failed", exc_info=True)
