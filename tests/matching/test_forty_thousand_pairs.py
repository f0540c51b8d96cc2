"""Ramayana's 40,000 pairs of women's shoes (Mojokerto, 2020): no single maker can, a group can."""

from __future__ import annotations

from datetime import timedelta

from app.core import clock
from app.extensions import db
from app.matching import recommend
from app.matching.models import BuyerRequest
from tests.conftest import login, page_text

# Monthly pairs of Mojokerto shoemakers, like the demo's; 90 days to deliver.
MAKERS = {
    "Sepatu Mojopahit": 4000,
    "Sepatu Sooko": 3500,
    "Sepatu Prajurit Kulon": 3000,
    "Sepatu Trowulan": 2500,
    "Sepatu Puri": 2000,
    "Sepatu Gedeg": 1500,
}


def _makers(make, catalog):
    for name, monthly in MAKERS.items():
        _, ikm = make.ikm_owner(name=name, capacity_monthly=monthly, capacity_unit="pasang")
        catalog.product(ikm, capacity_monthly=monthly, min_order_qty=60)


def _story(app, matching, buyer_org, quantity=40_000, group=6):
    org, user = buyer_org
    found = matching.request(
        org,
        user,
        title="Sepatu wanita",
        quantity=quantity,
        delivery_on=clock.today() + timedelta(days=90),
        allow_consortium=True,
        max_group_size=group,
        state="open",
    )
    with app.test_request_context():
        request = db.session.get(BuyerRequest, found.id)
        result = recommend.recommend(request, clock.today())
        plan, _ = recommend.consortium(request, result)
    return found, result, plan


def test_no_single_maker_can_but_a_group_can(
    app, client, make, catalog, categories, matching, buyer_org, frozen_clock
):
    _makers(make, catalog)
    found, result, plan = _story(app, matching, buyer_org)
    assert len(result.recommendations) == len(MAKERS)
    assert not any(r.can_deliver_alone(40_000) for r in result.recommendations)
    free = {r.ikm.id: r.supplier.free for r in result.recommendations}
    # Three months: 12,000 + 10,500 + 9,000 + 7,500 = 39,000 falls short; five makers cover it.
    assert plan.best.size == 5 and plan.best.total == 40_000
    assert all(amount <= free[ikm_id] for ikm_id, amount in plan.best.allocations)
    assert plan.alternative.total == 40_000
    login(client, buyer_org[1])
    page = page_text(client.get(f"/permintaan/{found.id}/rekomendasi"))
    assert "Kelompok yang diusulkan" in page and "IKM paling sedikit" in page
    assert "tidak sanggup memenuhi semuanya sendiri" in page


def test_the_shortfall_is_stated_when_even_the_group_cannot(
    app, client, make, catalog, categories, matching, buyer_org, frozen_clock
):
    _makers(make, catalog)
    found, _, plan = _story(app, matching, buyer_org, quantity=60_000, group=3)
    assert plan.best is None
    assert plan.closest.total == 12_000 + 10_500 + 9_000
    assert plan.closest.shortfall == 60_000 - 31_500
    login(client, buyer_org[1])
    page = page_text(client.get(f"/permintaan/{found.id}/rekomendasi"))
    assert "kurang 28.500 pasang (47,5% dari pesanan)" in page
