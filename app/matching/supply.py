"""What IKMs can supply for a request: the facts recommendations are judged on, read in a few
set-based queries (never one per IKM).

- Candidates: active (not archived) products of verified IKMs in the request's category (a
  sector: any of its kinds), or, for a request without a category, every such product that
  shares a word with the request (Etalase's Indonesian text analysis).
- Capacity by the delivery date: ``app.catalog.capacity.monthly_capacity`` of the IKM's fitting
  products, in the request's unit, times the months until the delivery date (days / 30), less
  what accepted quotes already committed in that time. An accepted quote's quantity is made
  evenly between the day it was accepted and its delivery date; only the part of it falling
  between today and this request's delivery date counts.
- Certificates: per IKM and kind, the best state among the certificates covering its fitting
  products, judged on the delivery date (a certificate without an end date, such as a halal
  certificate under UU 6/2023, never expires).

Two readings of the same facts: ``facts()`` gives every candidate IKM as a few numbers (one
product query whose unit conversions, minimum orders and price tiers are worked out in SQL;
no ORM objects), enough to rank it or say why it is left out; ``suppliers()`` gives the full
picture (the IKM, its offers with their tiers) for the few IKMs that are shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy.dialects.postgresql import ARRAY

from app.catalog import capacity
from app.catalog.models import Category, Certificate, PriceTier, Product, product_certificates
from app.core import units
from app.curation.listing import listed_exists, listed_ids_query
from app.extensions import db
from app.matching.models import BuyerRequest, Quote, QuoteState, Recipient
from app.orgs.models import IKM, VerificationStatus
from app.search.analysis import indonesian_analyzer, terms

DAYS_PER_MONTH = 30


@lru_cache(maxsize=200_000)
def words(text: str) -> tuple[str, ...]:
    """The analysed terms of a text (stems, synonyms folded, stop words out), each once; cached,
    since a product's name is read again by every request in its category. A tuple of strings,
    not a set: the collector stops tracking it, so a full collection no longer walks 100,000
    cached names (that walk took 170 ms in one request of four at 100,000 products)."""
    return tuple(dict.fromkeys(terms(indonesian_analyzer(), text or "")))


def request_words(request: BuyerRequest) -> frozenset[str]:
    return frozenset(words(f"{request.title} {request.specification or ''}"))


def fit_of(asked: frozenset[str], name: str, materials: str | None, any_category: bool) -> float:
    """A product's fit: the share of the request's words in its name and materials, plus 0.5
    for being in the request's category (0 without a shared word: not a candidate then)."""
    shared = (
        len(asked.intersection(words(f"{name} {materials or ''}"))) / len(asked) if asked else 0
    )
    if any_category:
        return shared
    return 0.5 + 0.5 * shared


@dataclass
class Offer:
    """One fitting product, as matching reads it."""

    id: int
    ikm_id: int
    name: str
    unit: str
    min_order_qty: int
    capacity_monthly: int | None
    retail_price: int | None
    fit: float = 0.0
    tiers: list[tuple[int, int]] = field(default_factory=list)  # (min_qty, unit price)


@dataclass
class Supplier:
    """An IKM with its fitting products and what it can still take on by the delivery date."""

    ikm: IKM
    offers: list[Offer]
    monthly: int | None = None  # in the request's unit
    by_date: int | None = None
    committed: int = 0
    min_order: int = 1  # in the request's unit
    certificates: dict[str, tuple[str, date | None]] = field(default_factory=dict)
    is_curated: bool = False
    answered: int = 0
    asked: int = 0

    @property
    def free(self) -> int:
        return max(0, (self.by_date or 0) - self.committed)


def category_ids(request: BuyerRequest) -> list[int] | None:
    """The request's category and, for a sector, its kinds; None: any category."""
    if request.category_id is None:
        return None
    children = db.session.scalars(
        db.select(Category.id).where(Category.parent_id == request.category_id)
    ).all()
    return [request.category_id, *children]


def _candidates(request: BuyerRequest, *columns):
    """Active products of verified IKMs in the request's category (all, without one)."""
    query = (
        db.select(*columns)
        .join(IKM, IKM.id == Product.ikm_id)
        .where(Product.archived_at.is_(None), IKM.status == VerificationStatus.VERIFIED)
    )
    wanted = category_ids(request)
    return query if wanted is None else query.where(Product.category_id.in_(wanted))


