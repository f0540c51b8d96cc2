from app.auth.models import User
from app.extensions import db
from app.matching.models import ThreadMessage
from app.orgs.models import IKM, Partner, VerificationStatus
from tests.conftest import login


def test_create_admin(app, runner, client):
    result = runner.invoke(
        args=["users", "create-admin", "--email", "Kepala@Dinas.example", "--name", "Kepala Dinas"],
        input="lampu kota mojokerto\nlampu kota mojokerto\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.is_admin and user.is_confirmed and user.email == "kepala@dinas.example"
    assert login(client, user, password="lampu kota mojokerto").headers["Location"] == "/dasbor"


def test_create_admin_refuses_a_weak_password(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "--email", "a@dinas.example", "--name", "A"],
        input="password\npassword\n",
    )
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def counts(app):
    with app.app_context():
        return {
            "users": db.session.scalar(db.select(db.func.count(User.id))),
            "ikms": db.session.scalar(db.select(db.func.count(IKM.id))),
            "partners": db.session.scalar(db.select(db.func.count(Partner.id))),
            "verified": db.session.scalar(
                db.select(db.func.count(IKM.id)).filter_by(status="verified")
            ),
            "pending": db.session.scalar(
                db.select(db.func.count(IKM.id)).filter_by(status="pending")
            ),
            "messages": db.session.scalar(db.select(db.func.count(ThreadMessage.id))),
        }


def test_seed_demo_is_realistic_and_idempotent(app, runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    before = counts(app)
    assert before["ikms"] >= 12 and before["partners"] >= 3
    assert before["verified"] > 0 and before["pending"] > 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app) == before
    with app.app_context():
        names = set(db.session.scalars(db.select(Partner.name)))
        ikm = db.session.scalar(db.select(IKM).filter_by(status=VerificationStatus.VERIFIED))
        assert {"The Keranjang Bali", "Ramayana", "PT Inti Dragon Suryatama"} <= names
        assert ikm.logo is not None and ikm.regency_code.startswith("35.")
    from app.catalog.models import Certificate, Product
    from app.core import clock

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) >= 20
        products = db.session.scalars(db.select(Product)).all()
        assert all(len(p.photos) >= 2 for p in products)
        assert len({p.photos[0].thumb.key for p in products}) == len(products)  # distinct drawings
        today = clock.today()
        states = {c.state(today) for c in db.session.scalars(db.select(Certificate))}
        assert states == {"claimed", "verified", "rejected", "expired"}
        soon = [
            c
            for c in db.session.scalars(db.select(Certificate))
            if c.valid_until and 0 <= (c.valid_until - today).days <= 30
        ]
        assert soon
        from app.curation.models import Round

        rounds = db.session.scalars(db.select(Round)).all()
        # A round's title names the year it opened, whenever the demo is made.
        assert all(str(r.opens_on.year) in r.title for r in rounds if r.title[-4:].isdigit())
        assert sum(r.title[-4:].isdigit() for r in rounds) >= 4
    from app.matching.models import BuyerRequest, Quote

    with app.app_context():
        requests = {r.title: r for r in db.session.scalars(db.select(BuyerRequest))}
        ramayana = requests["Sepatu pantofel wanita untuk gerai Ramayana"]
        assert (ramayana.quantity, ramayana.buyer.name) == (40_000, "Ramayana")
        shares = db.session.scalars(
            db.select(Quote.quantity).filter_by(request_id=ramayana.id)
        ).all()
        assert len(shares) >= 2 and all(share < 40_000 for share in shares)  # none can alone
        assert {r.state for r in requests.values()} >= {"open", "awarded"}
        every_state = {"accepted", "submitted", "declined", "withdrawn"}
        assert {q.state for q in db.session.scalars(db.select(Quote))} == every_state
    demo_admin = type("U", (), {"email": "admin@etalase.example"})
    assert login(client, demo_admin, password="etalase-demo-2026").headers["Location"] == "/dasbor"


def test_seed_demo_mails_nobody_and_leaves_the_search_index_up_to_date(app, runner, outbox):
    from app.core.mail import OutgoingEmail
    from app.core.notifications import Notification
    from app.curation.listing import listed_ids

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        # The demo's people are made up: no mail for them, nor in front of a real newcomer's.
        assert db.session.scalar(db.select(db.func.count(OutgoingEmail.id))) == 0
        assert outbox == []
        assert db.session.scalar(db.select(db.func.count(Notification.id))) > 0  # in the site
        listed = len(listed_ids())
    assert listed > 0
    # seed-demo indexed what it listed: `make run` then finds the index up to date, and says so.
    result = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert result.output == f"Search index is up to date ({listed} listed products); not rebuilt.\n"


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, runner, make):
    make.user()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not loaded" in result.output
    assert counts(app)["ikms"] == 0
