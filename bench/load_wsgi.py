"""The app as ``make load`` serves it: each answer names the worker that made it (X-Worker-Pid),
so the load script can reach every worker after a change. Only for the benchmark."""

from __future__ import annotations

import os

from wsgi import app

_serve = app.wsgi_app


def _naming_worker(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return _serve(environ, start)


app.wsgi_app = _naming_worker