def _offers(request: BuyerRequest) -> list[Offer]:
    query = _candidates(
        request,
        Product.id,
        Product.ikm_id,
        Product.name,
        Product.materials,
        Product.unit,
        Product.min_order_qty,
        Product.capacity_monthly,
        Product.retail_price,
    )
    wanted = category_ids(request)
    asked = request_words(request)
    offers = []
    for row in db.session.execute(query):
        fit = fit_of(asked, row.name, row.materials, wanted is None)
        if not fit:
            continue
        offers.append(Offer(*row[:2], row.name, *row[4:], fit=fit))
    return offers


def _attach_tiers(offers: list[Offer], scope) -> None:
    by_id = {o.id: o for o in offers}
    if not by_id:
        return
    rows = db.session.execute(
        db.select(PriceTier.product_id, PriceTier.min_qty, PriceTier.unit_price)
        .where(PriceTier.product_id.in_(scope))
        .order_by(PriceTier.product_id, PriceTier.min_qty)
    )
    for product_id, min_qty, unit_price in rows:
        by_id[product_id].tiers.append((min_qty, unit_price))


def _certificates(product_ids, kinds: set[str]):
    if not kinds:
        return []
    return db.session.execute(
        db.select(Certificate.ikm_id, Certificate.type, Certificate.status, Certificate.valid_until)
        .join(product_certificates, product_certificates.c.certificate_id == Certificate.id)
        .where(product_certificates.c.product_id.in_(product_ids), Certificate.type.in_(kinds))
        .distinct()
    ).all()


CERTIFICATE_ORDER = ("verified", "expired", "claimed", "rejected")  # best first


def certificate_state(status: str, valid_until: date | None, on: date) -> str:
    """A certificate's state on the day ``on``: expired once its end date has passed."""
    if status == "verified" and valid_until is not None and valid_until < on:
        return "expired"
    return status


def _best(current, candidate) -> tuple[str, date | None]:
    if current is None:
        return candidate
    rank = CERTIFICATE_ORDER.index
    return candidate if rank(candidate[0]) < rank(current[0]) else current


def among(column, ids):
    """``column IN ids``; a list of ids travels as one bound value (an array on PostgreSQL,
    JSON on SQLite): bound one by one, 3,000 ids cost SQLAlchemy more than the query.

    :param ids: a list of ids, or a select of them
    """
    if not isinstance(ids, list | tuple):
        return column.in_(ids)
    ids = [int(i) for i in ids]
    if db.session.get_bind().dialect.name == "postgresql":
        return column == db.any_(db.bindparam(None, ids, type_=ARRAY(db.Integer)))
    listed = db.func.json_each(db.bindparam(None, json.dumps(ids), type_=db.String))
    return column.in_(db.select(db.literal_column("value")).select_from(listed))


