"""The one rule of what the public catalogue lists, and the badges a listed product carries.

A product is listed when a partner that is active accepted it in a published decision, the
product is not archived, and its IKM is verified. The pages, the API, the search index and
the search fallback all read the rule from here: as a query (``listed_submissions_query``), or
in batches of product ids (``listings``), which is how the index builds its documents.

A listed product's badges: one curation badge per partner round that accepted it, and one
certificate badge per kind of verified, unexpired certificate that covers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.orm import aliased

from app.catalog.models import (
    Certificate,
    CertificateStatus,
    CertificateType,
    Photo,
    Product,
    product_certificates,
)
from app.curation.models import Round, Submission, SubmissionState
from app.extensions import db
from app.orgs.models import IKM, Partner, VerificationStatus
from app.storage import StoredFile


@dataclass(frozen=True)
class CurationBadge:
    partner_id: int
    partner_name: str
    round_id: int
    round_title: str


# Built once: aliasing a polymorphic entity costs more than the rest of the query's building.
_PARTNER, _IKM = aliased(Partner), aliased(IKM)


def _accepted(query):
    return query.where(
        Submission.state == SubmissionState.ACCEPTED, Submission.published_at.is_not(None)
    )


def listed_submissions_query():
    """Accepted, published submissions by an active partner, for an active product of a
    verified IKM."""
    partner, ikm = _PARTNER, _IKM
    return _accepted(
        db.select(Submission)
        .join(Round, Submission.round_id == Round.id)
        .join(partner, Round.partner_id == partner.id)
        .join(Product, Submission.product_id == Product.id)
        .join(ikm, Product.ikm_id == ikm.id)
        .where(partner.is_active, Product.archived_at.is_(None))
        .where(ikm.status == VerificationStatus.VERIFIED)
    )


def listed_exists(product_id):
    """Whether the product ``product_id`` (a column of an outer query) is accepted in a
    published decision of an active partner: for a query that already keeps to active
    products of verified IKMs, the rest of the rule, one indexed look-up per row."""
    partner = _PARTNER
    return _accepted(
        db.select(Submission.id)
        .join(Round, Submission.round_id == Round.id)
        .join(partner, Round.partner_id == partner.id)
        .where(partner.is_active, Submission.product_id == product_id)
        .offset(0)  # a fence: PostgreSQL then looks each product up, not hashing every listed one
    ).exists()


def listed_ids_query(partner_id: int | None = None, ikm_id: int | None = None):
    """The ids of listed products (a subquery); only those one partner accepted, or one IKM's,
    if given."""
    query = listed_submissions_query().with_only_columns(Submission.product_id)
    if partner_id is not None:
        # By the partner's round ids, read first: PostgreSQL then estimates from the rounds' own
        # statistics; from a join it guesses an average partner's share and, for a small
        # partner, walks the whole catalogue by name to fill one page.
        rounds = db.session.scalars(db.select(Round.id).where(Round.partner_id == partner_id))
        query = query.where(Submission.round_id.in_(rounds.all()))
    if ikm_id is not None:  # by the submission's IKM (indexed): not every listed product
        query = query.where(Submission.ikm_id == ikm_id)
    return query


def listed_products_query(ikm_id: int | None = None, partner_id: int | None = None):
    """Listed products by name; only one IKM's, or only those one partner accepted."""
    query = (
        db.select(Product)
        .where(Product.id.in_(listed_ids_query(partner_id, ikm_id)))
        .order_by(Product.name, Product.id)
    )
    return query if ikm_id is None else query.where(Product.ikm_id == ikm_id)


def listed_ids() -> set[int]:
    return set(db.session.scalars(listed_ids_query().distinct()))


