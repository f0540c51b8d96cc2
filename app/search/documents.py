"""What the index holds for a listed product, read from the database in batches of columns.

Listed: accepted in a published decision, by an active partner, for a product that is not
archived, of a verified IKM (``curation.services.listed_submissions_query``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy.orm import aliased

from app.catalog.models import (
    Category,
    Certificate,
    CertificateStatus,
    Photo,
    Product,
    product_certificates,
)
from app.curation.models import Round, Submission
from app.curation.services import listed_submissions_query
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM, Partner
from app.storage import StoredFile

BATCH = 2000
# Verified certificates are also words of the product: "halal" or "sni" finds what carries one.
CERTIFICATE_WORDS = {"halal": "halal", "hki": "hki", "sni": "sni", "pirt": "pirt", "bpom": "bpom"}


def listed_ids() -> set[int]:
    return set(
        db.session.scalars(
            listed_submissions_query().with_only_columns(Submission.product_id).distinct()
        )
    )


def _active_rounds() -> dict[int, int]:
    """Round → partner, for the rounds of active partners (a small table, read once per run)."""
    return dict(
        db.session.execute(
            db.select(Round.id, Round.partner_id)
            .join(Partner, Round.partner_id == Partner.id)
            .where(Partner.is_active)
        ).all()
    )


def _listings(ids: list[int], rounds: dict[int, int]) -> dict[int, dict]:
    """Per product: the partners whose published acceptance lists it, and when it was first listed.

    Read by product id (indexed) and checked against the active rounds in Python: a join here
    lets SQLite start from the wrong table and read every submission for every batch.
    """
    rows = db.session.execute(
        db.select(Submission.product_id, Submission.round_id, Submission.published_at).where(
            Submission.product_id.in_(ids),
            Submission.state == "accepted",
            Submission.published_at.is_not(None),
        )
    ).all()
    found: dict[int, dict] = defaultdict(lambda: {"partners": set(), "listed_at": None})
    for product_id, round_id, published_at in rows:
        if round_id not in rounds:
            continue
        entry = found[product_id]
        entry["partners"].add(rounds[round_id])
        if entry["listed_at"] is None or published_at < entry["listed_at"]:
            entry["listed_at"] = published_at
    return found


def _badged_certificates(ids: list[int], today: date) -> dict[int, set[str]]:
    # Two simple lookups rather than one join: SQLite otherwise starts from the certificates.
    pairs = db.session.execute(
        db.select(product_certificates.c.product_id, product_certificates.c.certificate_id).where(
            product_certificates.c.product_id.in_(ids)
        )
    ).all()
    kinds = (
        dict(
            db.session.execute(
                db.select(Certificate.id, Certificate.type)
                .where(Certificate.id.in_({certificate_id for _, certificate_id in pairs}))
                .where(Certificate.status == CertificateStatus.VERIFIED)
                .where((Certificate.valid_until.is_(None)) | (Certificate.valid_until >= today))
            ).all()
        )
        if pairs
        else {}
    )
    found: dict[int, set[str]] = defaultdict(set)
    for product_id, certificate_id in pairs:
        if certificate_id in kinds:
            found[product_id].add(kinds[certificate_id])
    return found


def _covers(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        db.select(Photo.product_id, Photo.position, Photo.is_cover, StoredFile.key)
        .join(StoredFile, StoredFile.id == Photo.medium_id)
        .where(Photo.product_id.in_(ids))
    ).all()
    best: dict[int, tuple] = {}
    for product_id, position, is_cover, key in rows:
        rank = (not is_cover, position)
        if product_id not in best or rank < best[product_id][0]:
            best[product_id] = (rank, key)
    return {pid: key for pid, (_, key) in best.items()}


def documents(ids: Iterable[int], today: date) -> Iterator[dict]:
    """Index documents for those of ``ids`` that are listed; the others are simply absent."""
    ids = list(ids)
    rounds = _active_rounds()
    for start in range(0, len(ids), BATCH):
        yield from _batch(ids[start : start + BATCH], today, rounds)


def _batch(ids: list[int], today: date, rounds: dict[int, int]) -> Iterator[dict]:
    listings = _listings(ids, rounds)
    listed = [pid for pid in ids if pid in listings]
    if not listed:
        return
    certificates, covers = _badged_certificates(listed, today), _covers(listed)
    parent = aliased(Category)
    rows = db.session.execute(
        db.select(
            Product.id,
            Product.name,
            Product.description,
            Product.materials,
            Product.attributes,
            Product.retail_price,
            Product.unit,
            Product.min_order_qty,
            Product.origin_regency_code,
            Category.id,
            Category.name_id,
            Category.name_en,
            parent.id,
            parent.name_id,
            parent.name_en,
            IKM.id,
            IKM.name,
            IKM.regency_code,
        )
        .join(Category, Product.category_id == Category.id)
        .join(parent, Category.parent_id == parent.id)
        .join(IKM, Product.ikm_id == IKM.id)
        .where(Product.id.in_(listed))
        .where(Product.archived_at.is_(None), IKM.status == "verified")
    ).all()
    for (
        pid,
        name,
        description,
        materials,
        attributes,
        price,
        unit,
        min_order,
        origin,
        category_id,
        category_id_name,
        category_en,
        parent_id,
        parent_id_name,
        parent_en,
        ikm_id,
        ikm_name,
        ikm_regency,
    ) in rows:
        regency = origin or ikm_regency or ""
        listing = listings[pid]
        attributes_text = " ".join(
            f"{a.get('label', '')} {a.get('value', '')}" for a in attributes or []
        )
        badges = sorted(certificates.get(pid, set()))
        badge_words = " ".join(CERTIFICATE_WORDS[k] for k in badges if k in CERTIFICATE_WORDS)
        document = {
            "id": str(pid),
            "name": name,
            # Food and drink also answer to "mamin" (makanan minuman), the trade office's word.
            "category": f"{parent_id_name} {category_id_name} {badge_words}"
            + (" makanan minuman" if parent_en in ("Food", "Drinks") else ""),
            "description": " ".join(
                filter(
                    None, [description, materials, attributes_text, ikm_name, regions.name(regency)]
                )
            ),
            "summary": " ".join(filter(None, [description, materials, attributes_text])),
            "english": f"{name} {parent_en} {category_en} {materials or ''} {badge_words}",
            "category_id": str(category_id),
            "sector_id": str(parent_id),
            "certifications": " ".join(badges),
            "regency": regency,
            "partners": " ".join(str(p) for p in sorted(listing["partners"])),
            "price": price or 0,
            "min_order": min_order or 1,
            "listed_at": int(listing["listed_at"].timestamp() * 1000),
            "ikm_id": str(ikm_id),
            "ikm_name": ikm_name,
            "unit": unit,
            "image": covers.get(pid, ""),
        }
        document["certification_set"] = (document["certifications"] or "-").encode()
        document["partner_set"] = (document["partners"] or "-").encode()
        document["price_col"], document["min_order_col"] = document["price"], document["min_order"]
        document["listed_col"] = document["listed_at"]
        document["digest"] = digest(document)
        yield document


def digest(document: dict) -> str:
    body = {k: v for k, v in document.items() if k != "digest"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:16]


def partner_names() -> dict[str, str]:
    return {str(pid): name for pid, name in db.session.execute(db.select(Partner.id, Partner.name))}
