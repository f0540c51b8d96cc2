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

How it stays fast at 10,000 IKMs: ``recommend`` judges every candidate on its facts
(``supply.facts``: one product query that converts units, minimum orders and price tiers in
SQL, no rows built) with the same value functions as the signals shown, then explains in full
only the ``KEEP`` best ranked (plus, for the consortium, the ``RESERVE`` with the most free
capacity among the rest) and the first ``SHOWN_LEFT_OUT`` left out by name; every IKM left out
is counted per reason. ``recommend_all`` is the full computation the tests compare it with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.models import CERTIFICATE_LABELS, CertificateType
from app.core.i18n import day, rupiah
from app.core.units import in_pieces, unit_name
from app.matching import supply
from app.matching.consortium import Candidate, Plan, solve
from app.matching.models import BuyerRequest
from app.matching.supply import Fact, Offer, Supplier, suppliers

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
    explain: tuple[Reason, ...]

    @property
    def reasons(self) -> list[str]:
        return [reason() for reason in self.explain]

    @property
    def ikm(self):
        return self.supplier.ikm


@dataclass(frozen=True)
class Result:
    recommendations: list[Recommendation]  # the best ranked, best first
    excluded: list[Exclusion]  # the first left out, by name
    ranked_total: int = 0  # IKMs that could be recommended, shown or not
    excluded_total: int = 0  # IKMs left out, listed or not
    left_out: list[tuple[Callable[[], str], int]] = field(default_factory=list)  # per reason
    reserve: list[Recommendation] = field(default_factory=list)  # for the consortium only


def certificate_name(kind: str) -> str:
    return str(CERTIFICATE_LABELS[CertificateType(kind)])


def amount(quantity: int, unit: str) -> str:
    """ "6.000 pasang": the number grouped for the locale, then the unit."""
    return f"{format_decimal(quantity, format='#,##0')} {unit_name(unit, quantity)}"


# Reasons and notes are written only when shown (a page of them): formatting thousands of
# them in the user's language took seconds, for IKMs nobody scrolls to.
Text = Callable[[], str]


@dataclass(frozen=True)
class Reason:
    """Why one IKM is left out: ``key`` says which rule (what the counts per reason count),
    calling it writes the reason for this IKM."""

    key: tuple[str, ...]
    describe: Text

    def __call__(self) -> str:
        return self.describe()


def _certificate_reasons(request: BuyerRequest, supplier: Supplier | Fact) -> list[Reason]:
    reasons: list[Reason] = []
    for kind in request.required_certificates or []:
        state, valid_until = supplier.certificates.get(kind, (None, None))
        if state == "verified":
            continue
        if state == "expired":
            text = lambda kind=kind, ends=valid_until: _(  # noqa: E731
                "%(name)s ends on %(date)s, before the delivery date",
                name=certificate_name(kind),
                date=day(ends),
            )
        elif state == "claimed":
            text = lambda kind=kind: _("%(name)s not yet verified", name=certificate_name(kind))  # noqa: E731
        else:
            text = lambda kind=kind: _("no %(name)s certificate", name=certificate_name(kind))  # noqa: E731
            state = "missing"
        reasons.append(Reason((kind, state), text))
    return reasons


def _capacity_reasons(request: BuyerRequest, supplier: Supplier | Fact) -> list[Reason]:
    unit = request.unit
    if supplier.min_order > request.quantity:
        return [
            Reason(
                ("min_order",),
                lambda: _("minimum order %(amount)s", amount=amount(supplier.min_order, unit)),
            )
        ]
    if supplier.monthly is None:
        return [
            Reason(
                ("no_figure",),
                lambda: _("capacity not stated in %(unit)s", unit=unit_name(unit, 2)),
            )
        ]
    if supplier.free <= 0:
        return [Reason(("no_free",), lambda: _("no free capacity before the delivery date"))]
    if request.group_limit == 1 and supplier.free < request.quantity:
        return [
            Reason(
                ("alone",),
                lambda: _(
                    "capacity %(monthly)s/month: %(free)s by the delivery date",
                    monthly=amount(supplier.monthly, unit),
                    free=amount(supplier.free, unit),
                ),
            )
        ]
    return []


def reasons_of(request: BuyerRequest, supplier: Supplier | Fact) -> list[Reason]:
    """Why ``supplier`` is left out (nothing: it is recommended)."""
    return _certificate_reasons(request, supplier) + _capacity_reasons(request, supplier)


def reason_label(request: BuyerRequest, key: tuple[str, ...]) -> str:
    """The rule behind ``key``, as the count of IKMs left out for it is headed."""
    if key == ("min_order",):
        return _("minimum order above the quantity")
    if key == ("no_figure",):
        return _("capacity not stated in %(unit)s", unit=unit_name(request.unit, 2))
    if key == ("no_free",):
        return _("no free capacity before the delivery date")
    if key == ("alone",):
        return _("too little capacity to deliver it alone")
    kind, state = key
    if state == "expired":
        return _("%(name)s ends before the delivery date", name=certificate_name(kind))
    if state == "claimed":
        return _("%(name)s not yet verified", name=certificate_name(kind))
    return _("no %(name)s certificate", name=certificate_name(kind))


