"""Buyer requests (permintaan), the IKMs they are sent to, and the IKMs' quotes with their
revisions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, UTCDateTime
from app.extensions import db
from app.orgs import regions


class RequestState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    AWARDED = "awarded"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


REQUEST_STATE_LABELS = {
    RequestState.DRAFT: _l("Draft"),
    RequestState.OPEN: _l("Open for quotes"),
    RequestState.AWARDED: _l("Awarded"),
    RequestState.CLOSED: _l("Closed"),
    RequestState.CANCELLED: _l("Cancelled"),
    RequestState.EXPIRED: _l("Expired"),
}


class Visibility(StrEnum):
    OPEN = "open"  # matching IKMs may find it by themselves
    INVITED = "invited"  # only the IKMs it is sent to


VISIBILITY_LABELS = {
    Visibility.OPEN: _l("Open: matching IKMs may find it"),
    Visibility.INVITED: _l("By invitation: only the IKMs I send it to"),
}


class QuoteState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"  # by the buyer
    WITHDRAWN = "withdrawn"  # by the IKM


QUOTE_STATE_LABELS = {
    QuoteState.SUBMITTED: _l("Waiting for the buyer"),
    QuoteState.ACCEPTED: _l("Accepted"),
    QuoteState.DECLINED: _l("Declined by the buyer"),
    QuoteState.WITHDRAWN: _l("Withdrawn"),
}


class BuyerRequest(TimestampMixin, db.Model):
    """What a buyer organisation (a Buyer, or a Partner that also orders) wants made.

    ``quantity`` is in ``unit``; ``target_unit_price`` (Rupiah per ``unit``) is seen only by
    the buyer's members and administrators.
    """

    __tablename__ = "buyer_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    specification: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    target_unit_price: Mapped[int | None] = mapped_column(Integer)
    required_certificates: Mapped[list] = mapped_column(JSON, default=list)
    preferred_certificates: Mapped[list] = mapped_column(JSON, default=list)
    delivery_on: Mapped[date] = mapped_column(Date)
    province_code: Mapped[str | None] = mapped_column(String(2))
    regency_code: Mapped[str | None] = mapped_column(String(5))
    region_edition: Mapped[str | None] = mapped_column(String(40))
    allow_consortium: Mapped[bool] = mapped_column(Boolean, default=False)
    max_group_size: Mapped[int | None] = mapped_column(Integer)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.INVITED)
    state: Mapped[str] = mapped_column(String(10), default=RequestState.DRAFT, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    buyer = relationship("Organisation", lazy="joined")
    category = relationship("Category", lazy="joined")

    @property
    def state_label(self) -> str:
        return str(REQUEST_STATE_LABELS[RequestState(self.state)])

    @property
    def region_label(self) -> str:
        return regions.label(self.regency_code, self.region_edition or regions.REGION_EDITION)

    @property
    def group_limit(self) -> int:
        """The largest group of IKMs that may share the order (1 when it may not be shared)."""
        return (self.max_group_size or 1) if self.allow_consortium else 1


class Recipient(db.Model):
    """An IKM the request was sent to; ``allocated_quantity`` is its share in a consortium."""

    __tablename__ = "request_recipients"
    __table_args__ = (UniqueConstraint("request_id", "ikm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True
    )
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    allocated_quantity: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)

    request = relationship("BuyerRequest")
    ikm = relationship("IKM", lazy="joined")


class Quote(TimestampMixin, db.Model):
    """An IKM's offer for a request; its current terms, and every earlier revision in
    ``revisions``. ``accepted_quantity`` (in the request's unit) commits the IKM's capacity."""

    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("request_id", "ikm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True
    )
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default=QuoteState.SUBMITTED, index=True)
    unit_price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    delivery_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    accepted_quantity: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request = relationship("BuyerRequest", lazy="joined")
    ikm = relationship("IKM", lazy="joined")
    revisions = relationship(
        "QuoteRevision", back_populates="quote", order_by="QuoteRevision.number"
    )

    @property
    def state_label(self) -> str:
        return str(QUOTE_STATE_LABELS[QuoteState(self.state)])


class QuoteRevision(db.Model):
    """The terms of a quote as sent at one time; the newest is the quote's current terms."""

    __tablename__ = "quote_revisions"
    __table_args__ = (UniqueConstraint("quote_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    delivery_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    quote = relationship("Quote", back_populates="revisions")


class SavedIKM(db.Model):
    """An IKM on a buyer organisation's shortlist."""

    __tablename__ = "saved_ikms"
    __table_args__ = (UniqueConstraint("buyer_org_id", "ikm_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    ikm = relationship("IKM", foreign_keys=[ikm_id], lazy="joined")


class SavedProduct(db.Model):
    """A product on a buyer organisation's shortlist; it counts for its IKM when the buyer
    sends a request from the shortlist."""

    __tablename__ = "saved_products"
    __table_args__ = (UniqueConstraint("buyer_org_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class EnquiryThread(db.Model):
    """A conversation between a buyer organisation and an IKM, about a request, a product or
    nothing in particular: one thread per buyer, IKM and subject (``subject`` is
    ``"request:<id>"``, ``"product:<id>"`` or ``""``, so that the unique key holds without
    NULLs, which SQLite and PostgreSQL both let repeat)."""

    __tablename__ = "enquiry_threads"
    __table_args__ = (UniqueConstraint("buyer_org_id", "ikm_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    ikm_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(40), default="")
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyer_requests.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    buyer = relationship("Organisation", foreign_keys=[buyer_org_id], lazy="joined")
    ikm = relationship("IKM", foreign_keys=[ikm_id], lazy="joined")
    request = relationship("BuyerRequest", lazy="joined")
    product = relationship("Product", lazy="joined")


class ThreadMessage(db.Model):
    """One plain-text message; ``sender_org_id`` is the side it came from (the thread's buyer
    or its IKM), so that the other side's members count it as unread."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry_threads.id", ondelete="CASCADE"), index=True
    )
    sender_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author = relationship("User", lazy="joined")


class ThreadRead(db.Model):
    """How far one person has read a thread: the last message they saw."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("enquiry_threads.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
