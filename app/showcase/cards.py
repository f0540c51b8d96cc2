"""Product cards rendered once per worker: the card's text is a pure function of its fields and
the language, so each distinct card is rendered once and kept (least recently used dropped).

A card is the same HTML for everyone who sees it; only the "Save" button below it depends on the
person, and that is rendered per request (templates/showcase/_cards.html). The key is every
field the card shows, the language and the script root, so a changed product (name, price,
cover, badges) is a new key, never a stale answer: nothing needs clearing. ``CARD_CACHE_ENTRIES``
bounds it (0 keeps none; the debug server keeps none, so edited templates show at once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from app.showcase import bp

FIELDS = (
    "id",
    "name",
    "name_marked",
    "price",
    "unit",
    "min_order",
    "ikm_id",
    "ikm_name",
    "ikm_name_marked",
    "regency",
    "image",
    "certifications",
    "snippet",
)


class CardCache:
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._kept: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple, html: Markup) -> None:
        with self._lock:
            self._kept[key] = html
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


def _field(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _render(item) -> Markup:
    template = current_app.jinja_env.get_template("showcase/_card_body.html")
    return template.module.card_body(item)  # a macro of an autoescaped template: Markup


@bp.app_template_global()
def card_body(item) -> Markup:
    """The part of a product card that is the same for everyone (link, photo, price, maker,
    badges, excerpt)."""
    cache: CardCache | None = current_app.extensions.get("card_cache")
    if cache is None:
        return _render(item)
    key = (str(get_locale()), request.script_root, *(_field(item, f) for f in FIELDS))
    html = cache.get(key)
    if html is None:
        html = _render(item)
        cache.put(key, html)
    return html


def register(app) -> None:
    entries = app.config.get("CARD_CACHE_ENTRIES", 0)
    if entries and not app.debug:
        app.extensions["card_cache"] = CardCache(entries)
