"""The audit trail for the trade office: every recorded action, newest first, filtered.

Two tables record what people did: ``audit_entries`` (``app.core.audit``: verification,
certificates, rounds, reviews, requests, quotes, events, memberships, accounts) and
``submission_events`` (a curation submission's transitions, among them the published
decisions). The trail pages over both at once (a ``UNION ALL`` of ids), then loads the page's
rows of each table in one query, their actors joined, and the names of the objects they
concern in one query per kind of object. The number of statements does not grow with the rows.

**Organisation filter.** An entry belongs to an organisation when

- its object is the organisation itself (membership, invitations, profile, verification,
  partner, shortlist and logo entries are recorded on it), or
- its object belongs to the organisation by its own column: a product's, certificate's or
  quote's IKM, a submission's IKM (or the partner running its round), a round's partner, a
  buyer request's buyer, an event registration's organisation, or
- its details name the organisation as ``ikm_id`` (an IKM declining a request).

Not matched: the list ``ikm_ids`` of a ``request.sent`` entry (that entry shows under the
buyer), and entries about accounts (``user.*``), events as a whole and their meetings, which
belong to no one organisation. The organisation is given by its number or by part of its name
(every organisation whose name contains it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import and_, false, literal, or_, union_all

from app.auth.models import User
from app.catalog.models import Certificate, Product
from app.core import audit
from app.core.audit import AuditEntry
from app.core.paging import ROWS, Page, paginate
from app.curation.models import Round, Submission, SubmissionEvent
from app.curation.workflow import ACTION_LABELS as SUBMISSION_LABELS
from app.events.models import Event, Participant
from app.extensions import db
from app.matching.models import BuyerRequest, Quote
from app.orgs.models import IKM, Organisation, Partner

# The kinds of action one can filter by: the part before the dot.
KINDS = (
    "ikm",
    "certificate",
    "product",
    "submission",
    "assignment",
    "review",
    "round",
    "event",
    "participant",
    "meeting",
    "meeting_request",
    "request",
    "quote",
    "thread",
    "shortlist",
    "member",
    "invitation",
    "partner",
    "organisation",
    "user",
)
SUBMISSIONS = "submission"  # the kind the transitions of submission_events belong to

# A submission's transitions, named in the trail as "submission.<action>".
audit.ACTION_LABELS.update(
    {f"submission.{action.value}": label for action, label in SUBMISSION_LABELS.items()}
)


@dataclass(frozen=True)
class Filters:
    person: str = ""  # part of the actor's email or name
    org: str = ""  # an organisation's number, or part of its name
    kind: str = ""
    since: date | None = None  # in Asia/Jakarta, like every date of the app (clock.today)
    until: date | None = None


@dataclass(frozen=True)
class Row:
    created_at: datetime
    actor: User | None
    action: str
    object_type: str
    object_id: int
    details: dict
    name: str | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        return audit.action_label(self.action)


ZONE = ZoneInfo("Asia/Jakarta")


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), ZONE).astimezone(UTC)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _person_filter(actor_id, person: str):
    pattern = _like(person)
    return actor_id.in_(
        db.select(User.id).where(
            or_(
                db.func.lower(User.email).like(pattern, escape="\\"),
                db.func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    )


def _owned(object_type: str, ids_of_org):
    return and_(AuditEntry.object_type == object_type, AuditEntry.object_id.in_(ids_of_org))


def _org_ids(org: str):
    if org.isdigit():
        return db.select(Organisation.id).where(Organisation.id == int(org))
    return db.select(Organisation.id).where(
        db.func.lower(Organisation.name).like(_like(org), escape="\\")
    )


def _org_filter(org_id):
    """Entries of audit_entries that belong to the organisation (see the module's rule)."""
    return or_(
        and_(
            AuditEntry.object_type == Organisation.__tablename__, AuditEntry.object_id.in_(org_id)
        ),
        _owned(Product.__tablename__, db.select(Product.id).where(Product.ikm_id.in_(org_id))),
        _owned(
            Certificate.__tablename__,
            db.select(Certificate.id).where(Certificate.ikm_id.in_(org_id)),
        ),
        _owned(Quote.__tablename__, db.select(Quote.id).where(Quote.ikm_id.in_(org_id))),
        _owned(Submission.__tablename__, _submissions_of(org_id)),
        _owned(Round.__tablename__, db.select(Round.id).where(Round.partner_id.in_(org_id))),
        _owned(
            BuyerRequest.__tablename__,
            db.select(BuyerRequest.id).where(BuyerRequest.buyer_org_id.in_(org_id)),
        ),
        _owned(
            Participant.__tablename__,
            db.select(Participant.id).where(Participant.organisation_id.in_(org_id)),
        ),
        AuditEntry.details["ikm_id"].as_integer().in_(org_id),
    )


def _submissions_of(org_id):
    return (
        db.select(Submission.id)
        .join(Round, Submission.round_id == Round.id)
        .where(or_(Submission.ikm_id.in_(org_id), Round.partner_id.in_(org_id)))
    )


def _audit_ids(filters: Filters):
    query = db.select(
        literal("a").label("source"), AuditEntry.id.label("id"), AuditEntry.created_at
    )
    if filters.kind:
        query = query.where(AuditEntry.action.like(f"{filters.kind}.%"))
    if filters.person:
        query = query.where(_person_filter(AuditEntry.actor_id, filters.person))
    if filters.org:
        query = query.where(_org_filter(_org_ids(filters.org)))
    if filters.since:
        query = query.where(AuditEntry.created_at >= _moment(filters.since))
    if filters.until:
        query = query.where(AuditEntry.created_at < _moment(filters.until + timedelta(days=1)))
    return query


def _transition_ids(filters: Filters):
    query = db.select(
        literal("s").label("source"), SubmissionEvent.id.label("id"), SubmissionEvent.created_at
    )
    if filters.kind and filters.kind != SUBMISSIONS:
        query = query.where(false())
    if filters.person:
        query = query.where(_person_filter(SubmissionEvent.actor_id, filters.person))
    if filters.org:
        query = query.where(
            SubmissionEvent.submission_id.in_(_submissions_of(_org_ids(filters.org)))
        )
    if filters.since:
        query = query.where(SubmissionEvent.created_at >= _moment(filters.since))
    if filters.until:
        query = query.where(SubmissionEvent.created_at < _moment(filters.until + timedelta(days=1)))
    return query


def trail(filters: Filters, number: int = 1) -> Page:
    """A page of the trail (``Row``s), newest first."""
    both = union_all(_audit_ids(filters), _transition_ids(filters)).subquery()
    query = db.select(both.c.source, both.c.id).order_by(
        both.c.created_at.desc(), both.c.source, both.c.id.desc()
    )
    page = paginate(query, number, ROWS, scalars=False)
    return page.map(_rows)


def _rows(keys) -> list[Row]:
    audit_ids = [id_ for source, id_ in keys if source == "a"]
    transition_ids = [id_ for source, id_ in keys if source == "s"]
    entries = {}
    if audit_ids:
        entries.update(
            (("a", e.id), e)
            for e in db.session.scalars(
                db.select(AuditEntry).where(AuditEntry.id.in_(audit_ids))
            ).unique()
        )
    if transition_ids:
        entries.update(
            (("s", e.id), e)
            for e in db.session.scalars(
                db.select(SubmissionEvent).where(SubmissionEvent.id.in_(transition_ids))
            ).unique()
        )
    rows = []
    for source, id_ in keys:
        entry = entries.get((source, id_))
        if entry is None:
            continue
        if source == "a":
            rows.append(
                Row(
                    entry.created_at,
                    entry.actor,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    entry.details or {},
                )
            )
        else:
            details = {"from_state": entry.from_state, "to_state": entry.to_state}
            if entry.note:
                details["reason"] = entry.note
            rows.append(
                Row(
                    entry.created_at,
                    entry.actor,
                    f"{SUBMISSIONS}.{entry.action}",
                    Submission.__tablename__,
                    entry.submission_id,
                    details,
                )
            )
    return _named(rows)


def _named(rows: list[Row]) -> list[Row]:
    """The rows with the names of their objects and links to them: one query per kind."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.object_type, set()).add(row.object_id)
    names: dict[tuple[str, int], tuple[str, str | None]] = {}
    for object_type, ids in wanted.items():
        namer = _NAMERS.get(object_type)
        if namer is not None:
            for id_, name, url in namer(ids):
                names[(object_type, id_)] = (name, url)
    named = []
    for row in rows:
        name, url = names.get((row.object_type, row.object_id), (None, None))
        named.append(replace(row, name=name, url=url))
    return named


def _organisations(ids):
    for id_, name, kind in db.session.execute(
        db.select(Organisation.id, Organisation.name, Organisation.kind).where(
            Organisation.id.in_(ids)
        )
    ):
        if kind == IKM.__mapper_args__["polymorphic_identity"]:
            url = url_for("admin.ikm_detail", ikm_id=id_)
        elif kind == Partner.__mapper_args__["polymorphic_identity"]:
            url = url_for("admin.partner_detail", partner_id=id_)
        else:
            url = None
        yield id_, name, url


def _users(ids):
    for id_, name in db.session.execute(db.select(User.id, User.full_name).where(User.id.in_(ids))):
        yield id_, name, url_for("admin.user_detail", user_id=id_)


def _products(ids):
    for id_, name in db.session.execute(
        db.select(Product.id, Product.name).where(Product.id.in_(ids))
    ):
        yield id_, name, url_for("showcase.product_page", product_id=id_)


def _certificates(ids):
    for id_, number in db.session.execute(
        db.select(Certificate.id, Certificate.number).where(Certificate.id.in_(ids))
    ):
        yield id_, number, url_for("admin.certificate_detail", certificate_id=id_)


def _rounds(ids):
    for id_, title in db.session.execute(db.select(Round.id, Round.title).where(Round.id.in_(ids))):
        yield id_, title, None


def _submissions(ids):
    for id_, product, round_ in db.session.execute(
        db.select(Submission.id, Product.name, Round.title)
        .join(Product, Submission.product_id == Product.id)
        .join(Round, Submission.round_id == Round.id)
        .where(Submission.id.in_(ids))
    ):
        yield id_, f"{product} · {round_}", None


def _requests(ids):
    for id_, title in db.session.execute(
        db.select(BuyerRequest.id, BuyerRequest.title).where(BuyerRequest.id.in_(ids))
    ):
        yield id_, title, url_for("matching.request_detail", request_id=id_)


def _quotes(ids):
    for id_, request_id, title in db.session.execute(
        db.select(Quote.id, Quote.request_id, BuyerRequest.title)
        .join(BuyerRequest, Quote.request_id == BuyerRequest.id)
        .where(Quote.id.in_(ids))
    ):
        yield id_, title, url_for("matching.request_detail", request_id=request_id)


def _events(ids):
    for id_, name in db.session.execute(db.select(Event.id, Event.name).where(Event.id.in_(ids))):
        yield id_, name, url_for("events.office_event", event_id=id_)


def _participants(ids):
    for id_, org, event in db.session.execute(
        db.select(Participant.id, Organisation.name, Event.name)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .join(Event, Participant.event_id == Event.id)
        .where(Participant.id.in_(ids))
    ):
        yield id_, f"{org} · {event}", None


_NAMERS = {
    Organisation.__tablename__: _organisations,
    User.__tablename__: _users,
    Product.__tablename__: _products,
    Certificate.__tablename__: _certificates,
    Round.__tablename__: _rounds,
    Submission.__tablename__: _submissions,
    BuyerRequest.__tablename__: _requests,
    Quote.__tablename__: _quotes,
    Event.__tablename__: _events,
    Participant.__tablename__: _participants,
}
