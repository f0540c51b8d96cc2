"""The printable summary of an awarded request: who supplies what quantity, by when and at
what price. The buyer sees every line; an accepted IKM only its own, with the request's total
quantity (never another IKM's price, nor the target price)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.auth.models import User
from app.core import clock
from app.extensions import db
from app.matching import permissions
from app.matching.models import BuyerRequest, Quote, QuoteState, RequestState
from app.orgs.models import IKM


@dataclass(frozen=True)
class Line:
    ikm: IKM
    quantity: int  # accepted, in the request's unit
    delivery_on: date
    unit_price: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Summary:
    request: BuyerRequest
    lines: list[Line]
    awarded_at: datetime | None
    issued_at: datetime
    ordered_by: User | None

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def value(self) -> int:
        return sum(line.total for line in self.lines)


def _accepted(request: BuyerRequest) -> list[Quote]:
    return db.session.scalars(
        db.select(Quote)
        .where(Quote.request_id == request.id, Quote.state == QuoteState.ACCEPTED)
        .order_by(Quote.decided_at, Quote.id)
    ).all()


def is_awarded(request: BuyerRequest) -> bool:
    """Awarded: accepted quantities covered it (it stays so when the buyer then closes it)."""
    if request.state == RequestState.AWARDED:
        return True
    if request.state != RequestState.CLOSED:
        return False
    return sum(q.accepted_quantity or 0 for q in _accepted(request)) >= request.quantity


def has_supply_line(request: BuyerRequest, ikm: IKM) -> bool:
    """Whether ``ikm`` supplies part of the awarded ``request`` (an accepted quote)."""
    return is_awarded(request) and any(q.ikm_id == ikm.id for q in _accepted(request))


def can_view_summary(user, request: BuyerRequest) -> bool:
    """The buyer's members (and administrators, who see every request read-only)."""
    return is_awarded(request) and permissions.can_view_request(user, request)


def summary(request: BuyerRequest, ikm: IKM | None = None) -> Summary:
    """The award's lines: all of them, or only ``ikm``'s. Two queries for any number of lines
    (the IKMs come with their quotes)."""
    quotes = _accepted(request)
    lines = [
        Line(q.ikm, q.accepted_quantity or 0, q.delivery_on, q.unit_price)
        for q in quotes
        if ikm is None or q.ikm_id == ikm.id
    ]
    decided = [q.decided_at for q in quotes if q.decided_at is not None]
    return Summary(
        request=request,
        lines=lines,
        awarded_at=max(decided) if decided else None,
        issued_at=clock.now(),
        ordered_by=db.session.get(User, request.created_by_id) if request.created_by_id else None,
    )
