"""Sending a request to IKMs, the IKMs' opportunities, quotes and their revisions, and the
buyer's decisions on them. Services flush and never commit; notifications are queued in the
same transaction (mail goes out after the response)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.catalog.models import Product
from app.core import audit, clock
from app.core.errors import DomainValidationError, InvalidTransition
from app.core.notifications import notify
from app.core.paging import ROWS, Page, paginate
from app.core.urls import path_for
from app.extensions import db
from app.matching import workflow
from app.matching.models import (
    BuyerRequest,
    Quote,
    QuoteRevision,
    QuoteState,
    Recipient,
    RequestState,
    Visibility,
)
from app.matching.services import MAX_UNIT_PRICE
from app.orgs.models import IKM, VerificationStatus
from app.orgs.services import tell_ikm


def _ensure_open(request: BuyerRequest) -> None:
    if request.state != RequestState.OPEN:
        raise InvalidTransition(_l("This request is not open for quotes."))


def send(request: BuyerRequest, allocations: dict[int, int | None], by) -> list[Recipient]:
    """Send ``request`` to these IKMs (id to its proposed share, or None); each is told in the
    site and by email. An IKM it was already sent to keeps its place (its share is updated).

    :raises InvalidTransition: unless the request is open
    :raises DomainValidationError: for an unknown IKM, one that is not verified and active
        (:func:`why_not_recipient`), or a share above the quantity
    """
    _ensure_open(request)
    ikms = db.session.scalars(db.select(IKM).where(IKM.id.in_(list(allocations)))).all()
    if not ikms or len(ikms) != len(allocations):
        raise DomainValidationError(_l("Choose verified IKMs from the recommendations."))
    problems = [reason for ikm in ikms if (reason := why_not_recipient(ikm))]
    if problems:
        raise DomainValidationError(problems[0], problems=problems)
    if any(
        share is not None and not 0 < share <= request.quantity for share in allocations.values()
    ):
        raise DomainValidationError(_l("A share must be between 1 and the quantity asked."))
    existing = {
        r.ikm_id: r
        for r in db.session.scalars(db.select(Recipient).filter_by(request_id=request.id))
    }
    sent = []
    for ikm in ikms:
        recipient = existing.get(ikm.id) or Recipient(
            request_id=request.id, ikm_id=ikm.id, sent_at=clock.now()
        )
        recipient.allocated_quantity = allocations[ikm.id]
        db.session.add(recipient)
        sent.append(recipient)
        if ikm.id not in existing:
            _tell_sent(request, ikm)
    db.session.flush()
    audit.record("request.sent", request, actor=by, ikm_ids=sorted(allocations))
    return sent


def why_not_recipient(ikm: IKM) -> str | None:
    """Why a request cannot be sent to ``ikm``, or None when it can: buyers meet verified,
    active IKMs only. :func:`send` holds to it; pages use it to say why an IKM is left out."""
    if not ikm.is_active:
        return _l("%(ikm)s is no longer active on Etalase.", ikm=ikm.name)
    if not ikm.is_verified:
        return _l(
            "%(ikm)s is not verified (%(status)s): a request can be sent to verified IKMs only.",
            ikm=ikm.name,
            status=ikm.status_label,
        )
    return None


def _tell_sent(request: BuyerRequest, ikm: IKM) -> None:
    tell_ikm(
        ikm,
        f"request:{request.id}:sent",
        _l(
            "%(buyer)s asks you for a quote: %(title)s",
            buyer=request.buyer.name,
            title=request.title,
        ),
        path_for("matching.opportunity", ikm_id=ikm.id, request_id=request.id),
        template="matching_request_sent",
        request=request,
    )


def recipients(request: BuyerRequest, number: int) -> Page:
    """A page of the IKMs the request was sent to, in the order they were sent."""
    return paginate(
        db.select(Recipient).filter_by(request_id=request.id).order_by(Recipient.id),
        number,
        ROWS,
    )


def _ikm_categories(ikm: IKM):
    """The categories (and their sectors) of the IKM's active products, as a subquery."""
    from app.catalog.models import Category

    own = db.select(Product.category_id).where(
        Product.ikm_id == ikm.id, Product.archived_at.is_(None)
    )
    parents = db.select(Category.parent_id).where(Category.id.in_(own))
    return own.union(parents).scalar_subquery()


