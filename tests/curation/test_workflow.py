"""Every allowed transition, and every forbidden one, through the one door (workflow.transition)."""

import pytest

from app.auth.models import User
from app.core.errors import Forbidden, InvalidTransition
from app.curation.models import Submission, SubmissionEvent
from app.curation.models import SubmissionState as S
from app.curation.workflow import RULES, Action, Actor, transition
from app.extensions import db

ALL_STATES = [None, *S]


def run(app, scene, action, state, who):
    """Put the submission in ``state`` and try ``action`` as ``who`` (ikm, partner_admin, curator, other)."""
    with app.app_context(), db.session.no_autoflush:
        submission = db.session.get(Submission, scene.submission.id)
        if state is None:  # a submission that does not exist yet
            round, product, ikm = submission.round, submission.product, submission.ikm
            db.session.delete(submission)
            db.session.flush()
            submission = Submission(state=None, snapshot={}, cycle=1)
            db.session.add(submission)
            submission.round, submission.product, submission.ikm = round, product, ikm
        submission.state = state
        user = db.session.get(
            User,
            {
                "ikm": scene.owner,
                "partner_admin": scene.admin,
                "curator": scene.curators[0],
                "other": scene.other,
            }[who].id,
        )
        try:
            transition(submission, action, by=user, note="catatan")
        except (Forbidden, InvalidTransition) as error:
            db.session.rollback()
            return type(error).__name__
        db.session.commit()
        event = db.session.scalars(
            db.select(SubmissionEvent).order_by(SubmissionEvent.id.desc())
        ).first()
        return event.from_state, event.to_state, event.actor_id == user.id, event.note


@pytest.fixture
def scene(scene, make):
    scene.other, _ = make.ikm_owner()
    return scene


CASES = [(action, state) for action in Action for state in ALL_STATES]


@pytest.mark.parametrize("action, state", CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_the_transition_table(app, scene, action, state):
    rule = RULES[action]
    rightful = "ikm" if rule.actor is Actor.IKM else "partner_admin"
    outcome = run(app, scene, action, state, rightful)
    if state in rule.sources:
        assert outcome == (state, rule.target, True, "catatan")  # recorded: from, to, who, note
    else:
        assert outcome == "InvalidTransition"


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", ["curator", "other", "ikm", "partner_admin"])
def test_only_the_named_actor_may_act(app, scene, action, who):
    rule = RULES[action]
    rightful = "ikm" if rule.actor is Actor.IKM else "partner_admin"
    state = next(iter(s for s in rule.sources if s is not None), None)
    outcome = run(app, scene, action, state, who)
    if who == rightful:
        assert outcome[1] == rule.target
    else:
        assert outcome == "Forbidden"


def test_an_ikm_cannot_accept_its_own_submission(app, scene, client):
    from tests.conftest import login

    with app.app_context():
        db.session.get(Submission, scene.submission.id).state = S.IN_REVIEW
        db.session.commit()
    login(client, scene.owner)
    for path in (
        f"/kurasi/pengajuan/{scene.submission.id}/keputusan",
        f"/kurasi/ronde/{scene.round.id}/terbitkan",
    ):
        assert client.post(path, data={"decision": "accept"}).status_code == 404
    with app.app_context():
        submission = db.session.get(Submission, scene.submission.id)
        assert submission.state == S.IN_REVIEW and submission.staged_decision is None
