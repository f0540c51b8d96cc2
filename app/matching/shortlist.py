"""A buyer organisation's shortlist: the products and IKMs its members saved from the
catalogue, and the IKMs a request can be sent to from it (a saved product counts for its IKM).
Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.catalog.models import Product
from app.core import audit, clock
from app.core.errors import DomainValidationError
from app.core.paging import ROWS, Page, paginate
from app.curation import listing
from app.extensions import db
from app.matching import quotes
from app.matching.models import BuyerRequest, Recipient, SavedIKM, SavedProduct
from app.orgs.models import IKM

audit.ACTION_LABELS.update(
    {
        "shortlist.saved": _l("Saved to the shortlist"),
        "shortlist.removed": _l("Removed from the shortlist"),
    }
)


def _listed_product(product_id: int | None) -> Product:
    """The product if the catalogue lists it; a buyer saves only what it may see."""
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or not listing.badges_for([product.id])[product.id]:
        raise DomainValidationError(_l("This product is not in the catalogue."))
    return product


def _public_ikm(ikm_id: int | None) -> IKM:
    """The IKM if the catalogue shows it (verified), as its public page does."""
    ikm = db.session.get(IKM, ikm_id) if ikm_id else None
    if ikm is None or not ikm.is_verified:
        raise DomainValidationError(_l("This IKM is not in the catalogue."))
    return ikm


def save_product(org, product_id: int, by) -> SavedProduct:
    """Put a listed product on ``org``'s shortlist (saving it twice keeps one entry).

    :raises DomainValidationError: when the product does not exist or is not listed
    """
    product = _listed_product(product_id)
    saved = db.session.scalar(
        db.select(SavedProduct).filter_by(buyer_org_id=org.id, product_id=product.id)
    )
    if saved is None:
        saved = SavedProduct(
            buyer_org_id=org.id, product_id=product.id, saved_at=clock.now(), saved_by_id=by.id
        )
        db.session.add(saved)
        db.session.flush()
        audit.record("shortlist.saved", org, actor=by, product_id=product.id)
    return saved


def save_ikm(org, ikm_id: int, by) -> SavedIKM:
    """Put a verified IKM on ``org``'s shortlist (saving it twice keeps one entry).

    :raises DomainValidationError: when the IKM does not exist or is not verified
    """
    ikm = _public_ikm(ikm_id)
    saved = db.session.scalar(db.select(SavedIKM).filter_by(buyer_org_id=org.id, ikm_id=ikm.id))
    if saved is None:
        saved = SavedIKM(
            buyer_org_id=org.id, ikm_id=ikm.id, saved_at=clock.now(), saved_by_id=by.id
        )
        db.session.add(saved)
        db.session.flush()
        audit.record("shortlist.saved", org, actor=by, ikm_id=ikm.id)
    return saved


def remove_product(org, product_id: int, by) -> bool:
    """Take a product off the shortlist; False when it was not on it."""
    return _remove(SavedProduct, org, by, product_id=product_id)


def remove_ikm(org, ikm_id: int, by) -> bool:
    """Take an IKM off the shortlist (its saved products stay); False when it was not on it."""
    return _remove(SavedIKM, org, by, ikm_id=ikm_id)


def _remove(model, org, by, **key) -> bool:
    saved = db.session.scalar(db.select(model).filter_by(buyer_org_id=org.id, **key))
    if saved is None:
        return False
    db.session.delete(saved)
    db.session.flush()
    audit.record("shortlist.removed", org, actor=by, **key)
    return True


@dataclass(frozen=True)
class SavedState:
    """What one organisation has saved, for the save buttons of a page."""

    org_id: int
    product_ids: frozenset[int]
    ikm_ids: frozenset[int]


def saved_state(org) -> SavedState:
    """Two queries however long the shortlist is; the buttons of any page read from it."""
    products = db.session.scalars(db.select(SavedProduct.product_id).filter_by(buyer_org_id=org.id))
    ikms = db.session.scalars(db.select(SavedIKM.ikm_id).filter_by(buyer_org_id=org.id))
    return SavedState(org.id, frozenset(products), frozenset(ikms))


def saved_ikms(org, number: int) -> Page:
    """A page of the IKMs ``org`` saved, newest first."""
    query = (
        db.select(SavedIKM)
        .filter_by(buyer_org_id=org.id)
        .order_by(SavedIKM.saved_at.desc(), SavedIKM.id.desc())
    )
    return paginate(query, number, ROWS)


def saved_products(org, number: int, today) -> Page:
    """A page of the products ``org`` saved, newest first, as catalogue cards; a product no
    longer listed is shown as such (``card`` None) so that the buyer can remove it."""
    query = (
        db.select(SavedProduct.product_id, Product.name)
        .join(Product, Product.id == SavedProduct.product_id)
        .where(SavedProduct.buyer_org_id == org.id)
        .order_by(SavedProduct.saved_at.desc(), SavedProduct.id.desc())
    )
    page = paginate(query, number, ROWS, scalars=False)

    def as_cards(rows):
        cards = {card["id"]: card for card in listing.cards([r.product_id for r in rows], today)}
        return [SavedCard(r.product_id, r.name, cards.get(r.product_id)) for r in rows]

    return page.map(as_cards)


@dataclass(frozen=True)
class SavedCard:
    product_id: int
    name: str
    card: dict | None  # None: no longer listed


# -- sending a request to IKMs of the shortlist ------------------------------------------------


def _candidate_ids(org):
    """The ids of the IKMs on ``org``'s shortlist, saved themselves or through a product."""
    through_products = (
        db.select(Product.ikm_id)
        .join(SavedProduct, SavedProduct.product_id == Product.id)
        .where(SavedProduct.buyer_org_id == org.id)
    )
    saved = db.select(SavedIKM.ikm_id).where(SavedIKM.buyer_org_id == org.id)
    return saved.union(through_products)


