"""Every model module, imported in one place so that Alembic and the tests see the schema."""

from app.auth.models import User  # noqa: F401
from app.catalog.models import Category, Certificate, Photo, PriceTier, Product  # noqa: F401
from app.core.audit import AuditEntry  # noqa: F401
from app.core.mail import OutgoingEmail  # noqa: F401
from app.core.notifications import Notification  # noqa: F401
from app.curation.models import (  # noqa: F401
    Assignment,
    Conflict,
    Review,
    Round,
    Rubric,
    RubricCriterion,
    Submission,
    SubmissionEvent,
)
from app.events.models import (  # noqa: F401
    Event,
    Meeting,
    MeetingInvitee,
    MeetingRequest,
    Participant,
)
from app.matching.models import BuyerRequest, Quote, QuoteRevision, Recipient  # noqa: F401
from app.orgs.models import IKM, Buyer, Invitation, Membership, Organisation, Partner  # noqa: F401
from app.search.models import IndexJob  # noqa: F401
from app.storage import StoredFile  # noqa: F401
