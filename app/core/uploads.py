"""Uploads sent by the page script (static/js/etalase.js) to show their progress.

The script posts the form with XMLHttpRequest, which would follow a redirect on its own and so
fetch, and spend, the message the view flashed for the next page. Such a request says so with a
header; a redirect answer to it becomes ``{"location": ...}`` and the script goes there itself.
"""

from __future__ import annotations

from flask import jsonify, request

UPLOAD_HEADER = "X-Etalase-Upload"


def register(app) -> None:
    @app.after_request
    def tell_the_script_where_to_go(response):
        if request.headers.get(UPLOAD_HEADER) == "1" and response.status_code in (301, 302, 303):
            answer = jsonify(location=response.location)
            answer.headers["Cache-Control"] = "no-store"
            return answer
        return response
