"""Links that work in a request and from the CLI alike; absolute ones use SITE_URL."""

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        return url_for(endpoint, **values)


def absolute(path: str) -> str:
    """For emails: never built from the request's Host header."""
    return current_app.config["SITE_URL"].rstrip("/") + path


def external(endpoint: str, **values) -> str:
    return absolute(path_for(endpoint, **values))
