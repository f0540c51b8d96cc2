"""The life of a buyer request: states, the transitions between them, who may trigger each.

Every change of a request's state goes through :func:`transition`, which checks the actor's
right and the current state (the guard), applies the change and records it in the audit trail
(``request.<action>``, with the states before and after).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core import audit, clock
from app.core.errors import Forbidden, InvalidTransition
from app.matching.models import BuyerRequest
from app.matching.models import RequestState as S
from app.matching.permissions import can_manage_request


class Actor(StrEnum):
    BUYER = "buyer"  # a member of the request's buyer organisation
    SYSTEM = "system"  # the site itself: covered quantities, passed delivery dates


class Action(StrEnum):
    OPEN = "open"
    AWARD = "award"
    CLOSE = "close"
    CANCEL = "cancel"
    EXPIRE = "expire"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    target: S
    actor: Actor


RULES: dict[Action, Rule] = {
    Action.OPEN: Rule(frozenset({S.DRAFT}), S.OPEN, Actor.BUYER),
    Action.AWARD: Rule(frozenset({S.OPEN}), S.AWARDED, Actor.SYSTEM),
    Action.CLOSE: Rule(frozenset({S.OPEN, S.AWARDED}), S.CLOSED, Actor.BUYER),
    Action.CANCEL: Rule(frozenset({S.DRAFT, S.OPEN}), S.CANCELLED, Actor.BUYER),
    Action.EXPIRE: Rule(frozenset({S.OPEN}), S.EXPIRED, Actor.SYSTEM),
}

ACTION_LABELS = {
    Action.OPEN: _l("Request opened"),
    Action.AWARD: _l("Request awarded"),
    Action.CLOSE: _l("Request closed"),
    Action.CANCEL: _l("Request cancelled"),
    Action.EXPIRE: _l("Request expired"),
}

EDITABLE = frozenset({S.DRAFT, S.OPEN})

# The audit trail's page names each entry; these are the request's (core knows no domain part).
audit.ACTION_LABELS.update(
    {f"request.{action.value}": label for action, label in ACTION_LABELS.items()}
    | {
        "request.created": _l("Request created"),
        "request.updated": _l("Request changed"),
        "request.sent": _l("Request sent to IKMs"),
        "request.declined_by_ikm": _l("Declined by an IKM"),
        "quote.submitted": _l("Quote sent"),
        "quote.revised": _l("Quote revised"),
        "quote.accepted": _l("Quote accepted"),
        "quote.declined": _l("Quote declined"),
        "quote.withdrawn": _l("Quote withdrawn"),
    }
)


def _acts_as(user, actor: Actor, request: BuyerRequest) -> bool:
    if actor is Actor.SYSTEM:
        return user is None
    return user is not None and can_manage_request(user, request)


def allowed(request: BuyerRequest, action: Action, user) -> bool:
    """Whether ``user`` may take ``action`` on ``request`` now (for showing buttons)."""
    rule = RULES[action]
    return S(request.state) in rule.sources and _acts_as(user, rule.actor, request)


def transition(request: BuyerRequest, action: Action, by=None) -> BuyerRequest:
    """Move ``request`` by ``action``; the one door every state change goes through.

    :param by: the user acting, or None for the site itself (awarding, expiring)
    :raises Forbidden: when ``by`` may not take this action on this request
    :raises InvalidTransition: when the request's state does not allow it
    """
    rule = RULES[action]
    if not _acts_as(by, rule.actor, request):
        raise Forbidden(_l("You may not do this."))
    current = S(request.state)
    if current not in rule.sources:
        raise InvalidTransition(_l("This request is no longer in a state that allows this."))
    request.state = rule.target
    if action is Action.OPEN:
        request.opened_at = clock.now()
    audit.record(
        f"request.{action.value}", request, actor=by, from_state=current, to_state=rule.target
    )
    return request
