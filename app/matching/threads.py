"""Enquiry threads between a buyer organisation and an IKM: starting one about a product or a
request, replying, read markers and unread counts. Services flush and never commit; the other
side is told in the site and by email, and the email goes out after the response."""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError

from app.catalog.models import Product
from app.core import audit, clock
from app.core.errors import DomainValidationError, Forbidden
from app.core.notifications import notify
from app.core.paging import ROWS, Page, paginate
from app.core.urls import path_for
from app.curation import listing
from app.extensions import db
from app.matching import permissions
from app.matching.models import BuyerRequest, EnquiryThread, Recipient, ThreadMessage, ThreadRead
from app.orgs.models import IKM, MemberRole
from app.orgs.services import tell_ikm

MAX_MESSAGE = 4000  # characters: a long enquiry, far from a pasted document


def clean_body(body: str | None) -> str:
    """The message as it will be kept.

    :raises DomainValidationError: when it is empty or longer than ``MAX_MESSAGE``
    """
    text = (body or "").strip()
    if not text:
        raise DomainValidationError(_l("Write a message first."), field="body")
    if len(text) > MAX_MESSAGE:
        raise DomainValidationError(
            _l("The message is too long: at most %(n)d characters.", n=MAX_MESSAGE), field="body"
        )
    return text


def participant_org_ids(user) -> list[int]:
    """The organisations whose threads ``user`` takes part in: every buyer or partner
    organisation they belong to, and the IKMs they own or work for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        m.organisation_id
        for m in user.memberships
        if isinstance(m.organisation, permissions.ORDERING_KINDS)
        or (isinstance(m.organisation, IKM) and m.role in (MemberRole.OWNER, MemberRole.STAFF))
    )


def is_listed(product_id: int) -> bool:
    return bool(listing.badges_for([product_id]).get(product_id))


def find_thread(buyer, ikm, request=None, product=None) -> EnquiryThread | None:
    return db.session.scalar(
        db.select(EnquiryThread).filter_by(
            buyer_org_id=buyer.id, ikm_id=ikm.id, subject=_subject(request, product)
        )
    )


def _subject(request=None, product=None) -> str:
    if request is not None:
        return f"request:{request.id}"
    return f"product:{product.id}" if product is not None else ""


def is_recipient(request: BuyerRequest, ikm_id: int) -> bool:
    return (
        db.session.scalar(db.select(Recipient.id).filter_by(request_id=request.id, ikm_id=ikm_id))
        is not None
    )


def ask_about_product(buyer, product: Product, body: str, by) -> ThreadMessage:
    """A buyer's message to the maker of ``product``, in their thread about it (started now
    if there is none).

    :raises DomainValidationError: for an empty or too long message, or a product that is not
        in the catalogue
    """
    text = clean_body(body)
    if product is None or not is_listed(product.id):
        raise DomainValidationError(_l("This product is not in the catalogue."))
    return _post(_thread_for(buyer, product.ikm, by, product=product), buyer.id, text, by)


def ask_about_request(request: BuyerRequest, ikm: IKM, body: str, by) -> ThreadMessage:
    """A buyer's message to an IKM its request was sent to.

    :raises DomainValidationError: for an empty or too long message, or an IKM the request
        was not sent to
    """
    text = clean_body(body)
    if not is_recipient(request, ikm.id):
        raise DomainValidationError(_l("This request was not sent to this IKM."))
    thread = _thread_for(request.buyer, ikm, by, request=request)
    return _post(thread, request.buyer_org_id, text, by)


def reply(thread: EnquiryThread, body: str, by) -> ThreadMessage:
    """A message from either side of ``thread``.

    :raises Forbidden: when ``by`` speaks for neither side (administrators only read)
    :raises DomainValidationError: for an empty or too long message
    """
    is_buyer, is_ikm = permissions.thread_sides(by, thread)
    if not (is_buyer or is_ikm):
        raise Forbidden(_l("Only the buyer and the IKM write in this conversation."))
    text = clean_body(body)
    return _post(thread, thread.buyer_org_id if is_buyer else thread.ikm_id, text, by)


def _thread_for(buyer, ikm, by, request=None, product=None) -> EnquiryThread:
    found = find_thread(buyer, ikm, request, product)
    if found is not None:
        return found
    now = clock.now()
    thread = EnquiryThread(
        buyer_org_id=buyer.id,
        ikm_id=ikm.id,
        subject=_subject(request, product),
        request_id=request.id if request is not None else None,
        product_id=product.id if product is not None else None,
        created_at=now,
        last_message_at=now,
    )
    try:
        with db.session.begin_nested():  # another tab of the same buyer may start it too
            db.session.add(thread)
    except IntegrityError:
        return find_thread(buyer, ikm, request, product)
    audit.record("thread.started", thread, actor=by)
    return thread


def _post(thread: EnquiryThread, sender_org_id: int, text: str, by) -> ThreadMessage:
    message = ThreadMessage(
        thread_id=thread.id,
        sender_org_id=sender_org_id,
        author_id=by.id,
        body=text,
        created_at=clock.now(),
    )
    db.session.add(message)
    thread.last_message_at = message.created_at
    db.session.flush()
    mark_read(thread, by, message.id)
    _tell_other_side(thread, message, by)
    return message


def topic(thread: EnquiryThread) -> str:
    """What the thread is about, in the active language."""
    if thread.product is not None:
        return thread.product.name
    if thread.request is not None:
        return thread.request.title
    return str(_l("General enquiry"))


def _tell_other_side(thread: EnquiryThread, message: ThreadMessage, by) -> None:
    url = path_for("matching.thread", thread_id=thread.id)
    key = f"message:{message.id}"
    from_buyer = message.sender_org_id == thread.buyer_org_id
    sender = thread.buyer if from_buyer else thread.ikm
    text = _l(
        "New message from %(sender)s: %(topic)s", sender=sender.name, topic=_TopicText(thread)
    )
    context = dict(
        template="matching_message", thread=thread, message=message, sender=sender, topic=topic
    )
    if from_buyer:
        tell_ikm(thread.ikm, key, text, url, **context)
        return
    for member in thread.buyer.memberships:
        if member.user_id != by.id:
            notify(member.user, key, text, url, subject=text, **context)


class _TopicText:
    """The topic rendered when the notification text is, in the recipient's language."""

    def __init__(self, thread: EnquiryThread):
        self.thread = thread

    def __str__(self) -> str:
        return topic(self.thread)


