"""What the index holds for a listed product, read from the database in batches of columns.

Listed: accepted in a published decision, by an active partner, for a product that is not
archived, of a verified IKM (the rule lives in ``app.curation.listing``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy.orm import aliased

from app.catalog.models import Category, Product
from app.curation import listing
from app.extensions import db
from app.orgs import regions
from app.orgs.models import IKM
from app.search.analysis import concepts

BATCH = 2000
# Verified certificates are also words of the product: "halal" or "sni" finds what carries one.
CERTIFICATE_WORDS = {"halal": "halal", "hki": "hki", "sni": "sni", "pirt": "pirt", "bpom": "bpom"}


def documents(ids: Iterable[int], today: date) -> Iterator[dict]:
    """Index documents for those of ``ids`` that are listed; the others are simply absent."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        yield from _batch(ids[start : start + BATCH], today)


def _batch(ids: list[int], today: date) -> Iterator[dict]:
    found = listing.listings(ids)
    listed = [pid for pid in ids if pid in found]
    if not listed:
        return
    certificates = listing.certificate_badges(listed, today)
    covers = listing.cover_keys(listed)
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
            Category.slug,
            Category.name_id,
            Category.name_en,
            parent.id,
            parent.slug,
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
    ).all()
    attached = concepts()
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
        category_slug,
        category_id_name,
        category_en,
        parent_id,
        parent_slug,
        parent_id_name,
        parent_en,
        ikm_id,
        ikm_name,
        ikm_regency,
    ) in rows:
        regency = origin or ikm_regency or ""
        listed_by = found[pid]
        attributes_text = " ".join(
            f"{a.get('label', '')} {a.get('value', '')}" for a in attributes or []
        )
        badges = sorted(certificates.get(pid, set()))
        badge_words = " ".join(CERTIFICATE_WORDS[k] for k in badges if k in CERTIFICATE_WORDS)
        # Words the office attached to the category or its sector (data/concepts.txt).
        concept_words = ", ".join(
            filter(None, [attached.get(parent_slug), attached.get(category_slug)])
        )
        document = {
            "id": str(pid),
            "name": name,
            # Food and drink also answer to "mamin" (makanan minuman), the trade office's word.
            "category": f"{parent_id_name} {category_id_name} {badge_words} {concept_words}"
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
            "partners": " ".join(str(p) for p in sorted(listed_by.partners)),
            "price": price or 0,
            "min_order": min_order or 1,
            "listed_at": int(listed_by.listed_at.timestamp() * 1000),
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
