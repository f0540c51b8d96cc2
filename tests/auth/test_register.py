from app.auth.models import User
from app.core import clock
from app.extensions import db
from app.orgs.models import IKM, Buyer, MemberRole, VerificationStatus
from tests.conftest import links_in, login, page_text
from tests.factories import PASSWORD


def register(client, **overrides):
    data = {
        "account_type": "ikm",
        "full_name": "Slamet Riyadi",
        "organisation_name": "Sepatu Sumber Rejeki",
        "email": "slamet@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(overrides)
    return client.post("/akun/daftar", data=data, follow_redirects=True)


def test_ikm_owner_registers_confirms_and_logs_in(app, client, outbox):
    response = register(client)
    assert response.status_code == 200
    assert "slamet@example.com" in page_text(response)
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="slamet@example.com"))
        assert user.email_confirmed_at is None
        [member] = user.memberships
        assert member.role == MemberRole.OWNER
        assert isinstance(member.organisation, IKM)
        assert member.organisation.status == VerificationStatus.DRAFT
    [message] = outbox
    assert message["To"] == "slamet@example.com"
    [link] = links_in(message)
    # Not confirmed yet: the login is refused and a fresh link is sent.
    refused = client.post("/akun/masuk", data={"email": "slamet@example.com", "password": PASSWORD})
    assert refused.status_code == 200
    assert len(outbox) == 2
    confirmed = client.get(link.removeprefix("http://localhost"))
    assert confirmed.status_code == 302
    assert login(client, user).headers["Location"] == "/dasbor"


def test_buyer_registers_as_company_or_individual(app, client):
    register(
        client, account_type="buyer_company", organisation_name="PT Sinar", email="a@example.com"
    )
    register(
        client,
        account_type="buyer_individual",
        organisation_name="",
        full_name="Dewi Lestari",
        email="b@example.com",
    )
    with app.app_context():
        buyers = {b.name: b.buyer_type for b in db.session.scalars(db.select(Buyer))}
    assert buyers == {"PT Sinar": "company", "Dewi Lestari": "individual"}


def test_registration_is_in_indonesian_by_default(client):
    response = client.get("/akun/daftar")
    assert 'lang="id"' in response.get_data(as_text=True)
    assert "Kata sandi" in page_text(response)


def test_bad_input_is_explained_and_creates_nothing(app, client, outbox):
    cases = [
        ({"password": "short", "confirm": "short"}, "12"),
        ({"password": "password1234", "confirm": "password1234"}, "sering digunakan"),
        ({"confirm": "something else entirely"}, "tidak sama"),
        ({"email": "not-an-email"}, "email"),
        ({"organisation_name": ""}, "nama usaha"),
        ({"full_name": ""}, "wajib"),
        ({"password": "x" * 129, "confirm": "x" * 129}, "128"),
    ]
    for overrides, expected in cases:
        response = register(client, **overrides)
        assert response.status_code == 200
        assert expected.lower() in page_text(response).lower(), overrides
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert outbox == []


def test_registering_a_taken_email_reveals_nothing(app, client, make, outbox):
    existing = make.user(email="taken@example.com")
    response = register(client, email="Taken@Example.com")
    assert response.status_code == 200
    assert "taken@example.com" in page_text(response).lower()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        assert db.session.scalar(db.select(db.func.count(IKM.id))) == 0
    [message] = outbox
    assert message["To"] == existing.email
    assert "/akun/lupa-sandi" in message.get_content()


def test_extra_fields_are_ignored(app, client):
    confirmed_at = clock.now().isoformat()
    register(client, is_admin="1", email_confirmed_at=confirmed_at, status="verified")
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert not user.is_admin
        assert user.email_confirmed_at is None
        assert user.memberships[0].organisation.status == VerificationStatus.DRAFT


def test_confirmation_link_that_was_tampered_with_is_refused(app, client, outbox):
    register(client)
    [link] = links_in(outbox[0])
    response = client.get(link.removeprefix("http://localhost")[:-3] + "abc", follow_redirects=True)
    assert "tidak valid" in page_text(response)
    with app.app_context():
        assert db.session.scalar(db.select(User)).email_confirmed_at is None


def test_logged_in_people_are_sent_to_their_dashboard(client, make):
    login(client, make.user())
    assert client.get("/akun/daftar").headers["Location"] == "/dasbor"


def test_a_new_confirmation_link_can_be_requested(client, make, outbox):
    unconfirmed = make.user(confirmed=False)
    confirmed = make.user()
    for email in (unconfirmed.email, confirmed.email, "nobody@example.com"):
        response = client.post("/akun/konfirmasi", data={"email": email})
        assert response.status_code == 200 and email in page_text(response)
    assert [m["To"] for m in outbox] == [unconfirmed.email]
    assert client.post("/akun/konfirmasi", data={"email": "bukan email"}).status_code == 200
    assert len(outbox) == 1
