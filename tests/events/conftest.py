"""Events, registrations and meeting requests for the events tests. Every date counts from
the app's clock."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from app.core import clock
from app.extensions import db
from tests.factories import _detach
from tests.matching.conftest import buyer_org, matching, shoemakers  # noqa: F401

ALL_KINDS = ["ikm", "buyer", "partner", "supplier", "observer"]


def event_values(**overrides) -> dict:
    """A morning of 30-minute meetings with a coffee break: five slots, two weeks ahead."""
    today = clock.today()
    values = dict(
        name="Temu Bisnis Alas Kaki",
        venue="Graha Mojokerto Service City",
        description="Pertemuan IKM alas kaki dengan pembeli.",
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=14),
        day_starts_at=time(9),
        day_ends_at=time(12),
        meeting_minutes=30,
        breaks=[(time(10, 30), time(10, 45))],
        tables=10,
        registration_opens_on=today,
        registration_closes_on=today + timedelta(days=10),
        invited_kinds=ALL_KINDS,
        invited_sectors=[],
    )
    values.update(overrides)
    return values


def event_form(**overrides) -> dict:
    """What the office types into the event form (the same event as ``event_values``)."""
    values = event_values()
    form = {
        "name": values["name"],
        "venue": values["venue"],
        "description": values["description"],
        "starts_on": values["starts_on"].isoformat(),
        "ends_on": values["ends_on"].isoformat(),
        "day_starts_at": "09:00",
        "day_ends_at": "12:00",
        "meeting_minutes": "30",
        "breaks": "10:30-10:45",
        "tables": "10",
        "registration_opens_on": values["registration_opens_on"].isoformat(),
        "registration_closes_on": values["registration_closes_on"].isoformat(),
        "invited_kinds": ["ikm", "buyer"],
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


class EventsFactory:
    def __init__(self, app, make):
        self.app = app
        self.make = make
        self._admin = None

    def admin(self):
        if self._admin is None:
            self._admin = self.make.admin()
        return self._admin

    def event(self, state: str = "registration_open", **overrides):
        from app.auth.models import User
        from app.events import services, workflow
        from app.events.services import EventData

        with self.app.app_context():
            admin = db.session.get(User, self.admin().id)
            found = services.create_event(
                EventData(**event_values(**overrides)), by=admin, today=clock.today()
            )
            path = [
                ("registration_open", workflow.Action.OPEN_REGISTRATION),
                ("scheduling", workflow.Action.CLOSE_REGISTRATION),
                ("published", workflow.Action.PUBLISH),
            ]
            for target, action in path:
                if state == "draft":
                    break
                workflow.transition(found, action, by=admin)
                if target == state:
                    break
            return _detach(found)

    def participant(self, event, org, user, kind: str | None = None, **overrides):
        from app.auth.models import User
        from app.events import services
        from app.events.models import Event
        from app.orgs.models import IKM, Organisation

        with self.app.app_context():
            found_org = db.session.get(Organisation, org.id)
            values = dict(
                kind=kind or ("ikm" if isinstance(found_org, IKM) else "buyer"),
                available_slots=[0, 1, 2, 3, 4],
                max_meetings=4,
                offers="Sepatu kulit wanita",
            )
            values.update(overrides)
            participant = services.register(
                db.session.get(Event, event.id),
                found_org,
                services.RegistrationData(**values),
                by=db.session.get(User, user.id),
                today=clock.today(),
            )
            return _detach(participant)

    def meeting_request(self, event, sender, invitees, by, priority: int = 2):
        from app.auth.models import User
        from app.events import meetings
        from app.events.models import Event, Participant

        with self.app.app_context():
            found = meetings.request_meeting(
                db.session.get(Event, event.id),
                db.session.get(Participant, sender.id),
                [p.id for p in invitees],
                priority,
                "Kami mencari pemasok pantofel.",
                by=db.session.get(User, by.id),
            )
            return _detach(found)

    def answer(self, request, accept: bool, by):
        from app.auth.models import User
        from app.events import meetings
        from app.events.models import MeetingRequest

        with self.app.app_context():
            found = db.session.get(MeetingRequest, request.id)
            meetings.answer(found, accept, by=db.session.get(User, by.id))
            return _detach(found)


@pytest.fixture
def events(app, make):
    return EventsFactory(app, make)


@pytest.fixture
def hall(events, make):
    """An event open for registration with a buyer and two shoemakers registered."""
    event = events.event()
    buyer, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")
    owner_a, ikm_a = make.ikm_owner(name="Sepatu Kota Mojokerto")
    owner_b, ikm_b = make.ikm_owner(name="Sepatu Sooko")
    return {
        "event": event,
        "buyer": events.participant(event, buyer, buyer_user),
        "buyer_user": buyer_user,
        "a": events.participant(event, ikm_a, owner_a),
        "owner_a": owner_a,
        "b": events.participant(event, ikm_b, owner_b),
        "owner_b": owner_b,
    }