def badges_for(product_ids: Iterable[int]) -> dict[int, list[CurationBadge]]:
    """Per product id: a badge for each round that accepted it, newest round first; an empty
    list for a product that is not listed. One query for any number of products."""
    product_ids = list(product_ids)
    found: dict[int, list[CurationBadge]] = {pid: [] for pid in product_ids}
    if not product_ids:
        return found
    rows = db.session.execute(_badges_statement(), {"product_ids": product_ids}).all()
    for product_id, partner_id, partner_name, round_id, title in rows:
        found[product_id].append(CurationBadge(partner_id, partner_name, round_id, title))
    return found


def badges_query(product_ids):
    """(product id, partner id and name, round id and title) per listed product's badge;
    ``product_ids`` a list, or a bind parameter."""
    return (
        listed_submissions_query()
        .join(Partner, Round.partner_id == Partner.id)
        .with_only_columns(Submission.product_id, Partner.id, Partner.name, Round.id, Round.title)
        .where(Submission.product_id.in_(product_ids))
        .order_by(Round.opens_on.desc(), Round.id)
    )


@cache
def _badges_statement():
    """badges_query with the ids as a parameter, built once per process: building its five
    joins took longer than PostgreSQL took to answer it (every product page asks it)."""
    return badges_query(bindparam("product_ids", expanding=True))


def curation_badges(product: Product) -> list[CurationBadge]:
    """Is this product listed, and by whom. Empty means the product is not listed (not public)."""
    return badges_for([product.id])[product.id]


# -- in batches, for the search index and the cards -------------------------------------------


@dataclass
class Listing:
    """Why a product is listed: the partners that accepted it and when it was first listed."""

    partners: set[int] = field(default_factory=set)
    listed_at: datetime | None = None


def listings(product_ids: list[int], active: set[int] | None = None) -> dict[int, Listing]:
    """Per listed product among ``product_ids``: its partners and first listing time. Products
    that are not listed are absent. ``active``: those of ``product_ids`` the caller already
    found unarchived, of a verified IKM (one query less).

    Read by product id (indexed), with the small tables (active partners' rounds, verified
    IKMs' products) checked in Python: a join here lets SQLite start from the wrong table and
    read every submission for every batch.
    """
    rows = db.session.execute(
        _accepted(
            db.select(Submission.product_id, Submission.round_id, Submission.published_at)
        ).where(Submission.product_id.in_(product_ids))
    ).all()
    if not rows:
        return {}
    rounds = dict(
        db.session.execute(
            db.select(Round.id, Round.partner_id)
            .join(Partner, Round.partner_id == Partner.id)
            .where(Partner.is_active, Round.id.in_({round_id for _, round_id, _ in rows}))
        ).all()
    )
    if active is None:
        active = set(
            db.session.scalars(
                db.select(Product.id)
                .join(IKM, Product.ikm_id == IKM.id)
                .where(Product.id.in_({pid for pid, _, _ in rows}))
                .where(Product.archived_at.is_(None), IKM.status == VerificationStatus.VERIFIED)
            )
        )
    found: dict[int, Listing] = {}
    for product_id, round_id, published_at in rows:
        if round_id not in rounds or product_id not in active:
            continue
        entry = found.setdefault(product_id, Listing())
        entry.partners.add(rounds[round_id])
        if entry.listed_at is None or published_at < entry.listed_at:
            entry.listed_at = published_at
    return found


def _earns_badge(query, today: date):
    return query.where(Certificate.status == CertificateStatus.VERIFIED).where(
        (Certificate.valid_until.is_(None)) | (Certificate.valid_until >= today)
    )


def certified_ids_query(kind: str, today: date):
    """The ids of products covered by a verified, unexpired certificate of ``kind``."""
    return _earns_badge(
        db.select(product_certificates.c.product_id)
        .join(Certificate, Certificate.id == product_certificates.c.certificate_id)
        .where(Certificate.type == kind),
        today,
    )


