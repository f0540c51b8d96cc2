"""A large generated catalogue (``flask seed-demo --products N``) to try the site at scale.

Verified IKMs (about one per 50 products) list products that partners' closed rounds accepted
and published, so every product is in the catalogue; some products were accepted by two
partners, some carry certificates. Rows go in with Core ``insert`` executemany in batches, never
ORM objects one by one: 100,000 products take a minute or two. Photos are a dozen drawn images
stored once and shared by every product of their sector, not 100,000 files. The search index
is not touched: run ``flask search rebuild`` afterwards.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, text

from app.catalog import images
from app.catalog.models import Category, Certificate, Photo, Product, product_certificates
from app.catalog.taxonomy import sync_categories
from app.core import clock
from app.curation import rounds
from app.curation.models import Round, Rubric, Submission
from app.demo import words
from app.demo.drawing import DRAWERS, product_photo
from app.extensions import db
from app.orgs.models import IKM, Partner
from app.storage import store

BATCH = 5_000
ROUND_TITLE = "Kurasi Katalog Besar"  # marks the generated rounds: one catalogue per database
PRODUCTS_PER_IKM = 50


def generated_count() -> int:
    """How many products a previous run generated (0: none yet)."""
    return db.session.scalar(
        db.select(func.count(Submission.product_id.distinct()))
        .join(Round, Submission.round_id == Round.id)
        .where(Round.title.startswith(ROUND_TITLE))
    )


def generate(count: int, seed: int = 42, ikms: int | None = None) -> dict[str, int]:
    """Insert ``count`` listed products, with their IKMs, partners, rounds, photos and
    certificates; flush only (the caller commits). Returns counts of what was added."""
    rng = random.Random(seed)
    now = clock.now()
    sync_categories()
    rounds.seed_rubric_templates()
    leaves = {
        c.slug: c
        for c in db.session.scalars(db.select(Category).where(Category.parent_id.is_not(None)))
    }
    round_ids = _rounds(_partners(now))
    ikm_ids = _ikms(rng, ikms or max(10, count // PRODUCTS_PER_IKM), now)
    products = _products(rng, count, ikm_ids, leaves, now)
    submissions = _submissions(rng, products, round_ids, now)
    photos = _photos(products, leaves, now)
    certificates = _certificates(rng, products, leaves, now)
    return {
        "partners": len(round_ids),
        "IKMs": len(ikm_ids),
        "products": len(products),
        "accepted submissions": submissions,
        "photos": photos,
        "certificates": certificates,
    }


def analyze() -> None:
    """Refresh the planner's statistics (SQLite and PostgreSQL alike need them after a bulk load)."""
    db.session.execute(text("ANALYZE"))


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in batches; the new ids, in the order of ``rows``."""
    ids: list[int] = []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), BATCH):
        ids += db.session.scalars(statement, rows[start : start + BATCH]).all()
    return ids


def _partners(now) -> list[int]:
    rows = [
        {
            "name": name,
            "kind": "partner",
            "partner_type": kind,
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for name, kind in words.PARTNERS
    ]
    return _insert(Partner, rows)


def _rounds(partner_ids: list[int]) -> list[int]:
    today = clock.today()
    template = db.session.scalar(db.select(Rubric).filter_by(slug="souvenir-retail"))
    found = []
    for number, partner_id in enumerate(partner_ids, start=1):
        round = Round(
            partner_id=partner_id,
            title=f"{ROUND_TITLE} {number}",
            opens_on=today - timedelta(days=90),
            closes_on=today - timedelta(days=60),
            review_due_on=today - timedelta(days=45),
            closed_at=clock.now() - timedelta(days=40),
            rubric=rounds.copy_rubric(template, f"{ROUND_TITLE} {number}"),
        )
        db.session.add(round)
        found.append(round)
    db.session.flush()
    return [r.id for r in found]


def _ikms(rng: random.Random, count: int, now) -> list[int]:
    first, second = words.IKM_NAMES
    rows = [
        {
            "name": f"IKM {rng.choice(first)} {rng.choice(second)} {number}",
            "kind": "ikm",
            "status": "verified",
            "regency_code": rng.choice(words.REGENCIES),
            "whatsapp": f"+62812{number:07d}",
            "email": f"ikm{number}@contoh.id",
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for number in range(1, count + 1)
    ]
    return _insert(IKM, rows)


def _unit(sector: str) -> str:
    return {"alas-kaki": "pasang", "makanan": "pcs", "minuman": "pcs"}.get(sector, "pcs")


def _products(rng, count, ikm_ids, leaves, now) -> list[tuple[int, int, str]]:
    """(id, IKM id, category slug) per new product."""
    slugs = list(words.WORDS)
    rows, made = [], []
    for number in range(count):
        slug = rng.choice(slugs)
        name, material = words.product_name(rng, slug), rng.choice(words.MATERIALS)
        ikm_id = rng.choice(ikm_ids)
        made.append((ikm_id, slug))
        rows.append(
            {
                "ikm_id": ikm_id,
                "category_id": leaves[slug].id,
                "name": f"{name} {number % 997}",
                "description": words.describe(rng, name, material),
                "materials": material,
                "attributes": [],
                "origin_regency_code": rng.choice(words.REGENCIES),
                "retail_price": rng.randrange(10, 3000) * 1000,
                "unit": _unit(leaves[slug].parent.slug),
                "min_order_qty": rng.choice([1, 6, 12, 20, 24, 50, 100, 200, 500]),
                "capacity_monthly": rng.choice([200, 500, 1000, 5000, 20000]),
                "lead_time_days": rng.choice([3, 7, 14, 21, 30]),
                "created_at": now - timedelta(minutes=count - number),
                "updated_at": now,
            }
        )
    ids = _insert(Product, rows)
    return [(pid, ikm_id, slug) for pid, (ikm_id, slug) in zip(ids, made, strict=True)]


def _submissions(rng, products, round_ids, now) -> int:
    rows = []
    for pid, ikm_id, _ in products:
        chosen = rng.sample(round_ids, 2 if rng.random() < 0.1 else 1)
        rows += [
            {
                "round_id": round_id,
                "product_id": pid,
                "ikm_id": ikm_id,
                "state": "accepted",
                "cycle": 1,
                "snapshot": {},
                "submitted_at": now - timedelta(days=70),
                "published_at": now - timedelta(days=40),
                "conditions": [],
                "created_at": now,
                "updated_at": now,
            }
            for round_id in chosen
        ]
    return len(_insert(Submission, rows))


def _shared_photos(sectors: set[str]) -> dict[str, dict[str, int]]:
    """One drawn photo per sector, stored once in three sizes: sector -> size -> file id."""
    found = {}
    for sector in sorted(sectors):
        drawing = sector if sector in DRAWERS else "kriya"
        renditions = images.process(product_photo(sector, drawing), images.PHOTO_SIZES)
        found[sector] = {
            f"{size}_id": store(r.data, r.content_type, "photo", None, r.width, r.height)
            for size, r in renditions.items()
        }
    db.session.flush()
    return {sector: {k: f.id for k, f in files.items()} for sector, files in found.items()}


def _photos(products, leaves, now) -> int:
    parents = {slug: category.parent.slug for slug, category in leaves.items()}
    files = _shared_photos({parents[slug] for _, _, slug in products})
    rows = [
        {"product_id": pid, "position": 0, "is_cover": True, "created_at": now}
        | files[parents[slug]]
        for pid, _, slug in products
    ]
    return len(_insert(Photo, rows))


def _certificates(rng, products, leaves, now) -> int:
    """About 40% of products of a certified sector carry each of its certificates."""
    links, rows = [], []
    for pid, ikm_id, slug in products:
        for kind in words.CERTS_BY_SECTOR.get(leaves[slug].parent.slug, []):
            if rng.random() < 0.4:
                links.append(pid)
                rows.append(
                    {
                        "ikm_id": ikm_id,
                        "type": kind,
                        "number": f"{kind.upper()}-{pid:09d}",
                        "status": "verified",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    ids = _insert(Certificate, rows)
    pairs = [{"product_id": p, "certificate_id": c} for p, c in zip(links, ids, strict=True)]
    for start in range(0, len(pairs), BATCH):
        db.session.execute(insert(product_certificates), pairs[start : start + BATCH])
    return len(ids)