@dataclass(frozen=True)
class Candidate:
    """An IKM of the shortlist, for one request: why it cannot be sent to (None if it can),
    whether it already was, and how many of its products are saved."""

    ikm: IKM
    saved_products: int
    is_saved: bool
    is_sent: bool
    why_not: str | None

    @property
    def can_send(self) -> bool:
        return self.why_not is None and not self.is_sent


def candidates(request: BuyerRequest, number: int) -> Page:
    """A page of the shortlist's IKMs for ``request`` (its buyer's shortlist), by name; the
    send rule is :func:`app.matching.quotes.why_not_recipient`'s, not restated here. Four
    queries for any number of IKMs."""
    org = request.buyer
    query = db.select(IKM).where(IKM.id.in_(_candidate_ids(org))).order_by(IKM.name, IKM.id)
    page = paginate(query, number, ROWS)
    ids = [ikm.id for ikm in page.items]
    counts = dict(
        db.session.execute(
            db.select(Product.ikm_id, func.count())
            .join(SavedProduct, SavedProduct.product_id == Product.id)
            .where(SavedProduct.buyer_org_id == org.id, Product.ikm_id.in_(ids))
            .group_by(Product.ikm_id)
        ).all()
    )
    saved = set(
        db.session.scalars(
            db.select(SavedIKM.ikm_id).where(
                SavedIKM.buyer_org_id == org.id, SavedIKM.ikm_id.in_(ids)
            )
        )
    )
    sent = set(
        db.session.scalars(
            db.select(Recipient.ikm_id).where(
                Recipient.request_id == request.id, Recipient.ikm_id.in_(ids)
            )
        )
    )
    return page.map(
        lambda items: [
            Candidate(
                ikm=ikm,
                saved_products=counts.get(ikm.id, 0),
                is_saved=ikm.id in saved,
                is_sent=ikm.id in sent,
                why_not=quotes.why_not_recipient(ikm),
            )
            for ikm in items
        ]
    )


def send_from_shortlist(request: BuyerRequest, ikm_ids: list[int], by) -> list[Recipient]:
    """Send ``request`` to these IKMs of its buyer's shortlist, through :func:`quotes.send`
    (which holds the rules: an open request, verified and active IKMs).

    :raises DomainValidationError: when none is chosen, or one is not on the shortlist
    """
    if not ikm_ids:
        raise DomainValidationError(_l("Choose at least one IKM."))
    on_list = set(db.session.scalars(_candidate_ids(request.buyer)))
    if not set(ikm_ids) <= on_list:
        raise DomainValidationError(_l("Choose IKMs from your shortlist."))
    # One it was sent to already keeps its place and its proposed share.
    sent = set(db.session.scalars(db.select(Recipient.ikm_id).filter_by(request_id=request.id)))
    fresh = [ikm_id for ikm_id in ikm_ids if ikm_id not in sent]
    if not fresh:
        raise DomainValidationError(_l("The request was already sent to these IKMs."))
    return quotes.send(request, dict.fromkeys(fresh), by=by)