def mark_read(thread: EnquiryThread, user, up_to: int | None = None) -> None:
    """Remember that ``user`` has read ``thread`` up to message ``up_to`` (its newest). The
    marker only moves forward, whichever of two tabs writes last."""
    if has_request_context():
        g.pop("unread_totals", None)
    if up_to is None:
        up_to = db.session.scalar(
            db.select(func.max(ThreadMessage.id)).filter_by(thread_id=thread.id)
        )
    if up_to is None:
        return
    mine = (ThreadRead.thread_id == thread.id) & (ThreadRead.user_id == user.id)
    if db.session.scalar(db.select(ThreadRead.id).where(mine)) is None:
        try:
            with db.session.begin_nested():  # the same person's other tab may add it first
                db.session.add(
                    ThreadRead(
                        thread_id=thread.id,
                        user_id=user.id,
                        last_read_message_id=up_to,
                        read_at=clock.now(),
                    )
                )
            return
        except IntegrityError:
            pass
    db.session.execute(
        db.update(ThreadRead)
        .where(mine, ThreadRead.last_read_message_id < up_to)
        .values(last_read_message_id=up_to, read_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def _unread_condition(user, org_ids: list[int]):
    """Messages of a thread's other side that ``user`` has not read (with ``ThreadRead`` outer
    joined on the thread and this user)."""
    return and_(
        ThreadMessage.sender_org_id.not_in(org_ids),
        ThreadMessage.id > func.coalesce(ThreadRead.last_read_message_id, 0),
    )


def _involving(org_ids: list[int]):
    return or_(EnquiryThread.buyer_org_id.in_(org_ids), EnquiryThread.ikm_id.in_(org_ids))


def unread_total(user) -> int:
    """How many messages from the other side ``user`` has not read, over all their threads:
    one query per request, which the navigation and the dashboard share (``mark_read``
    forgets it)."""
    org_ids = participant_org_ids(user)
    if not org_ids:
        return 0
    known = g.setdefault("unread_totals", {}) if has_request_context() else {}
    if user.id not in known:
        known[user.id] = _count_unread(user, org_ids)
    return known[user.id]


def _count_unread(user, org_ids: list[int]) -> int:
    return db.session.scalar(
        db.select(func.count(ThreadMessage.id))
        .join(EnquiryThread, ThreadMessage.thread_id == EnquiryThread.id)
        .outerjoin(
            ThreadRead,
            and_(ThreadRead.thread_id == EnquiryThread.id, ThreadRead.user_id == user.id),
        )
        .where(_involving(org_ids), _unread_condition(user, org_ids))
    )


def inbox(user, number: int, org_ids: list[int] | None = None) -> Page:
    """A page of (thread, unread count) of ``user``'s threads (or only those of ``org_ids``,
    which must be among theirs), latest message first: two queries whatever the page holds."""
    mine = participant_org_ids(user)
    org_ids = [i for i in (org_ids if org_ids is not None else mine) if i in mine]
    unread = (
        db.select(func.count(ThreadMessage.id))
        .outerjoin(
            ThreadRead,
            and_(ThreadRead.thread_id == ThreadMessage.thread_id, ThreadRead.user_id == user.id),
        )
        .where(ThreadMessage.thread_id == EnquiryThread.id, _unread_condition(user, mine or [0]))
        .correlate(EnquiryThread)
        .scalar_subquery()
    )
    query = (
        db.select(EnquiryThread, unread.label("unread"))
        .where(_involving(org_ids or [0]))
        .order_by(EnquiryThread.last_message_at.desc(), EnquiryThread.id.desc())
    )
    return paginate(query, number, ROWS, scalars=False)


def messages(thread: EnquiryThread, number: int) -> Page:
    """A page of the thread's messages, oldest first."""
    return paginate(
        db.select(ThreadMessage).filter_by(thread_id=thread.id).order_by(ThreadMessage.id),
        number,
        ROWS,
    )


def request_threads(request: BuyerRequest, ikm_ids: list[int]) -> dict[int, EnquiryThread]:
    """The request's threads with these IKMs (a page of its recipients), by IKM id: one query."""
    found = db.session.scalars(
        db.select(EnquiryThread).where(
            EnquiryThread.request_id == request.id, EnquiryThread.ikm_id.in_(ikm_ids or [0])
        )
    )
    return {t.ikm_id: t for t in found}