def committed(ikm_ids, unit: str, start: date, end: date) -> dict[int, int]:
    """Per IKM: what accepted quotes commit between ``start`` and ``end``, in ``unit``.

    :param ikm_ids: a list of ids, or a select of them
    """
    rows = db.session.execute(
        db.select(
            Quote.ikm_id,
            Quote.accepted_quantity,
            Quote.decided_at,
            Quote.delivery_on,
            BuyerRequest.unit,
        )
        .join(BuyerRequest, BuyerRequest.id == Quote.request_id)
        .where(among(Quote.ikm_id, ikm_ids), Quote.state == QuoteState.ACCEPTED)
        .where(Quote.delivery_on >= start)
    )
    found: dict[int, int] = defaultdict(int)
    for ikm_id, amount, decided_at, delivery_on, quote_unit in rows:
        amount = capacity.in_unit(amount, quote_unit, unit)
        if not amount:
            continue
        begins = min(decided_at.date() if decided_at else start, delivery_on)
        span = max(1, (delivery_on - begins).days)
        overlap = max(0, (min(end, delivery_on) - max(start, begins)).days)
        found[ikm_id] += -(-amount * min(overlap, span) // span)  # rounded up: never promise more
    return found


def _responses(ikm_ids, request_id: int) -> dict[int, tuple[int, int]]:
    """Per IKM: (requests answered, requests sent) before this one."""
    answered = db.func.sum(
        db.case((Recipient.declined_at.is_not(None) | Quote.id.is_not(None), 1), else_=0)
    )
    rows = db.session.execute(
        db.select(Recipient.ikm_id, answered, db.func.count(Recipient.id))
        .outerjoin(
            Quote, (Quote.request_id == Recipient.request_id) & (Quote.ikm_id == Recipient.ikm_id)
        )
        .where(among(Recipient.ikm_id, ikm_ids), Recipient.request_id != request_id)
        .group_by(Recipient.ikm_id)
    )
    return {ikm_id: (int(done or 0), total) for ikm_id, done, total in rows}


def min_order_in(offer: Offer, unit: str) -> int:
    """The product's minimum order in ``unit``, rounded up (12 pairs is one kodi to order)."""
    pieces = units.in_pieces(offer.min_order_qty or 1, offer.unit)
    per_unit = units.in_pieces(1, unit)
    if pieces is None or per_unit is None:
        return offer.min_order_qty or 1
    return -(-pieces // per_unit)


def suppliers(request: BuyerRequest, today: date) -> list[Supplier]:
    """Every verified IKM with a fitting active product, with the facts about each."""
    offers = _offers(request)
    grouped: dict[int, list[Offer]] = defaultdict(list)
    for offer in offers:
        grouped[offer.ikm_id].append(offer)
    ikm_ids = sorted(grouped)
    if not ikm_ids:
        return []
    # With a category every candidate is an offer: the queries below take the candidates as
    # a subquery (thousands of bound ids cost more to send than the query to run).
    product_scope = ikm_scope = None
    if request.category_id is not None:
        product_scope = _candidates(request, Product.id)
        ikm_scope = _candidates(request, Product.ikm_id)
    product_scope = product_scope if product_scope is not None else [o.id for o in offers]
    ikm_scope = ikm_scope if ikm_scope is not None else ikm_ids
    _attach_tiers(offers, product_scope)
    ikms = {i.id: i for i in _load_ikms(ikm_scope)}
    taken = committed(ikm_scope, request.unit, today, request.delivery_on)
    months_days = max(0, (request.delivery_on - today).days)
    kinds = set(request.required_certificates or []) | set(request.preferred_certificates or [])
    listed = _listed(product_scope)
    responses = _responses(ikm_scope, request.id)
    found = []
    for ikm_id in ikm_ids:
        ikm_offers = grouped[ikm_id]
        monthly = capacity.monthly_capacity(ikms[ikm_id], _as_products(ikm_offers), request.unit)
        found.append(
            Supplier(
                ikm=ikms[ikm_id],
                offers=sorted(ikm_offers, key=lambda o: (-o.fit, o.id)),
                monthly=monthly,
                by_date=None if monthly is None else monthly * months_days // DAYS_PER_MONTH,
                committed=taken.get(ikm_id, 0),
                min_order=min(min_order_in(o, request.unit) for o in ikm_offers),
                is_curated=any(o.id in listed for o in ikm_offers),
                answered=responses.get(ikm_id, (0, 0))[0],
                asked=responses.get(ikm_id, (0, 0))[1],
            )
        )
    by_ikm = {s.ikm.id: s for s in found}
    for ikm_id, kind, status, valid_until in _certificates(product_scope, kinds):
        state = certificate_state(status, valid_until, request.delivery_on)
        current = by_ikm[ikm_id].certificates.get(kind)
        by_ikm[ikm_id].certificates[kind] = _best(current, (state, valid_until))
    return found


def _load_ikms(ikm_ids) -> list[IKM]:
    return db.session.scalars(db.select(IKM).where(IKM.id.in_(ikm_ids))).all()


def _listed(product_ids) -> set[int]:
    from app.curation.models import Submission

    return set(
        db.session.scalars(
            listed_ids_query().where(Submission.product_id.in_(product_ids)).distinct()
        )
    )


@dataclass(frozen=True)
class _Figure:
    """What ``capacity.monthly_capacity`` reads of a product."""

    capacity_monthly: int | None
    unit: str


def _as_products(offers: list[Offer]) -> list[_Figure]:
    return [_Figure(o.capacity_monthly, o.unit) for o in offers]


# The fast reading: every candidate IKM as a few numbers.


@dataclass(slots=True)
class Fact:
    """A candidate IKM as ranking reads it: the numbers of a ``Supplier`` without its rows.

    Few objects on purpose (no list or tuple of its own): thousands of them survive the young
    collections of one request, and enough survivors trigger a full collection."""

    id: int
    name: str
    regency_code: str | None
    province_code: str | None
    fit: float = 0.0
    price: int | None = None  # per unit of the request, at its quantity: the lowest offer's
    monthly: int | None = None
    by_date: int | None = None
    committed: int = 0
    min_order: int = 1
    certificates: dict[str, tuple[str, date | None]] = field(default_factory=dict)
    is_curated: bool = False
    answered: int = 0
    asked: int = 0
    score: float = 0.0

    @property
    def ikm(self) -> Fact:
        """What the distance signal and the order of the left out read of the IKM."""
        return self

    @property
    def free(self) -> int:
        return max(0, (self.by_date or 0) - self.committed)


def _pieces(unit: str) -> int | None:
    try:
        return units.in_pieces(1, unit)
    except ValueError:  # a unit Etalase does not know: nothing converts to or from it
        return None


def _in_unit_sql(amount, unit_column, target: str):
    """``capacity.in_unit`` in SQL: ``amount`` of ``unit_column`` in ``target`` (rounded down),
    NULL when missing, zero or not convertible."""
    whens = []
    target_pieces = _pieces(target)
    for unit in units.Unit:
        if unit == target:
            whens.append((unit_column == unit.value, amount))
        elif target_pieces is not None and _pieces(unit) is not None:
            whens.append((unit_column == unit.value, amount * _pieces(unit) // target_pieces))
    known = db.case(*whens, else_=None) if whens else db.null()
    return db.case((db.or_(amount.is_(None), amount == 0), None), else_=known)


def _min_order_sql(target: str):
    """``min_order_in`` in SQL: the product's minimum order in ``target``, rounded up."""
    ordered = db.func.coalesce(db.func.nullif(Product.min_order_qty, 0), 1)
    per_unit = _pieces(target)
    if per_unit is None:
        return ordered
    whens = [
        (Product.unit == unit.value, (ordered * _pieces(unit) + per_unit - 1) // per_unit)
        for unit in units.Unit
        if _pieces(unit) is not None
    ]
    return db.case(*whens, else_=ordered)


def _price_sql(request: BuyerRequest):
    """``recommend.unit_price`` in SQL: the product's price tier at the request's quantity
    (counted in the product's unit), else its retail price, per unit of the request."""
    asked, per_request_unit = _pieces(request.unit), _pieces(request.unit)
    retail = Product.retail_price.cast(db.BigInteger)
    same_unit_only = db.case((Product.unit == request.unit, retail), else_=None)
    if asked is None:
        return same_unit_only
    asked *= request.quantity
    whens = []
    for unit in units.Unit:
        per_product_unit = _pieces(unit)
        if per_product_unit is None:
            continue
        tier = (
            db.select(PriceTier.unit_price)
            .where(
                PriceTier.product_id == Product.id,
                PriceTier.min_qty <= asked // per_product_unit,
            )
            .order_by(PriceTier.min_qty.desc())
            .limit(1)
            .scalar_subquery()
        )
        price = db.func.coalesce(tier.cast(db.BigInteger), retail)
        whens.append((Product.unit == unit.value, price * per_request_unit // per_product_unit))
    return db.case(*whens, else_=same_unit_only)


OFFER_COLUMNS = (
    Product.id,
    Product.ikm_id,
    Product.name,
    Product.materials,
    Product.unit,
    Product.min_order_qty,
    Product.capacity_monthly,
    Product.retail_price,
)


def facts(request: BuyerRequest, today: date) -> list[Fact]:
    """Every verified IKM with a fitting active product, as ranking reads it (the numbers
    ``suppliers`` would give), from one product query and a few small ones."""
    target = request.unit
    query = _candidates(
        request,
        *OFFER_COLUMNS,
        _in_unit_sql(Product.capacity_monthly.cast(db.BigInteger), Product.unit, target),
        _min_order_sql(target),
        _price_sql(request),
        listed_exists(Product.id),
        IKM.name,
        IKM.regency_code,
        IKM.province_code,
        _in_unit_sql(IKM.capacity_monthly.cast(db.BigInteger), IKM.capacity_unit, target),
    )
    wanted = category_ids(request)
    asked = request_words(request)
    any_category = wanted is None
    found: dict[int, Fact] = {}
    totals: dict[int, int | None] = {}
    ceilings: dict[int, int | None] = {}
    product_ids: list[int] = []
    # Plain rows on the session's connection (the ORM's row handling cost a fifth more), a
    # thousand at a time (fewer rows alive at once for the collector to promote).
    rows = (row for part in db.session.connection().execute(query).partitions(1000) for row in part)
    for row in rows:
        fit = fit_of(asked, row[2], row[3], any_category)
        if not fit:
            continue
        ikm_id, (monthly, min_order, price, listed) = row[1], row[8:12]
        product_ids.append(row[0])
        fact = found.get(ikm_id)
        if fact is None:
            fact = found[ikm_id] = Fact(ikm_id, row[12], row[13], row[14], fit, price)
            fact.min_order, fact.is_curated = min_order, bool(listed)
            totals[ikm_id], ceilings[ikm_id] = monthly, row[15]
        else:
            fact.fit = max(fact.fit, fit)
            fact.min_order = min(fact.min_order, min_order)
            fact.is_curated = fact.is_curated or bool(listed)
            if price is not None and (fact.price is None or price < fact.price):
                fact.price = price
            if monthly is not None:
                totals[ikm_id] = monthly + (totals[ikm_id] or 0)
    if not found:
        return []
    days = max(0, (request.delivery_on - today).days)
    for ikm_id, fact in found.items():
        total, ceiling = totals[ikm_id], ceilings[ikm_id]
        # capacity.monthly_capacity: the products' figures added up, capped by the IKM's own
        fact.monthly = (
            ceiling if total is None else total if ceiling is None else min(total, ceiling)
        )
        fact.by_date = None if fact.monthly is None else fact.monthly * days // DAYS_PER_MONTH
    # By the ids found: on SQLite, running the candidates again as a subquery cost twice that.
    ikm_ids = sorted(found)
    for ikm_id, taken in committed(ikm_ids, target, today, request.delivery_on).items():
        found[ikm_id].committed = taken
    for ikm_id, (answered, sent) in _responses(ikm_ids, request.id).items():
        found[ikm_id].answered, found[ikm_id].asked = answered, sent
    kinds = set(request.required_certificates or []) | set(request.preferred_certificates or [])
    scope = _candidates(request, Product.id) if wanted is not None else product_ids
    for ikm_id, kind, status, valid_until in _certificates(scope, kinds):
        state = certificate_state(status, valid_until, request.delivery_on)
        certificates = found[ikm_id].certificates
        certificates[kind] = _best(certificates.get(kind), (state, valid_until))
    return list(found.values())


def explained(request: BuyerRequest, facts: list[Fact]) -> dict[int, Supplier]:
    """Per IKM id, the full ``Supplier`` of each of ``facts`` (the IKM, its fitting offers with
    their price tiers): three queries, whatever the number."""
    if not facts:
        return {}
    ids = [fact.id for fact in facts]
    ikms = {i.id: i for i in _load_ikms(ids)}
    asked, any_category = request_words(request), request.category_id is None
    offers: dict[int, list[Offer]] = defaultdict(list)
    query = _candidates(request, *OFFER_COLUMNS).where(among(Product.ikm_id, ids))
    for row in db.session.execute(query):
        fit = fit_of(asked, row.name, row.materials, any_category)
        if fit:
            offers[row.ikm_id].append(Offer(*row[:3], *row[4:8], fit=fit))
    for found in offers.values():
        found.sort(key=lambda o: (-o.fit, o.id))
    every = [offer for found in offers.values() for offer in found]
    _attach_tiers(every, [offer.id for offer in every])
    return {
        fact.ikm.id: Supplier(
            ikm=ikms[fact.ikm.id],
            offers=offers[fact.ikm.id],
            monthly=fact.monthly,
            by_date=fact.by_date,
            committed=fact.committed,
            min_order=fact.min_order,
            certificates=fact.certificates,
            is_curated=fact.is_curated,
            answered=fact.answered,
            asked=fact.asked,
        )
        for fact in facts
    }
