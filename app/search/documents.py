"""What the index holds for a listed product, read from the database in batches of columns.

Listed: accepted in a published decision, by an active partner, for a product that is not
archived, of a verified IKM (the rule lives in ``app.curation.listing``).
"""

from __future__ import annotations

import hashlib
import json
import re
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
# A range of sizes or numbers ("36–41", "36 sampai 41"): every number in it is a word of the
# product, so "sepatu 40" finds shoes sized 36–41. Only short ranges of small numbers.
NUMBER_RANGE = re.compile(
    r"(?<![\d.,])(\d{1,3})\s*(?:-|–|—|s\.d\.?|s/d|sampai|hingga)\s*(\d{1,3})(?![\d.,])"
)
MAX_RANGE = 20


LETTER_SIZES = ["XS", "S", "M", "L", "XL", "XXL", "XXXL"]
_LETTER = r"(XXXL|XXL|XL|XS|S|M|L|[23]XL)"
LETTER_RANGE = re.compile(rf"\b{_LETTER}\s*(?:-|–|—|s\.d\.?|s/d|sampai|hingga)\s*{_LETTER}\b")


def range_numbers(text: str) -> str:
    """The sizes inside each short range of ``text``: "36–41" → "36 37 38 39 40 41", "S–XL" →
    "S M L XL"."""
    found: list[str] = []
    for low, high in NUMBER_RANGE.findall(text):
        low, high = int(low), int(high)
        if 0 < high - low <= MAX_RANGE:
            found.extend(str(n) for n in range(low, high + 1))
    for low, high in LETTER_RANGE.findall(text):
        low, high = (size.replace("2XL", "XXL").replace("3XL", "XXXL") for size in (low, high))
        start, end = LETTER_SIZES.index(low), LETTER_SIZES.index(high)
        found.extend(LETTER_SIZES[start : end + 1])
    return " ".join(dict.fromkeys(found))


def rank_key(partners: int, complete: int, listed_ms: int) -> int:
    """The order of products a query matches equally well: accepted by more partners first,
    then the more complete (photo, certificate, description, attributes), then the newest; as
    one number, so ranking reads one column."""
    return (min(partners, 99) * 10 + min(complete, 9)) * 10**13 + listed_ms


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
    titles = listing.certificate_titles(listed, today)
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
            IKM.address,
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
        ikm_address,
    ) in rows:
        regency = origin or ikm_regency or ""
        listed_by = found[pid]
        attributes_text = " ".join(
            f"{a.get('label', '')} {a.get('value', '')}" for a in attributes or []
        )
        badges = sorted(certificates.get(pid, set()))
        badge_words = " ".join(
            [CERTIFICATE_WORDS[k] for k in badges if k in CERTIFICATE_WORDS]
            + sorted(titles.get(pid, ()))
        )
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
                    None,
                    [
                        description,
                        materials,
                        attributes_text,
                        range_numbers(f"{attributes_text} {description}"),
                    ],
                )
            ),
            # Who makes it and where: the IKM's name, the region, its address (desa, kecamatan).
            "maker": " ".join(filter(None, [ikm_name, regions.name(regency), ikm_address])),
            "summary": " ".join(filter(None, [description, materials, attributes_text])),
            "materials": materials or "",
            "english": f"{name} {parent_en} {category_en} {badge_words}",
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
        complete = (
            bool(document["image"])
            + bool(badges)
            + (len(description or "") >= 80)
            + bool(attributes_text.strip())
        )
        document["rank_col"] = rank_key(len(listed_by.partners), complete, document["listed_at"])
        document["digest"] = digest(document)
        yield document


def digest(document: dict) -> str:
    body = {k: v for k, v in document.items() if k != "digest"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:16]
