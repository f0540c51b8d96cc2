"""The fast recommendations (every IKM judged on facts read in SQL, only the best explained in
full) against the full computation on small random catalogues: same first rows, same order,
same reasons, same counts, and a cut that never drops an IKM ranked above one it keeps."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from app.matching import recommend
from app.matching.models import BuyerRequest, Quote
from tests.conftest import login, page_text
from tests.factories import ListingFactory

NAMES = [
    "Sepatu Pantofel Wanita Kulit",
    "Sepatu Kets Kanvas",
    "Sandal Kulit Pria",
    "Sepatu Wanita Bordir",
    "Selop Anyaman",
]
REGIONS = [("35.76", "35"), ("35.16", "35"), ("51.71", "51")]
NUMBERS = {"sni": "LSPRO-SNI/0457/2024", "halal": "ID35110000123450122"}


def _catalogue(app, make, catalog, rng: random.Random, ikms: int = 12) -> None:
    listing = ListingFactory(app)
    today = clock.today()
    for n in range(ikms):
        regency, province = rng.choice(REGIONS)
        _, ikm = make.ikm_owner(
            name=f"IKM {rng.choice('ABCDE')}{n:02d}",
            capacity_monthly=rng.choice([300, 2000, 20_000]),
            capacity_unit=rng.choice(["pasang", "kodi", "pcs", "kg"]),
            regency_code=regency,
            province_code=province,
        )
        for _ in range(rng.randint(1, 3)):
            least = rng.choice([1, 12, 300, 5000])
            retail = rng.choice([None, 90_000, 250_000, 400_000])
            tiers = [[], [(least * 5, (retail or 0) * 9 // 10), (least * 10, (retail or 0) // 2)]]
            values = dict(
                name=rng.choice(NAMES),
                category=rng.choice(["sepatu-wanita", "sepatu-pria"]),
                unit=rng.choice(["pasang", "pasang", "kodi", "lusin", "kg"]),
                min_order_qty=least,
                capacity_monthly=rng.choice([None, 100, 1500, 6000]),
                retail_price=retail,
                price_tiers=rng.choice(tiers) if retail else [],
            )
            listed = rng.random() < 0.3
            product = listing.listed(ikm, **values) if listed else catalog.product(ikm, **values)
            if rng.random() < 0.6:
                kind = rng.choice(["sni", "halal"])
                catalog.certificate(
                    ikm,
                    kind=kind,
                    number=NUMBERS[kind],
                    status=rng.choice(["verified", "verified", "claimed"]),
                    products=[product],
                    valid_until=rng.choice([None, today + timedelta(days=20)])
                    if kind == "sni"
                    else None,
                )


def _request(app, matching, buyer_org, rng: random.Random, category_id):
    org, user = buyer_org
    group = rng.choice([1, 3])
    return matching.request(
        org,
        user,
        state="open",
        title=rng.choice(["Sepatu wanita kulit", "Sandal anyaman", "Sepatu kets"]),
        quantity=rng.choice([100, 3000, 40_000]),
        unit=rng.choice(["pasang", "kodi", "pcs", "kg"]),
        category_id=category_id,
        target_unit_price=rng.choice([None, 200_000, 4_000_000]),
        required_certificates=rng.choice([[], ["sni"], ["halal"]]),
        preferred_certificates=rng.choice([[], ["halal"], ["sni", "halal"]]),
        allow_consortium=group > 1,
        max_group_size=group if group > 1 else None,
        delivery_on=clock.today() + timedelta(days=rng.choice([10, 90, 400])),
    )


def _ranked(rows):
    return [
        (
            r.ikm.id,
            r.score,
            [(s.key, s.value) for s in r.signals],
            r.unit_price,
            r.supplier.free,
            r.supplier.min_order,
            [(o.id, o.fit, o.tiers) for o in r.supplier.offers],
        )
        for r in rows
    ]


def _category_ids(app):
    from app.catalog.models import Category

    with app.app_context():
        leaf = db.session.scalar(db.select(Category.id).filter_by(slug="sepatu-wanita"))
        sector = db.session.scalar(db.select(Category.parent_id).where(Category.id == leaf))
    return [None, leaf, sector]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_cut_keeps_the_full_rankings_first_rows(
    app, make, catalog, categories, matching, buyer_org, frozen_clock, seed
):
    rng = random.Random(seed)
    _catalogue(app, make, catalog, rng)
    wanted = _category_ids(app)
    for n in range(6):
        found = _request(app, matching, buyer_org, rng, rng.choice(wanted))
        if n == 3:  # an accepted quote commits some capacity of one maker
            with app.app_context():
                request = db.session.get(BuyerRequest, found.id)
                full = recommend.recommend_all(request, clock.today())
                if full.recommendations:
                    db.session.add(
                        Quote(
                            request_id=found.id,
                            ikm_id=full.recommendations[0].ikm.id,
                            state="accepted",
                            unit_price=250_000,
                            quantity=500,
                            accepted_quantity=500,
                            delivery_on=clock.today() + timedelta(days=60),
                            decided_at=clock.now(),
                        )
                    )
                    db.session.commit()
            found = _request(app, matching, buyer_org, rng, rng.choice(wanted))
        keep, shown = rng.randint(1, 6), rng.randint(1, 4)
        with app.test_request_context():
            request = db.session.get(BuyerRequest, found.id)
            full = recommend.recommend_all(request, clock.today())
            fast = recommend.recommend(request, clock.today(), keep=keep, shown=shown)
            every = recommend.recommend(request, clock.today(), keep=1000, shown=1000)
            # The same first rows, in the same order: none ranked above a kept one is dropped.
            assert _ranked(fast.recommendations) == _ranked(full.recommendations[:keep])
            assert _ranked(every.recommendations) == _ranked(full.recommendations)
            assert fast.ranked_total == len(full.recommendations)
            # The reserve: the most free capacity among those not kept.
            rest = sorted(
                full.recommendations[keep:], key=lambda r: (-r.supplier.free, -r.score, r.ikm.id)
            )
            assert [r.ikm.id for r in fast.reserve] == [r.ikm.id for r in rest[: recommend.RESERVE]]
            # Left out: the first by name with the same reasons, and every one counted.
            assert [(e.ikm.id, e.reasons) for e in fast.excluded] == [
                (e.ikm.id, e.reasons) for e in full.excluded[:shown]
            ]
            assert fast.excluded_total == len(full.excluded)
            assert [(label(), n) for label, n in fast.left_out] == [
                (label(), n) for label, n in full.left_out
            ]
            assert sum(n for _, n in fast.left_out) >= len(full.excluded)
            # With everyone kept, the consortium sees what it saw before.
            if request.allow_consortium:
                assert (
                    recommend.consortium(request, every)[0]
                    == recommend.consortium(request, full)[0]
                )


def test_left_out_beyond_the_list_are_counted_per_reason(
    app, client, buyer_org, matching, make, catalog, categories, frozen_clock, monkeypatch
):
    org, user = buyer_org
    for n in range(4):
        _, ikm = make.ikm_owner(name=f"Sepatu Kecil {n}", capacity_monthly=100)
        catalog.product(ikm, capacity_monthly=100, min_order_qty=12)
    _, big = make.ikm_owner(name="Sepatu Besar", capacity_monthly=90_000)
    catalog.product(big, capacity_monthly=90_000, min_order_qty=12)
    found = matching.request(org, user, quantity=5000, required_certificates=["halal"])
    monkeypatch.setattr(recommend, "SHOWN_LEFT_OUT", 2)
    login(client, user)
    page = page_text(client.get(f"/permintaan/{found.id}/rekomendasi"))
    # Two named, all five counted (no halal certificate; four too small to deliver alone).
    assert "Sepatu Besar" in page and "Sepatu Kecil 0" in page
    assert "Sepatu Kecil 1" not in page and "2 pertama menurut nama" in page
    assert "Tidak direkomendasikan: 5 IKM" in page
    assert "tidak punya sertifikat Halal (BPJPH): 5 IKM" in page
    assert "kapasitas terlalu kecil untuk mengirim sendiri: 4 IKM" in page
