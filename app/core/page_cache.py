"""Anonymous public pages kept in the worker's memory for their max-age.

The answers that ``caching.apply_rule`` makes public (an anonymous, cookie-free, flash-free 200
of a ``public_page`` view) are the same for every anonymous visitor in one language, and shared
caches may keep them for ``PUBLIC_MAX_AGE`` seconds anyway; so each worker keeps them too, keyed
by the full URL and the language. A request with a session (logged in, or a message waiting) is
never answered from here, and an answer that sets a cookie is never kept. At most
``PAGE_CACHE_ENTRIES`` answers and ``PAGE_CACHE_MAX_BYTES`` of bodies, the oldest dropped first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

from app.core.i18n import user_or_none


@dataclass(frozen=True)
class Kept:
    expires_at: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class PageCache:
    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries, self.max_bytes, self.bytes = entries, max_bytes, 0
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.expires_at <= time.monotonic():
                self.bytes -= len(self._kept.pop(key).body)
                return None
            return kept

    def put(self, key: tuple, kept: Kept) -> None:
        with self._lock:
            if key in self._kept:
                self.bytes -= len(self._kept.pop(key).body)
            self._kept[key] = kept
            self.bytes += len(kept.body)
            while len(self._kept) > self.entries or self.bytes > self.max_bytes:
                self.bytes -= len(self._kept.popitem(last=False)[1].body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.bytes = 0


def register(app: Flask) -> None:
    """Answer from the cache before the view runs; keep public answers after the rule ran.

    Call before ``caching.register``: Flask runs after-request functions last-registered first,
    so ``keep`` sees the Cache-Control the rule chose.
    """
    entries = app.config["PAGE_CACHE_ENTRIES"]
    if not entries:
        return
    app.extensions["page_cache"] = PageCache(entries, app.config["PAGE_CACHE_MAX_BYTES"])
    app.before_request(answer_from_cache)
    app.after_request(keep)


def _key() -> tuple | None:
    if request.method != "GET" or session or user_or_none() is not None:
        return None
    return (request.url, str(get_locale()))


def answer_from_cache():
    key = _key()
    kept = current_app.extensions["page_cache"].get(key) if key else None
    if kept is None:
        return None
    g.is_public_page = True  # the rule makes it public again, with its ETag (304 if it matches)
    g.page_from_cache = True
    return current_app.response_class(kept.body, status=kept.status, headers=kept.headers)


def keep(response):
    from app.core.caching import PUBLIC_MAX_AGE

    if g.get("page_from_cache") or not response.cache_control.public:
        return response
    if response.status_code != 200 or "Set-Cookie" in response.headers or response.is_streamed:
        return response
    key = _key()
    if key is None:
        return response
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name not in ("Cache-Control", "ETag", "Vary", "Content-Length")
    ]
    current_app.extensions["page_cache"].put(
        key,
        Kept(time.monotonic() + PUBLIC_MAX_AGE, response.status_code, headers, response.get_data()),
    )
    return response