def _visible_to(ikm: IKM):
    sent = db.select(Recipient.request_id).where(Recipient.ikm_id == ikm.id)
    found_by_itself = (BuyerRequest.visibility == Visibility.OPEN) & (
        BuyerRequest.category_id.is_(None) | BuyerRequest.category_id.in_(_ikm_categories(ikm))
    )
    return BuyerRequest.id.in_(sent) | (found_by_itself & (BuyerRequest.state == RequestState.OPEN))


def opportunities(ikm: IKM, number: int) -> Page:
    """A page of the requests sent to the IKM, or open to it (open visibility, in a category
    it makes), soonest delivery first; drafts never."""
    query = (
        db.select(BuyerRequest)
        .where(_visible_to(ikm), BuyerRequest.state != RequestState.DRAFT)
        .order_by(BuyerRequest.delivery_on, BuyerRequest.id)
    )
    if not ikm.is_verified:  # buyers meet verified IKMs only
        query = query.where(db.false())
    return paginate(query, number, ROWS)


def is_opportunity(request: BuyerRequest, ikm: IKM) -> bool:
    if request.state == RequestState.DRAFT or ikm.status != VerificationStatus.VERIFIED:
        return False
    return bool(
        db.session.scalar(
            db.select(BuyerRequest.id).where(BuyerRequest.id == request.id, _visible_to(ikm))
        )
    )


def recipient_of(request: BuyerRequest, ikm: IKM) -> Recipient | None:
    return db.session.scalar(db.select(Recipient).filter_by(request_id=request.id, ikm_id=ikm.id))


def quote_of(request: BuyerRequest, ikm: IKM) -> Quote | None:
    return db.session.scalar(db.select(Quote).filter_by(request_id=request.id, ikm_id=ikm.id))


@dataclass(frozen=True)
class QuoteData:
    unit_price: int
    quantity: int
    delivery_on: date
    valid_until: date | None = None
    note: str = ""


def _validate_quote(request: BuyerRequest, data: QuoteData, today: date) -> None:
    if data.quantity is None or not 1 <= data.quantity <= request.quantity:
        raise DomainValidationError(
            _l("Quote between 1 and the quantity asked (%(quantity)s).", quantity=request.quantity),
            field="quantity",
        )
    if data.unit_price is None or not 1 <= data.unit_price <= MAX_UNIT_PRICE:
        raise DomainValidationError(
            _l("The price must be between Rp1 and Rp1,000,000,000."), field="unit_price"
        )
    if data.delivery_on is None or data.delivery_on <= today:
        raise DomainValidationError(
            _l("The delivery date must be after today."), field="delivery_on"
        )
    if data.valid_until is not None and data.valid_until < today:
        raise DomainValidationError(
            _l("The quote must be valid until today or later."), field="valid_until"
        )


