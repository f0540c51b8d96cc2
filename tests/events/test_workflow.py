"""An event's states and a meeting request's answers: the guards and the audit trail."""

from __future__ import annotations

import pytest

from app.auth.models import User
from app.core.audit import entries_for
from app.core.errors import Forbidden, InvalidTransition
from app.events import meetings, workflow
from app.events.models import Event, EventState, MeetingRequest
from app.extensions import db

A = workflow.Action


def test_an_event_moves_from_draft_to_closed_in_order_and_each_step_is_audited(app, events):
    event = events.event(state="draft")
    with app.app_context():
        admin = db.session.get(User, events.admin().id)
        found = db.session.get(Event, event.id)
        steps = [
            (A.OPEN_REGISTRATION, EventState.REGISTRATION_OPEN),
            (A.CLOSE_REGISTRATION, EventState.SCHEDULING),
            (A.PUBLISH, EventState.PUBLISHED),
            (A.START, EventState.RUNNING),
            (A.CLOSE, EventState.CLOSED),
        ]
        for action, target in steps:
            assert workflow.allowed(found, action, admin)
            workflow.transition(found, action, by=admin)
            assert found.state == target
        trail = [(e.action, e.details.get("to_state")) for e in entries_for(found)]
        assert trail[0] == ("event.created", None)
        assert trail[1:] == [(f"event.{a.value}", t.value) for a, t in steps]


@pytest.mark.parametrize(
    "state, action",
    [
        ("draft", A.CLOSE_REGISTRATION),
        ("draft", A.PUBLISH),
        ("registration_open", A.OPEN_REGISTRATION),
        ("registration_open", A.START),
        ("scheduling", A.OPEN_REGISTRATION),
        ("published", A.CLOSE),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(app, events, state, action):
    event = events.event(state=state)
    with app.app_context():
        admin = db.session.get(User, events.admin().id)
        found = db.session.get(Event, event.id)
        assert not workflow.allowed(found, action, admin)
        with pytest.raises(InvalidTransition):
            workflow.transition(found, action, by=admin)
        assert found.state == state


def test_only_an_administrator_runs_an_event(app, events, ikm_owner):
    event = events.event(state="draft")
    with app.app_context():
        user = db.session.get(User, ikm_owner.id)
        found = db.session.get(Event, event.id)
        assert not workflow.allowed(found, A.OPEN_REGISTRATION, user)
        with pytest.raises(Forbidden):
            workflow.transition(found, A.OPEN_REGISTRATION, by=user)
        assert found.state == "draft"


def test_a_meeting_is_accepted_and_only_an_invitee_answers_once(app, events, hall):
    request = events.meeting_request(hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"])
    with app.app_context():
        found = db.session.get(MeetingRequest, request.id)
        with pytest.raises(Forbidden):  # the sender cannot accept for the IKM
            meetings.answer(found, True, by=db.session.get(User, hall["buyer_user"].id))
        with pytest.raises(Forbidden):  # nor can another participant
            meetings.answer(found, True, by=db.session.get(User, hall["owner_b"].id))
        owner = db.session.get(User, hall["owner_a"].id)
        meetings.answer(found, True, by=owner)
        assert found.state == "accepted"
        with pytest.raises(InvalidTransition):
            meetings.answer(found, False, by=owner)
        assert [e.action for e in entries_for(found)] == [
            "meeting_request.created",
            "meeting_request.accepted",
        ]


def test_a_table_with_several_ikms_waits_for_all_and_one_decline_declines_it(app, events, hall):
    request = events.meeting_request(
        hall["event"], hall["buyer"], [hall["a"], hall["b"]], hall["buyer_user"]
    )
    accepted = events.answer(request, True, by=hall["owner_a"])
    assert accepted.state == "requested"
    declined = events.answer(request, False, by=hall["owner_b"])
    assert declined.state == "declined"

    other = events.meeting_request(
        hall["event"], hall["buyer"], [hall["a"], hall["b"]], hall["buyer_user"]
    )
    events.answer(other, True, by=hall["owner_b"])
    assert events.answer(other, True, by=hall["owner_a"]).state == "accepted"


def test_the_sender_cancels_and_answers_close_with_the_requests(app, events, hall):
    request = events.meeting_request(hall["event"], hall["buyer"], [hall["a"]], hall["buyer_user"])
    with app.app_context():
        found = db.session.get(MeetingRequest, request.id)
        with pytest.raises(Forbidden):
            meetings.cancel(found, by=db.session.get(User, hall["owner_a"].id))
        meetings.cancel(found, by=db.session.get(User, hall["buyer_user"].id))
        assert found.state == "cancelled"
        with pytest.raises(InvalidTransition):
            meetings.answer(found, True, by=db.session.get(User, hall["owner_a"].id))

    later = events.meeting_request(hall["event"], hall["buyer"], [hall["b"]], hall["buyer_user"])
    with app.app_context():
        admin = db.session.get(User, events.admin().id)
        event = db.session.get(Event, hall["event"].id)
        workflow.transition(event, A.CLOSE_REGISTRATION, by=admin)
        workflow.transition(event, A.PUBLISH, by=admin)
        workflow.transition(event, A.START, by=admin)  # late answers are taken until the start
        found = db.session.get(MeetingRequest, later.id)
        with pytest.raises(InvalidTransition):
            meetings.answer(found, True, by=db.session.get(User, hall["owner_b"].id))
        assert found.state == "requested"
