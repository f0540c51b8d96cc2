"""Security headers, safe redirects and the security event log."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from flask import request

security_log = logging.getLogger("etalase.security")

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register(app) -> None:
    production = app.config["ENV"] == "production"

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response


def is_safe_next(target: str | None) -> bool:
    """Only a relative path on this site: no scheme, no host, no leading ``//`` or ``\\``."""
    if not target or not target.startswith("/"):
        return False
    if target.startswith(("//", "/\\")) or "\\" in target:
        return False
    if any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_next(target) else default


def log_event(event: str, **fields) -> None:
    """One structured line per security event; never pass passwords, tokens or cookies."""
    try:
        fields.setdefault("ip", request.remote_addr)
        fields.setdefault("path", request.path)
    except RuntimeError:  # outside a request (CLI)
        pass
    security_log.info("%s %s", event, json.dumps(fields, default=str, sort_keys=True))
