"""Search from the database when the index is missing or unreadable (slower, no typo tolerance)."""

from __future__ import annotations

from sqlalchemy import func, or_

from app.catalog.models import Category, Product
from app.core import clock
from app.curation import listing
from app.extensions import db
from app.search.params import (
    MIN_ORDER_BUCKETS,
    PAGE_SIZE,
    SearchItem,
    SearchParams,
    SearchResult,
    bucket,
)


def search(params: SearchParams) -> SearchResult:
    query = db.select(Product.id).where(Product.id.in_(listing.listed_ids_query()))
    for word in params.q.lower().split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                func.lower(Product.name).like(pattern),
                func.lower(Product.description).like(pattern),
            )
        )
    query = _filtered(query, params)
    ids = db.session.scalars(query.order_by(*_order(params))).all()
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    page = min(params.page, pages)
    chosen = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    items = [SearchItem(**card) for card in listing.cards(chosen, clock.today())]
    return SearchResult(items, len(ids), page, pages, fallback=True)


def _filtered(query, params: SearchParams):
    if params.category is not None:
        query = query.join(Category, Product.category_id == Category.id).where(
            or_(Category.id == params.category, Category.parent_id == params.category)
        )
    if params.region:
        query = query.where(Product.origin_regency_code == params.region)
    if params.partner is not None:
        query = query.where(Product.id.in_(listing.listed_ids_query(params.partner)))
    if params.certification:
        query = query.where(
            Product.id.in_(listing.certified_ids_query(params.certification, clock.today()))
        )
    if params.min_price is not None:
        query = query.where(Product.retail_price >= params.min_price)
    if params.max_price is not None:
        query = query.where(Product.retail_price <= params.max_price)
    if params.min_order:
        low, high = bucket(MIN_ORDER_BUCKETS, params.min_order)
        query = query.where(Product.min_order_qty >= (low or 1))
        if high is not None:
            query = query.where(Product.min_order_qty <= high)
    return query


def _order(params: SearchParams):
    return {
        "price_asc": [Product.retail_price.asc(), Product.id],
        "price_desc": [Product.retail_price.desc(), Product.id],
    }.get(params.sort, [Product.id.desc()])