def certificate_badges(product_ids: list[int], today: date) -> dict[int, set[str]]:
    """Per product: the kinds of verified, unexpired certificates that cover it."""
    # Two simple lookups rather than one join: SQLite otherwise starts from the certificates.
    pairs = db.session.execute(
        db.select(product_certificates.c.product_id, product_certificates.c.certificate_id).where(
            product_certificates.c.product_id.in_(product_ids)
        )
    ).all()
    if not pairs:
        return {}
    kinds = dict(
        db.session.execute(
            _earns_badge(
                db.select(Certificate.id, Certificate.type).where(
                    Certificate.id.in_({certificate_id for _, certificate_id in pairs})
                ),
                today,
            )
        ).all()
    )
    found: dict[int, set[str]] = defaultdict(set)
    for product_id, certificate_id in pairs:
        if certificate_id in kinds:
            found[product_id].add(kinds[certificate_id])
    return found


def certificate_titles(product_ids: list[int], today: date) -> dict[int, set[str]]:
    """Per product: the titles of the verified, unexpired certificates of another kind
    ("Batikmark") that cover it: words a buyer may search for."""
    rows = db.session.execute(
        _earns_badge(
            db.select(product_certificates.c.product_id, Certificate.title)
            .join(Certificate, Certificate.id == product_certificates.c.certificate_id)
            .where(product_certificates.c.product_id.in_(product_ids))
            .where(Certificate.type == CertificateType.OTHER, Certificate.title.is_not(None)),
            today,
        )
    ).all()
    found: dict[int, set[str]] = defaultdict(set)
    for product_id, title in rows:
        found[product_id].add(title)
    return found


def cover_keys(product_ids: list[int]) -> dict[int, str]:
    """Per product: the stored key of its cover photo's medium size (``Product.cover``: the
    photo marked as cover, else the first)."""
    rows = db.session.execute(
        db.select(Photo.product_id, Photo.position, Photo.is_cover, StoredFile.key)
        .join(StoredFile, StoredFile.id == Photo.medium_id)
        .where(Photo.product_id.in_(product_ids))
    ).all()
    best: dict[int, tuple] = {}
    for product_id, position, is_cover, key in rows:
        rank = (not is_cover, position)
        if product_id not in best or rank < best[product_id][0]:
            best[product_id] = (rank, key)
    return {pid: key for pid, (_, key) in best.items()}


def cards(product_ids: list[int], today: date) -> list[dict]:
    """What a product card shows, for those of ``product_ids`` that are listed, in their order:
    the same fields a search hit has. Six queries for any number of products."""
    rows = {
        row.id: row
        for row in db.session.execute(
            db.select(
                Product.id,
                Product.name,
                Product.retail_price,
                Product.unit,
                Product.min_order_qty,
                Product.origin_regency_code,
                IKM.id.label("ikm_id"),
                IKM.name.label("ikm_name"),
                IKM.regency_code,
            )
            .join(IKM, Product.ikm_id == IKM.id)
            .where(Product.id.in_(product_ids), Product.archived_at.is_(None))
            .where(IKM.status == VerificationStatus.VERIFIED)
        )
    }
    found = listings(list(rows), active=set(rows)) if rows else {}
    listed = [pid for pid in product_ids if pid in found]
    if not listed:
        return []
    covers, certificates = cover_keys(listed), certificate_badges(listed, today)
    return [
        {
            "id": pid,
            "name": rows[pid].name,
            "name_marked": None,
            "price": rows[pid].retail_price or 0,
            "unit": rows[pid].unit,
            "min_order": rows[pid].min_order_qty or 1,
            "ikm_id": rows[pid].ikm_id,
            "ikm_name": rows[pid].ikm_name,
            "ikm_name_marked": None,
            "regency": rows[pid].origin_regency_code or rows[pid].regency_code or "",
            "image": covers.get(pid, ""),
            "snippet": None,
            "certifications": tuple(sorted(certificates.get(pid, ()))),
            "partners": tuple(sorted(found[pid].partners)),
        }
        for pid in listed
    ]
