"""Search from the database when the index is missing or unreadable (slower, no typo tolerance)."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased

from app.catalog.models import (
    Category,
    Certificate,
    CertificateStatus,
    Photo,
    Product,
    product_certificates,
)
from app.core import clock
from app.curation.models import Round, Submission
from app.curation.services import listed_submissions_query
from app.extensions import db
from app.orgs.models import IKM
from app.search.params import SearchItem, SearchParams, SearchResult
from app.search.query import MIN_ORDER_BUCKETS, PAGE_SIZE, _bucket
from app.storage import StoredFile


def search(params: SearchParams) -> SearchResult:
    listed = listed_submissions_query().with_only_columns(Submission.product_id)
    query = db.select(Product.id).where(Product.id.in_(listed))
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
    return SearchResult(_items(chosen), len(ids), page, pages, fallback=True)


def _filtered(query, params: SearchParams):
    if params.category is not None:
        query = query.join(Category, Product.category_id == Category.id).where(
            or_(Category.id == params.category, Category.parent_id == params.category)
        )
    if params.region:
        query = query.where(Product.origin_regency_code == params.region)
    if params.partner is not None:
        query = query.where(
            Product.id.in_(
                listed_submissions_query()
                .with_only_columns(Submission.product_id)
                .where(Round.partner_id == params.partner)
            )
        )
    if params.certification:
        today = clock.today()
        query = query.where(
            Product.id.in_(
                db.select(product_certificates.c.product_id)
                .join(Certificate)
                .where(
                    Certificate.type == params.certification,
                    Certificate.status == CertificateStatus.VERIFIED,
                )
                .where((Certificate.valid_until.is_(None)) | (Certificate.valid_until >= today))
            )
        )
    if params.min_price is not None:
        query = query.where(Product.retail_price >= params.min_price)
    if params.max_price is not None:
        query = query.where(Product.retail_price <= params.max_price)
    if params.min_order:
        low, high = _bucket(MIN_ORDER_BUCKETS, params.min_order)
        query = query.where(Product.min_order_qty >= (low or 1))
        if high is not None:
            query = query.where(Product.min_order_qty <= high)
    return query


def _order(params: SearchParams):
    return {
        "price_asc": [Product.retail_price.asc(), Product.id],
        "price_desc": [Product.retail_price.desc(), Product.id],
    }.get(params.sort, [Product.id.desc()])


def _items(ids: list[int]) -> list[SearchItem]:
    if not ids:
        return []
    ikm = aliased(IKM)
    rows = {
        row[0]: row
        for row in db.session.execute(
            db.select(
                Product.id,
                Product.name,
                Product.retail_price,
                Product.unit,
                Product.min_order_qty,
                ikm.id,
                ikm.name,
                Product.origin_regency_code,
            )
            .join(ikm, Product.ikm_id == ikm.id)
            .where(Product.id.in_(ids))
        )
    }
    covers = dict(
        db.session.execute(
            db.select(Photo.product_id, StoredFile.key)
            .join(StoredFile, StoredFile.id == Photo.medium_id)
            .where(Photo.product_id.in_(ids), Photo.position == 0)
        ).all()
    )
    return [
        SearchItem(
            id=pid,
            name=rows[pid][1],
            price=rows[pid][2] or 0,
            unit=rows[pid][3],
            min_order=rows[pid][4],
            ikm_id=rows[pid][5],
            ikm_name=rows[pid][6],
            regency=rows[pid][7] or "",
            image=covers.get(pid, ""),
        )
        for pid in ids
        if pid in rows
    ]
