"""Catalogue search: Indonesian-aware Whoosh index kept true by an outbox; database fallback.

The interface the rest of the site uses: ``search(params)`` to search, ``enqueue(product_ids)``
to mark products for re-indexing in the current transaction, and ``drain``/``rebuild``/``check``
to keep the index true. The modules behind them load on first use.
"""

import logging

from app.core import signals
from app.search.params import (
    MAX_QUERY_CHARS,
    MIN_ORDER_BUCKETS,
    PAGE_SIZE,
    PRICE_BUCKETS,
    SORTS,
    SearchItem,
    SearchParams,
    SearchResult,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MIN_ORDER_BUCKETS",
    "PAGE_SIZE",
    "PRICE_BUCKETS",
    "SORTS",
    "SearchItem",
    "SearchParams",
    "SearchResult",
    "check",
    "clear_caches",
    "drain",
    "enqueue",
    "rebuild",
    "rebuild_reason",
    "register",
    "search",
]
log = logging.getLogger("etalase.search")


def search(params: SearchParams) -> SearchResult:
    """Answer from the index; from the database (``result.fallback``) when the index is missing
    or unreadable, or the engine fails in any way: a search never fails a page."""
    from app.search import fallback, query
    from app.search.whoosh_index import IndexUnavailable

    try:
        return query.search(params)
    except IndexUnavailable as error:
        log.warning("search index unavailable (%s); answering from the database", error)
    except Exception:
        log.exception("search engine failed; answering from the database")
    return fallback.search(params)


def clear_caches(analysis: bool = True, columns: bool = True) -> None:
    """Forget everything this process keeps from the index and from past queries: posting lists,
    deletions, facet counts, with ``columns`` the column arrays read from each segment (what a
    new worker reads once), and with ``analysis`` the stems and word tables too (see
    ``analysis.clear_caches``). The open searcher stays (``whoosh_index.forget`` closes it).
    For benchmarks and tests: a cold query."""
    from app.search import analysis as text
    from app.search import engine, facets, query

    engine.clear_caches()
    facets.clear_caches(segments=columns)
    query.clear_caches()
    if analysis:
        text.clear_caches()


def enqueue(product_ids, reason: str = "changed") -> None:
    from app.search.indexing import enqueue as run

    run(product_ids, reason)


def drain() -> int:
    from app.search.indexing import drain as run

    return run()


def rebuild(procs: int = 1, memory_mb: int = 512) -> int:
    from app.search.indexing import rebuild as run

    return run(procs=procs, memory_mb=memory_mb)


def rebuild_reason() -> str | None:
    from app.search.indexing import rebuild_reason as run

    return run()


def check() -> dict[str, list[str]]:
    from app.search.indexing import check as run

    return run()


def _products_of_ikm(ikm) -> list[int]:
    from app.catalog.models import Product
    from app.extensions import db

    return list(db.session.scalars(db.select(Product.id).filter_by(ikm_id=ikm.id)))


def _products_of_partner(partner) -> list[int]:
    from app.curation.models import Round, Submission
    from app.extensions import db

    return list(
        db.session.scalars(
            db.select(Submission.product_id)
            .join(Round, Submission.round_id == Round.id)
            .where(Round.partner_id == partner.id, Submission.state == "accepted")
        )
    )


def _product_changed(product, **_) -> None:
    enqueue([product.id])


def _ikm_changed(ikm, **_) -> None:
    enqueue(_products_of_ikm(ikm), reason="ikm")


def _partner_changed(partner, **_) -> None:
    enqueue(_products_of_partner(partner), reason="partner")


signals.product_changed.connect(_product_changed)
signals.ikm_changed.connect(_ikm_changed)
signals.partner_changed.connect(_partner_changed)


def register(app) -> None:
    from app.search import indexing

    indexing.register(app)
