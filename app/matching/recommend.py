"""Recommended IKMs for a request: the signals, their weights, and why an IKM was left out.

Each signal gives a value between 0 and 1; the signal adds ``weight x value`` points to the
IKM's rank (at most 100 in all). The README's "Business matching" section lists the same
table; change both together.

========================  ======  ===================================================
signal                    weight  value
========================  ======  ===================================================
fit                       30      best fitting product: 0.5 for the request's category,
                                  plus 0.5 x the share of the request's words in its
                                  name and materials (Indonesian analysis)
capacity                  25      free capacity by the delivery date / quantity, at most 1
price                     15      1 at or under the target price (the product's price tier
                                  at the quantity), falling to 0 at twice the target
curation                  10      1 when a fitting product is curated (listed)
preferred certificates    10      share of the preferred kinds held, valid on the date
distance                  5       1 same kabupaten/kota, 0.5 same province, 0 elsewhere
responsiveness            5       share of earlier requests answered; 0.5 with no history
========================  ======  ===================================================

Left out (the "why not" list): a required certificate that is missing, not verified or no
longer valid on the delivery date; a minimum order above the quantity; no free capacity; and,
when the order may not be shared, too little capacity to deliver it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.models import CERTIFICATE_LABELS, CertificateType
from app.core.i18n import day, rupiah
from app.core.units import in_pieces, unit_name
from app.matching.consortium import Candidate, Plan, solve
from app.matching.models import BuyerRequest
from app.matching.supply import Offer, Supplier, suppliers

WEIGHTS = {
    "fit": 30,
    "capacity": 25,
    "price": 15,
    "curation": 10,
    "preferred": 10,
    "distance": 5,
    "responsiveness": 5,
}

SIGNAL_LABELS = {
    "fit": _l("Fit of products"),
    "capacity": _l("Capacity by the delivery date"),
    "price": _l("Price against the target"),
    "curation": _l("Curation"),
    "preferred": _l("Preferred certificates"),
    "distance": _l("Distance"),
    "responsiveness": _l("Responsiveness"),
}


@dataclass(frozen=True)
class Signal:
    key: str
    value: float
    describe: Callable[[], str]  # the note, written in the user's language when shown

    @property
    def note(self) -> str:
        return self.describe()

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS[self.key])

    @property
    def points(self) -> float:
        return round(WEIGHTS[self.key] * self.value, 1)


@dataclass(frozen=True)
class Recommendation:
    supplier: Supplier
    signals: tuple[Signal, ...]
    unit_price: int | None  # per unit of the request, at its quantity

    @property
    def score(self) -> float:
        return round(sum(s.points for s in self.signals), 1)

    @property
    def ikm(self):
        return self.supplier.ikm

    def can_deliver_alone(self, quantity: int) -> bool:
        return self.supplier.free >= quantity


@dataclass(frozen=True)
class Exclusion:
    supplier: Supplier
    explain: tuple[Callable[[], str], ...]

    @property
    def reasons(self) -> list[str]:
        return [reason() for reason in self.explain]

    @property
    def ikm(self):
        return self.supplier.ikm


@dataclass(frozen=True)
class Result:
    recommendations: list[Recommendation]
    excluded: list[Exclusion]


def certificate_name(kind: str) -> str:
    return str(CERTIFICATE_LABELS[CertificateType(kind)])


def amount(quantity: int, unit: str) -> str:
    """ "6.000 pasang": the number grouped for the locale, then the unit."""
    return f"{format_decimal(quantity, format='#,##0')} {unit_name(unit, quantity)}"


# Reasons and notes are written only when shown (a page of them): formatting thousands of
# them in the user's language took seconds, for IKMs nobody scrolls to.
Text = Callable[[], str]


def _certificate_reasons(request: BuyerRequest, supplier: Supplier) -> list[Text]:
    reasons: list[Text] = []
    for kind in request.required_certificates or []:
        state, valid_until = supplier.certificates.get(kind, (None, None))
        if state == "verified":
            continue
        if state == "expired":
            reasons.append(
                lambda kind=kind, ends=valid_until: _(
                    "%(name)s ends on %(date)s, before the delivery date",
                    name=certificate_name(kind),
                    date=day(ends),
                )
            )
        elif state == "claimed":
            reasons.append(
                lambda kind=kind: _("%(name)s not yet verified", name=certificate_name(kind))
            )
        else:
            reasons.append(
                lambda kind=kind: _("no %(name)s certificate", name=certificate_name(kind))
            )
    return reasons


def _capacity_reasons(request: BuyerRequest, supplier: Supplier) -> list[Text]:
    unit = request.unit
    if supplier.min_order > request.quantity:
        return [lambda: _("minimum order %(amount)s", amount=amount(supplier.min_order, unit))]
    if supplier.monthly is None:
        return [lambda: _("capacity not stated in %(unit)s", unit=unit_name(unit, 2))]
    if supplier.free <= 0:
        return [lambda: _("no free capacity before the delivery date")]
    if request.group_limit == 1 and supplier.free < request.quantity:
        return [
            lambda: _(
                "capacity %(monthly)s/month: %(free)s by the delivery date",
                monthly=amount(supplier.monthly, unit),
                free=amount(supplier.free, unit),
            )
        ]
    return []


def unit_price(offer: Offer, request: BuyerRequest) -> int | None:
    """The offer's price per unit of the request at the request's quantity: the price tier
    for that quantity (counted in the product's unit), else the retail price."""
    asked = in_pieces(request.quantity, request.unit)
    per_request_unit, per_product_unit = in_pieces(1, request.unit), in_pieces(1, offer.unit)
    if asked is None or per_product_unit is None:
        return offer.retail_price if offer.unit == request.unit else None
    in_product_units = asked // per_product_unit
    price = offer.retail_price
    for min_qty, tier_price in offer.tiers:
        if min_qty <= in_product_units:
            price = tier_price
    if price is None:
        return None
    return price * per_request_unit // per_product_unit


def _price_signal(request: BuyerRequest, price: int | None) -> Signal:
    target = request.target_unit_price
    if price is None:
        return Signal("price", 0.0, lambda: _("no price stated"))
    if not target:
        return Signal("price", 0.5, lambda: _("%(price)s; no target price", price=rupiah(price)))
    value = 1.0 if price <= target else max(0.0, 1 - (price - target) / target)
    return Signal("price", value, lambda: _("%(price)s per unit", price=rupiah(price)))


def _capacity_note(request: BuyerRequest, supplier: Supplier) -> str:
    note = _("%(free)s free by the delivery date", free=amount(supplier.free, request.unit))
    if supplier.committed:
        note += " " + _(
            "(%(taken)s already committed)", taken=amount(supplier.committed, request.unit)
        )
    return note


def _capacity_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    value = min(1.0, supplier.free / request.quantity)
    return Signal("capacity", value, lambda: _capacity_note(request, supplier))


def _distance_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    ikm = supplier.ikm
    if request.regency_code and ikm.regency_code == request.regency_code:
        return Signal("distance", 1.0, lambda: _("same kabupaten/kota"))
    if request.province_code and ikm.province_code == request.province_code:
        return Signal("distance", 0.5, lambda: _("same province"))
    return Signal("distance", 0.0, lambda: ikm.region_label or _("region not stated"))


def _preferred_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    wanted = request.preferred_certificates or []
    if not wanted:
        return Signal("preferred", 0.0, lambda: _("none asked"))
    held = [k for k in wanted if supplier.certificates.get(k, ("",))[0] == "verified"]
    return Signal(
        "preferred",
        len(held) / len(wanted),
        lambda: ", ".join(certificate_name(k) for k in held) or _("none held"),
    )


def _responsiveness_signal(supplier: Supplier) -> Signal:
    if not supplier.asked:
        return Signal("responsiveness", 0.5, lambda: _("no earlier requests"))
    return Signal(
        "responsiveness",
        supplier.answered / supplier.asked,
        lambda: ngettext(
            "answered %(answered)d of %(num)d request",
            "answered %(answered)d of %(num)d requests",
            supplier.asked,
            answered=supplier.answered,
        ),
    )


def _curation_note(is_curated: bool) -> str:
    return _("curated product") if is_curated else _("not curated yet")


def signals(request: BuyerRequest, supplier: Supplier) -> tuple[tuple[Signal, ...], int | None]:
    best = supplier.offers[0]
    prices = [p for p in (unit_price(o, request) for o in supplier.offers) if p is not None]
    price = min(prices) if prices else None
    curated = supplier.is_curated
    found = (
        Signal("fit", best.fit, lambda: best.name),
        _capacity_signal(request, supplier),
        _price_signal(request, price),
        Signal("curation", 1.0 if curated else 0.0, lambda: _curation_note(curated)),
        _preferred_signal(request, supplier),
        _distance_signal(request, supplier),
        _responsiveness_signal(supplier),
    )
    return found, price


def recommend(request: BuyerRequest, today: date) -> Result:
    """Every verified IKM with a fitting active product: ranked, or left out with reasons."""
    ranked, excluded = [], []
    for supplier in suppliers(request, today):
        reasons = _certificate_reasons(request, supplier) + _capacity_reasons(request, supplier)
        if reasons:
            excluded.append(Exclusion(supplier, tuple(reasons)))
            continue
        found, price = signals(request, supplier)
        ranked.append(Recommendation(supplier, found, price))
    ranked.sort(key=lambda r: (-r.score, r.ikm.id))
    excluded.sort(key=lambda e: e.ikm.name)
    return Result(ranked, excluded)


@dataclass(frozen=True)
class Share:
    """One member of a proposed group: who, how much, and why it was recommended."""

    recommendation: Recommendation
    quantity: int


def consortium(request: BuyerRequest, result: Result) -> tuple[Plan, dict[str, list[Share]]]:
    """The solver's groups for ``request`` among its recommended IKMs, with their members.

    :returns: the plan, and per group ("best", "alternative", "closest") its members
    """
    by_id = {r.ikm.id: r for r in result.recommendations}
    candidates = [
        Candidate(r.ikm.id, r.supplier.free, r.supplier.min_order, round(r.score * 10))
        for r in result.recommendations
    ]
    plan = solve(candidates, request.quantity, request.group_limit)
    members = {
        name: [Share(by_id[ikm_id], amount) for ikm_id, amount in group.allocations]
        for name, group in (
            ("best", plan.best),
            ("alternative", plan.alternative),
            ("closest", plan.closest),
        )
        if group is not None
    }
    return plan, members