def submit_quote(request: BuyerRequest, ikm: IKM, data: QuoteData, by) -> Quote:
    """The IKM's quote, or a revision of its waiting quote (earlier terms are kept).

    :raises DomainValidationError: a quantity above the quantity asked, a date in the past
    :raises InvalidTransition: when the request is not open or the quote already decided
    """
    _ensure_open(request)
    _validate_quote(request, data, clock.today())
    quote = quote_of(request, ikm)
    if quote is not None and quote.state not in (QuoteState.SUBMITTED, QuoteState.WITHDRAWN):
        raise InvalidTransition(_l("The buyer has already decided on this quote."))
    if quote is None:
        quote = Quote(request_id=request.id, ikm_id=ikm.id)
        db.session.add(quote)
    for name in ("unit_price", "quantity", "delivery_on", "valid_until"):
        setattr(quote, name, getattr(data, name))
    quote.note, quote.state = data.note or "", QuoteState.SUBMITTED
    db.session.flush()
    number = len(quote.revisions) + 1
    db.session.add(
        QuoteRevision(
            quote=quote,
            number=number,
            **{
                k: getattr(data, k)
                for k in ("unit_price", "quantity", "delivery_on", "valid_until")
            },
            note=data.note or "",
            created_at=clock.now(),
            created_by_id=by.id,
        )
    )
    db.session.flush()
    audit.record("quote.submitted" if number == 1 else "quote.revised", quote, actor=by)
    _tell_buyer(
        request,
        f"quote:{quote.id}:{number}",
        _l("%(ikm)s sent a quote for %(title)s", ikm=ikm.name, title=request.title),
    )
    return quote


def withdraw_quote(request: BuyerRequest, ikm: IKM, by) -> Quote:
    """The IKM takes back its waiting quote (the buyer has not decided); it may quote again
    while the request is open, and the history keeps every revision.

    :raises InvalidTransition: no waiting quote, or the request no longer open
    """
    _ensure_open(request)
    quote = quote_of(request, ikm)
    if quote is None or quote.state != QuoteState.SUBMITTED:
        raise InvalidTransition(_l("There is no waiting quote to withdraw."))
    quote.state = QuoteState.WITHDRAWN
    db.session.flush()
    audit.record("quote.withdrawn", quote, actor=by)
    _tell_buyer(
        request,
        f"withdrawn:{quote.id}:{len(quote.revisions)}",
        _l("%(ikm)s withdrew its quote for %(title)s", ikm=ikm.name, title=request.title),
    )
    return quote


def decline_request(request: BuyerRequest, ikm: IKM, reason: str, by) -> Recipient:
    """The IKM says no, and why (the buyer sees the reason)."""
    _ensure_open(request)
    if not reason or not reason.strip():
        raise DomainValidationError(_l("Say why you decline."), field="reason")
    recipient = recipient_of(request, ikm) or Recipient(
        request_id=request.id, ikm_id=ikm.id, sent_at=clock.now()
    )
    recipient.declined_at, recipient.decline_reason = clock.now(), reason.strip()
    db.session.add(recipient)
    db.session.flush()
    audit.record("request.declined_by_ikm", request, actor=by, ikm_id=ikm.id, reason=reason)
    _tell_buyer(
        request,
        f"declined:{request.id}:{ikm.id}",
        _l("%(ikm)s declined %(title)s", ikm=ikm.name, title=request.title),
    )
    return recipient


def _tell_buyer(request: BuyerRequest, key: str, text) -> None:
    url = path_for("matching.quotes", request_id=request.id)
    for member in request.buyer.memberships:
        notify(
            member.user,
            key,
            text,
            url,
            subject=text,
            template="matching_buyer_news",
            request=request,
            news=text,
        )


def quotes_for(request: BuyerRequest, number: int) -> Page:
    """A page of the request's quotes, cheapest first."""
    query = db.select(Quote).filter_by(request_id=request.id).order_by(Quote.unit_price, Quote.id)
    return paginate(query, number, ROWS)


def accepted_total(request: BuyerRequest) -> int:
    return db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(Quote.accepted_quantity), 0)).where(
            Quote.request_id == request.id, Quote.state == QuoteState.ACCEPTED
        )
    )