def unit_price(offer: Offer, request: BuyerRequest) -> int | None:
    """The offer's price per unit of the request at the request's quantity: the price tier
    for that quantity (counted in the product's unit), else the retail price.
    (``supply._price_sql`` says the same in SQL; a test holds them together.)"""
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


# Each signal's value, from the facts alone: ranking every candidate uses these; the signals
# shown (with their notes) are built from the same functions.


def price_value(request: BuyerRequest, price: int | None) -> float:
    target = request.target_unit_price
    if price is None:
        return 0.0
    if not target:
        return 0.5
    return 1.0 if price <= target else max(0.0, 1 - (price - target) / target)


def capacity_value(request: BuyerRequest, supplier: Supplier | Fact) -> float:
    return min(1.0, supplier.free / request.quantity)


def distance_value(request: BuyerRequest, ikm) -> float:
    if request.regency_code and ikm.regency_code == request.regency_code:
        return 1.0
    if request.province_code and ikm.province_code == request.province_code:
        return 0.5
    return 0.0


def preferred_held(request: BuyerRequest, supplier: Supplier | Fact) -> list[str]:
    wanted = request.preferred_certificates or []
    return [k for k in wanted if supplier.certificates.get(k, ("",))[0] == "verified"]


def preferred_value(request: BuyerRequest, supplier: Supplier | Fact) -> float:
    wanted = request.preferred_certificates or []
    return len(preferred_held(request, supplier)) / len(wanted) if wanted else 0.0


def responsiveness_value(supplier: Supplier | Fact) -> float:
    return supplier.answered / supplier.asked if supplier.asked else 0.5


def score_of(request: BuyerRequest, fact: Fact) -> float:
    """The rank ``Recommendation.score`` gives the same IKM, from its facts alone (the same
    values, rounded and added in the same order)."""
    w = WEIGHTS
    return round(
        round(w["fit"] * fact.fit, 1)
        + round(w["capacity"] * capacity_value(request, fact), 1)
        + round(w["price"] * price_value(request, fact.price), 1)
        + round(w["curation"] * (1.0 if fact.is_curated else 0.0), 1)
        + round(w["preferred"] * preferred_value(request, fact), 1)
        + round(w["distance"] * distance_value(request, fact.ikm), 1)
        + round(w["responsiveness"] * responsiveness_value(fact), 1),
        1,
    )


def _price_signal(request: BuyerRequest, price: int | None) -> Signal:
    value = price_value(request, price)
    if price is None:
        return Signal("price", value, lambda: _("no price stated"))
    if not request.target_unit_price:
        return Signal("price", value, lambda: _("%(price)s; no target price", price=rupiah(price)))
    return Signal("price", value, lambda: _("%(price)s per unit", price=rupiah(price)))


def _capacity_note(request: BuyerRequest, supplier: Supplier) -> str:
    note = _("%(free)s free by the delivery date", free=amount(supplier.free, request.unit))
    if supplier.committed:
        note += " " + _(
            "(%(taken)s already committed)", taken=amount(supplier.committed, request.unit)
        )
    return note


def _capacity_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    value = capacity_value(request, supplier)
    return Signal("capacity", value, lambda: _capacity_note(request, supplier))


def _distance_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    ikm = supplier.ikm
    value = distance_value(request, ikm)
    if value == 1.0:
        return Signal("distance", value, lambda: _("same kabupaten/kota"))
    if value == 0.5:
        return Signal("distance", value, lambda: _("same province"))
    return Signal("distance", value, lambda: ikm.region_label or _("region not stated"))


def _preferred_signal(request: BuyerRequest, supplier: Supplier) -> Signal:
    if not request.preferred_certificates:
        return Signal("preferred", 0.0, lambda: _("none asked"))
    held = preferred_held(request, supplier)
    return Signal(
        "preferred",
        preferred_value(request, supplier),
        lambda: ", ".join(certificate_name(k) for k in held) or _("none held"),
    )


def _responsiveness_signal(supplier: Supplier) -> Signal:
    value = responsiveness_value(supplier)
    if not supplier.asked:
        return Signal("responsiveness", value, lambda: _("no earlier requests"))
    return Signal(
        "responsiveness",
        value,
        lambda: ngettext(
            "answered %(answered)d of %(num)d request",
            "answered %(answered)d of %(num)d requests",
            supplier.asked,
            answered=supplier.answered,
        ),
    )


def _curation_note(is_curated: bool) -> str:
    return _("curated product") if is_curated else _("not curated yet")


_UNPRICED = object()


def lowest_price(request: BuyerRequest, supplier: Supplier) -> int | None:
    prices = [p for p in (unit_price(o, request) for o in supplier.offers) if p is not None]
    return min(prices) if prices else None


