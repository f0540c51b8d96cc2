"""Buyer requests: creating, editing, opening, listing. Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, case, cast, func

from app.catalog.models import Category, CertificateType
from app.core import audit, clock
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.paging import ROWS, Page, paginate
from app.core.units import Unit
from app.extensions import db
from app.matching import workflow
from app.matching.models import BuyerRequest, Quote, RequestState
from app.orgs import regions

MAX_QUANTITY = 10_000_000  # more than any order an IKM cluster could take
MAX_UNIT_PRICE = 1_000_000_000
MAX_GROUP_SIZE = 20


@dataclass(frozen=True)
class RequestData:
    title: str
    quantity: int
    unit: str
    delivery_on: date
    category_id: int | None = None
    specification: str = ""
    target_unit_price: int | None = None
    required_certificates: list[str] = field(default_factory=list)
    preferred_certificates: list[str] = field(default_factory=list)
    regency_code: str | None = None
    allow_consortium: bool = False
    max_group_size: int | None = None
    visibility: str = "invited"


def validate(data: RequestData, today: date) -> None:
    """What makes a request impossible, whatever the form let through.

    :raises DomainValidationError: naming the field at fault
    """
    if not data.title or not data.title.strip():
        raise DomainValidationError(_l("Give the request a title."), field="title")
    if data.unit not in set(Unit):
        raise DomainValidationError(_l("Choose a unit from the list."), field="unit")
    if data.quantity is None or data.quantity <= 0:
        raise DomainValidationError(_l("The quantity must be at least 1."), field="quantity")
    if data.quantity > MAX_QUANTITY:
        raise DomainValidationError(
            _l("The quantity is too large: at most 10,000,000."), field="quantity"
        )
    if data.delivery_on is None or data.delivery_on <= today:
        raise DomainValidationError(
            _l("The delivery date must be after today."), field="delivery_on"
        )
    if data.target_unit_price is not None and not 1 <= data.target_unit_price <= MAX_UNIT_PRICE:
        raise DomainValidationError(
            _l("The target price must be between Rp1 and Rp1,000,000,000."),
            field="target_unit_price",
        )
    _validate_group(data)
    _validate_references(data)


def _validate_group(data: RequestData) -> None:
    if not data.allow_consortium:
        return
    if data.max_group_size is None or not 2 <= data.max_group_size <= MAX_GROUP_SIZE:
        raise DomainValidationError(
            _l("A group shares the order between 2 and 20 IKMs."), field="max_group_size"
        )


def _validate_references(data: RequestData) -> None:
    kinds = set(CertificateType)
    for name in ("required_certificates", "preferred_certificates"):
        if not set(getattr(data, name)) <= kinds:
            raise DomainValidationError(_l("Choose certificates from the list."), field=name)
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        raise DomainValidationError(_l("Choose a category from the list."), field="category_id")
    if data.regency_code and regions.get(data.regency_code) is None:
        raise DomainValidationError(
            _l("Choose a kabupaten/kota from the list."), field="regency_code"
        )


def _apply(request: BuyerRequest, data: RequestData) -> None:
    region = regions.get(data.regency_code)
    request.title = data.title.strip()
    request.category_id = data.category_id
    request.specification = data.specification or ""
    request.quantity = data.quantity
    request.unit = data.unit
    request.target_unit_price = data.target_unit_price
    request.required_certificates = sorted(set(data.required_certificates))
    # A kind that is required is no longer merely preferred.
    request.preferred_certificates = sorted(
        set(data.preferred_certificates) - set(data.required_certificates)
    )
    request.delivery_on = data.delivery_on
    request.regency_code = region.code if region else None
    request.province_code = region.province_code if region else None
    request.region_edition = regions.REGION_EDITION if region else None
    request.allow_consortium = data.allow_consortium
    request.max_group_size = data.max_group_size if data.allow_consortium else None
    request.visibility = data.visibility


def create_request(org, data: RequestData, by) -> BuyerRequest:
    """A draft request of ``org`` (a buyer or partner organisation).

    :raises DomainValidationError: when ``data`` is not a possible request
    """
    validate(data, clock.today())
    request = BuyerRequest(buyer_org_id=org.id, created_by_id=by.id)
    _apply(request, data)
    db.session.add(request)
    db.session.flush()
    audit.record("request.created", request, actor=by)
    return request


def update_request(request: BuyerRequest, data: RequestData, by) -> BuyerRequest:
    """Change a draft or open request.

    :raises InvalidTransition: once the request is awarded, closed, cancelled or expired
    """
    if request.state not in workflow.EDITABLE:
        raise InvalidTransition(_l("This request can no longer be changed."))
    validate(data, clock.today())
    _apply(request, data)
    db.session.flush()
    audit.record("request.updated", request, actor=by)
    return request


def open_request(request: BuyerRequest, by) -> BuyerRequest:
    """Open a draft for quotes; its delivery date must still be ahead."""
    if request.delivery_on <= clock.today():
        raise DomainValidationError(
            _l("The delivery date must be after today."), field="delivery_on"
        )
    return workflow.transition(request, workflow.Action.OPEN, by=by)


def expire_overdue(today: date) -> int:
    """Expire the open requests whose delivery date has come without an award (run daily);
    returns how many. Quotes on them stay as they were: the record of what was offered."""
    overdue = db.session.scalars(
        db.select(BuyerRequest)
        .where(BuyerRequest.state == RequestState.OPEN, BuyerRequest.delivery_on <= today)
        .order_by(BuyerRequest.id)
    ).all()
    for request in overdue:
        workflow.transition(request, workflow.Action.EXPIRE)
    return len(overdue)


def requests_of(org_ids: list[int], number: int) -> Page:
    """A page of the requests of these organisations, newest first."""
    query = (
        db.select(BuyerRequest)
        .where(BuyerRequest.buyer_org_id.in_(org_ids))
        .order_by(BuyerRequest.id.desc())
    )
    return paginate(query, number, ROWS)


@dataclass(frozen=True)
class ProgrammeTotals:
    """What business matching has brought about so far, for the trade office."""

    requests_by_state: dict[str, int]
    quotes: int
    accepted_quotes: int
    accepted_value: int  # rupiah: each accepted quantity at its quote's unit price


def programme_totals() -> ProgrammeTotals:
    """Two queries, however many requests and quotes there are. The products are summed as
    64-bit numbers: 40,000 pairs at Rp250.000 already pass what a 32-bit integer holds."""
    by_state = dict(
        db.session.execute(
            db.select(BuyerRequest.state, func.count()).group_by(BuyerRequest.state)
        ).all()
    )
    accepted = Quote.accepted_quantity.is_not(None)
    quotes, accepted_quotes, value = db.session.execute(
        db.select(
            func.count(),
            func.count(Quote.accepted_quantity),
            func.coalesce(
                func.sum(
                    case(
                        (accepted, cast(Quote.accepted_quantity, BigInteger) * Quote.unit_price),
                        else_=0,
                    )
                ),
                0,
            ),
        ).select_from(Quote)
    ).one()
    return ProgrammeTotals(
        requests_by_state={state: by_state.get(state, 0) for state in RequestState},
        quotes=quotes,
        accepted_quotes=accepted_quotes,
        accepted_value=int(value),
    )


def all_requests(number: int) -> Page:
    """Every request, newest first (administrators, read-only)."""
    return paginate(db.select(BuyerRequest).order_by(BuyerRequest.id.desc()), number, ROWS)


def request_counts(org_ids: list[int]) -> dict[str, int]:
    """How many requests these organisations have in each state (one grouped query)."""
    if not org_ids:
        return {}
    counts = dict(
        db.session.execute(
            db.select(BuyerRequest.state, func.count())
            .where(BuyerRequest.buyer_org_id.in_(org_ids))
            .group_by(BuyerRequest.state)
        ).all()
    )
    return {state.value: counts[state.value] for state in RequestState if counts.get(state.value)}
