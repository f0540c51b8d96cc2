"""Pages of a list: every list on the site is shown a page at a time (24 or 50 rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request

from app.extensions import db

MAX_PAGE = 10_000
CARDS = 24  # a page of cards: fills rows of 1, 2, 3, 4 or 6 columns
ROWS = 50  # a page of table rows


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    number: int  # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def map(self, convert: Callable[[Sequence[Any]], Sequence[Any]]) -> Page:
        """The same page with its items converted as a whole (e.g. ids loaded as cards)."""
        return Page(convert(self.items), self.number, self.per_page, self.total)


def requested_page(arg: str = "page") -> int:
    """The page number asked for in the query string; 1 for anything that is not one."""
    raw = request.args.get(arg, "")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) >= 1 else 1


def page_of(rows: Sequence[Any], number: int, per_page: int) -> Page:
    """One page of a list already in memory (a ranking computed in Python); past the end, the
    last page."""
    pages = max(1, -(-len(rows) // per_page))
    number = max(1, min(number, pages))
    start = (number - 1) * per_page
    return Page(rows[start : start + per_page], number, per_page, len(rows))


def paginate(query, number: int, per_page: int = 24, scalars: bool = True) -> Page:
    """One page of a select: a count and a LIMIT/OFFSET query, whatever the list's length.
    A page past the end shows the last page."""
    total = db.session.scalar(
        db.select(db.func.count()).select_from(query.order_by(None).subquery())
    )
    pages = max(1, -(-total // per_page))
    number = max(1, min(number, pages))
    window = query.limit(per_page).offset((number - 1) * per_page)
    rows = db.session.scalars(window).all() if scalars else db.session.execute(window).all()
    return Page(rows, number, per_page, total)


def paginate_counted(query, number: int, per_page: int = 24) -> Page:
    """``paginate`` of a one-column select in one statement: the page's rows carry the total
    (``count(*) OVER ()``), which saves a round trip on the busiest public pages. A page past
    the end, or an empty list, asks again the usual way (count, then the last page)."""
    window = (
        query.add_columns(db.func.count().over())
        .limit(per_page)
        .offset((max(1, number) - 1) * per_page)
    )
    rows = db.session.execute(window).all()
    if not rows:
        return paginate(query, number, per_page)
    return Page([row[0] for row in rows], max(1, number), per_page, rows[0][1])