def signals(
    request: BuyerRequest, supplier: Supplier, price: int | object | None = _UNPRICED
) -> tuple[tuple[Signal, ...], int | None]:
    """The signals of a supplier; ``price``, when known already (``Fact.price``), is not
    worked out again from its offers."""
    best = supplier.offers[0]
    if price is _UNPRICED:
        price = lowest_price(request, supplier)
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


@dataclass(frozen=True, slots=True)
class Terms:
    """A request's terms as ranking reads them for thousands of IKMs: plain attributes (the
    model's are instrumented, several times slower to read), same names."""

    quantity: int
    unit: str
    target_unit_price: int | None
    regency_code: str | None
    province_code: str | None
    required_certificates: tuple[str, ...]
    preferred_certificates: tuple[str, ...]
    group_limit: int

    @classmethod
    def of(cls, request: BuyerRequest) -> Terms:
        return cls(
            request.quantity,
            request.unit,
            request.target_unit_price,
            request.regency_code,
            request.province_code,
            tuple(request.required_certificates or ()),
            tuple(request.preferred_certificates or ()),
            request.group_limit,
        )


KEEP = 200  # IKMs ranked and explained in full: the consortium solver's benchmark size
RESERVE = 6  # beyond those, the IKMs with the most free capacity, for the consortium alone
SHOWN_LEFT_OUT = 100  # IKMs left out listed by name; the others are counted per reason


def recommend_all(request: BuyerRequest, today: date) -> Result:
    """Every verified IKM with a fitting active product, explained in full: ranked, or left
    out with reasons. Slow at 10,000 IKMs; ``recommend`` gives the same first rows (the
    tests compare them)."""
    ranked, excluded = [], []
    counts: Counter[tuple[str, ...]] = Counter()
    for supplier in suppliers(request, today):
        reasons = reasons_of(request, supplier)
        if reasons:
            excluded.append(Exclusion(supplier, tuple(reasons)))
            counts.update(reason.key for reason in reasons)
            continue
        found, price = signals(request, supplier)
        ranked.append(Recommendation(supplier, found, price))
    ranked.sort(key=lambda r: (-r.score, r.ikm.id))
    excluded.sort(key=lambda e: (e.ikm.name, e.ikm.id))
    return Result(ranked, excluded, len(ranked), len(excluded), _counted(request, counts))


def _counted(request: BuyerRequest, counts: Counter) -> list[tuple[Text, int]]:
    return [
        (lambda key=key: reason_label(request, key), count)
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def recommend(
    request: BuyerRequest, today: date, keep: int | None = None, shown: int | None = None
) -> Result:
    """The ``keep`` best-ranked verified IKMs with a fitting active product, explained in full;
    the first ``shown`` left out (by name) with their reasons, and how many were left out for
    each reason.

    Every candidate is judged on its facts (``supply.facts``: numbers from SQL, no rows
    built), with the same signal values and rules as ``recommend_all``; only the IKMs shown
    are then read in full.
    """
    keep = KEEP if keep is None else keep
    shown = SHOWN_LEFT_OUT if shown is None else shown
    ranked: list[Fact] = []
    left_out: list[Fact] = []
    counts: Counter[tuple[str, ...]] = Counter()
    terms = Terms.of(request)
    for fact in supply.facts(request, today):
        reasons = reasons_of(terms, fact)
        if reasons:
            left_out.append(fact)
            counts.update(reason.key for reason in reasons)
        else:
            fact.score = score_of(terms, fact)
            ranked.append(fact)
    ranked.sort(key=lambda fact: (-fact.score, fact.id))
    kept = ranked[:keep]
    # The solver wants the fewest IKMs first: the largest free capacities among the rest.
    rest = sorted(ranked[keep:], key=lambda fact: (-fact.free, -fact.score, fact.id))
    reserve = rest[:RESERVE]
    left_out.sort(key=lambda fact: (fact.name, fact.id))
    named = left_out[:shown]
    full = supply.explained(request, kept + reserve + named)

    def explained(fact: Fact) -> Recommendation:
        supplier = full[fact.id]
        found, price = signals(request, supplier, fact.price)
        return Recommendation(supplier, found, price)

    return Result(
        [explained(fact) for fact in kept],
        [Exclusion(full[f.id], tuple(reasons_of(request, full[f.id]))) for f in named],
        len(ranked),
        len(left_out),
        _counted(request, counts),
        [explained(fact) for fact in reserve],
    )


@dataclass(frozen=True)
class Share:
    """One member of a proposed group: who, how much, and why it was recommended."""

    recommendation: Recommendation
    quantity: int


def consortium(request: BuyerRequest, result: Result) -> tuple[Plan, dict[str, list[Share]]]:
    """The solver's groups for ``request`` among its recommended IKMs (the best ranked, and
    the few with the most free capacity), with their members.

    :returns: the plan, and per group ("best", "alternative", "closest") its members
    """
    considered = result.recommendations + result.reserve
    by_id = {r.ikm.id: r for r in considered}
    candidates = [
        Candidate(r.ikm.id, r.supplier.free, r.supplier.min_order, round(r.score * 10))
        for r in considered
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