def accept_quote(quote: Quote, quantity: int | None, by) -> Quote:
    """Accept all of a quote, or part of it; the accepted quantity commits the IKM's capacity.
    The request is awarded once accepted quantities cover it.

    :raises DomainValidationError: a quantity above the quote's or above what is still open
    """
    request = quote.request
    _ensure_open(request)
    if quote.state != QuoteState.SUBMITTED:
        raise InvalidTransition(_l("This quote is no longer waiting for a decision."))
    quantity = quote.quantity if quantity is None else quantity
    remaining = request.quantity - accepted_total(request)
    if not 1 <= quantity <= min(quote.quantity, remaining):
        raise DomainValidationError(
            _l("Accept between 1 and %(most)s.", most=min(quote.quantity, remaining)),
            field="quantity",
        )
    quote.state, quote.accepted_quantity, quote.decided_at = (
        QuoteState.ACCEPTED,
        quantity,
        clock.now(),
    )
    db.session.flush()
    audit.record("quote.accepted", quote, actor=by, quantity=quantity)
    _tell_quote_ikm(
        quote,
        _l(
            "%(buyer)s accepted your quote for %(title)s",
            buyer=request.buyer.name,
            title=request.title,
        ),
    )
    if accepted_total(request) >= request.quantity:
        workflow.transition(request, workflow.Action.AWARD, by=None)
    return quote


def decline_quote(quote: Quote, by) -> Quote:
    _ensure_open(quote.request)
    if quote.state != QuoteState.SUBMITTED:
        raise InvalidTransition(_l("This quote is no longer waiting for a decision."))
    quote.state, quote.decided_at = QuoteState.DECLINED, clock.now()
    db.session.flush()
    audit.record("quote.declined", quote, actor=by)
    _tell_quote_ikm(
        quote,
        _l(
            "%(buyer)s declined your quote for %(title)s",
            buyer=quote.request.buyer.name,
            title=quote.request.title,
        ),
    )
    return quote


def _tell_quote_ikm(quote: Quote, text) -> None:
    tell_ikm(
        quote.ikm,
        f"quote:{quote.id}:{quote.state}",
        text,
        path_for("matching.opportunity", ikm_id=quote.ikm_id, request_id=quote.request_id),
        template="matching_ikm_news",
        request=quote.request,
        news=text,
    )


def waiting_quotes(org_ids: list[int]) -> int:
    """How many quotes wait for a decision on these organisations' open requests."""
    if not org_ids:
        return 0
    return db.session.scalar(
        db.select(db.func.count(Quote.id))
        .join(BuyerRequest, BuyerRequest.id == Quote.request_id)
        .where(BuyerRequest.buyer_org_id.in_(org_ids), BuyerRequest.state == RequestState.OPEN)
        .where(Quote.state == QuoteState.SUBMITTED)
    )


@dataclass(frozen=True)
class IkmToDo:
    """What waits on an IKM: open requests sent to it that it has neither quoted nor declined,
    and its quotes that wait for the buyer's decision."""

    unanswered: int = 0
    open_quotes: int = 0


def ikm_to_do(ikm_ids: list[int]) -> dict[int, IkmToDo]:
    """Per IKM, in two grouped queries whatever the number of IKMs or requests."""
    if not ikm_ids:
        return {}
    answered = db.select(Quote.id).where(
        Quote.request_id == Recipient.request_id, Quote.ikm_id == Recipient.ikm_id
    )
    unanswered = dict(
        db.session.execute(
            db.select(Recipient.ikm_id, db.func.count(Recipient.id))
            .join(BuyerRequest, BuyerRequest.id == Recipient.request_id)
            .where(Recipient.ikm_id.in_(ikm_ids), Recipient.declined_at.is_(None))
            .where(BuyerRequest.state == RequestState.OPEN, ~answered.exists())
            .group_by(Recipient.ikm_id)
        ).all()
    )
    waiting = dict(
        db.session.execute(
            db.select(Quote.ikm_id, db.func.count(Quote.id))
            .join(BuyerRequest, BuyerRequest.id == Quote.request_id)
            .where(Quote.ikm_id.in_(ikm_ids), Quote.state == QuoteState.SUBMITTED)
            .where(BuyerRequest.state == RequestState.OPEN)
            .group_by(Quote.ikm_id)
        ).all()
    )
    return {
        ikm_id: IkmToDo(unanswered.get(ikm_id, 0), waiting.get(ikm_id, 0)) for ikm_id in ikm_ids
    }
