"""The scheduler's input read from an event: accepted meetings, availability, limits."""

from __future__ import annotations

from app.events.models import Event, Meeting
from app.events.planning import problem_data
from app.extensions import db


def test_only_accepted_meetings_go_to_the_scheduler_with_what_is_fixed(app, events, hall):
    event = hall["event"]
    kept = events.meeting_request(event, hall["buyer"], [hall["a"]], hall["buyer_user"], priority=3)
    events.answer(kept, True, by=hall["owner_a"])
    group = events.meeting_request(event, hall["buyer"], [hall["a"], hall["b"]], hall["buyer_user"])
    events.answer(group, True, by=hall["owner_a"])  # b has not answered yet
    refused = events.meeting_request(event, hall["buyer"], [hall["b"]], hall["buyer_user"])
    events.answer(refused, False, by=hall["owner_b"])
    with app.app_context():
        db.session.add(
            Meeting(event_id=event.id, request_id=kept.id, slot=2, table_number=4, is_pinned=True)
        )
        db.session.commit()
        data = problem_data(db.session.get(Event, event.id))
    assert (data.slots, data.tables) == (5, 10)
    assert [(m.id, m.participants, m.priority, m.pinned) for m in data.meetings] == [
        (kept.id, frozenset({hall["buyer"].id, hall["a"].id}), 3, (2, 4))
    ]
    assert data.available[hall["a"].id] == frozenset(range(5))
    assert data.limits == {hall["buyer"].id: 4, hall["a"].id: 4, hall["b"].id: 4}
    assert data.ikms == frozenset({hall["a"].id, hall["b"].id})
