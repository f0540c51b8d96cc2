"""A season of past trade for the programme figures: buyer requests of the last six months,
each awarded to an IKM of its sector, so that the figures' monthly chart, the capacity against
demand and the exports by origin each say something.

Two of them are the shoe exporter PT Inti Dragon Suryatama's (an exporter partner) and go to
Kota Mojokerto's shoemakers: the export table then counts them under Kota Mojokerto, where the
shoes are made. Dates are relative to the clock. Idempotent: each request is found by its
title.
"""

from __future__ import annotations

from datetime import timedelta

from app.catalog.models import Category
from app.core import clock
from app.extensions import db
from app.matching.models import BuyerRequest, Quote, QuoteState, Recipient, RequestState
from app.orgs.models import IKM, Organisation, VerificationStatus

# buyer, months ago, title, category, quantity, unit, unit price, IKM sector
HISTORY = [
    ("PT Inti Dragon Suryatama", 5, "Sepatu pria kulit untuk ekspor", "sepatu-pria", 6_000, "pasang", 135_000, "alas_kaki"),
    ("Ramayana", 4, "Sandal wanita musim liburan", "sandal", 3_000, "pasang", 55_000, "alas_kaki"),
    ("PT Sinar Retail Nusantara", 4, "Keripik tempe kemasan 250 g", "keripik", 8_000, "pcs", 12_000, "makanan_minuman"),
    ("PT Inti Dragon Suryatama", 3, "Sepatu wanita pantofel untuk ekspor", "sepatu-wanita", 4_000, "pasang", 120_000, "alas_kaki"),
    ("Ramayana", 2, "Batik cap seragam karyawan", "batik-cap", 1_200, "pcs", 150_000, "batik"),
    ("PT Sinar Retail Nusantara", 1, "Kopi bubuk robusta 200 g", "kopi", 2_500, "pcs", 35_000, "makanan_minuman"),
]  # fmt: skip


def seed_figures() -> dict[str, int]:
    now = clock.now()
    for buyer, months, title, slug, quantity, unit, price, sector in HISTORY:
        org = db.session.scalar(db.select(Organisation).filter_by(name=buyer))
        if org is None or db.session.scalar(
            db.select(BuyerRequest.id).filter_by(buyer_org_id=org.id, title=title)
        ):
            continue
        ikm = db.session.scalar(
            db.select(IKM)
            .filter_by(sector=sector, status=VerificationStatus.VERIFIED)
            .order_by(IKM.regency_code != "35.76", IKM.id)  # Kota Mojokerto's first
        )
        category = db.session.scalar(db.select(Category.id).filter_by(slug=slug))
        if ikm is None or category is None:
            continue
        opened = now - timedelta(days=30 * months + 3)
        found = BuyerRequest(
            buyer_org_id=org.id,
            title=title,
            category_id=category,
            specification=title,
            quantity=quantity,
            unit=unit,
            target_unit_price=price,
            delivery_on=(opened + timedelta(days=60)).date(),
            state=RequestState.AWARDED,
            opened_at=opened,
            created_at=opened,
        )
        db.session.add(found)
        db.session.flush()
        db.session.add(Recipient(request_id=found.id, ikm_id=ikm.id, sent_at=opened))
        db.session.add(
            Quote(
                request_id=found.id,
                ikm_id=ikm.id,
                state=QuoteState.ACCEPTED,
                unit_price=price,
                quantity=quantity,
                accepted_quantity=quantity,
                delivery_on=found.delivery_on,
                created_at=opened + timedelta(days=2),
                decided_at=opened + timedelta(days=9),
            )
        )
    db.session.flush()
    titles = [row[2] for row in HISTORY]
    held = db.session.scalar(
        db.select(db.func.count(BuyerRequest.id)).where(BuyerRequest.title.in_(titles))
    )
    return {"past buyer requests": held}
