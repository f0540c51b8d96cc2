from datetime import timedelta

from app.catalog.models import Certificate
from app.extensions import db
from tests.factories import pirt_number


def remind(app):
    result = app.test_cli_runner().invoke(args=["certs", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_at_30_and_7_days_once_each(app, make, catalog, outbox, frozen_clock):
    owner, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    catalog.certificate(
        ikm,
        kind="pirt",
        number=pirt_number(),
        status="verified",
        valid_until=today + timedelta(days=30),
    )
    assert "1 reminder(s)" in remind(app)
    assert outbox[-1]["To"] == owner.email and "30" in outbox[-1]["Subject"]
    assert "0 reminder(s)" in remind(app)  # not twice
    frozen_clock.set(frozen_clock.current + timedelta(days=10))
    assert "0 reminder(s)" in remind(app)  # 20 days left: nothing new
    frozen_clock.set(frozen_clock.current + timedelta(days=13))
    assert "1 reminder(s)" in remind(app)  # 7 days left
    assert "7" in outbox[-1]["Subject"]
    assert "0 reminder(s)" in remind(app)
    assert len(outbox) == 2


def test_a_certificate_found_late_gets_only_the_7_day_reminder(
    app, make, catalog, outbox, frozen_clock
):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    catalog.certificate(
        ikm, kind="pirt", number=pirt_number(), valid_until=today + timedelta(days=5)
    )
    assert "1 reminder(s)" in remind(app)
    assert "0 reminder(s)" in remind(app)
    assert len(outbox) == 1 and "5" in outbox[0]["Subject"]


def test_no_reminders_for_rejected_expired_or_endless_certificates(
    app, make, catalog, outbox, frozen_clock
):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    catalog.certificate(
        ikm,
        kind="pirt",
        number=pirt_number(),
        status="rejected",
        valid_until=today + timedelta(days=10),
    )
    catalog.certificate(
        ikm, kind="pirt", number=pirt_number(serial=1), valid_until=today - timedelta(days=1)
    )
    catalog.certificate(ikm, kind="halal", number="ID35110000123450122", valid_until=None)
    assert "0 reminder(s)" in remind(app)
    assert outbox == []


def test_a_renewed_date_earns_new_reminders(app, client, make, catalog, outbox, frozen_clock):
    from tests.conftest import login

    owner, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    certificate = catalog.certificate(
        ikm, kind="pirt", number=pirt_number(), valid_until=today + timedelta(days=20)
    )
    remind(app)
    login(client, owner)
    client.post(
        f"/kelola/sertifikat/{certificate.id}",
        content_type="multipart/form-data",
        data={
            "type": "pirt",
            "number": pirt_number(),
            "valid_until": (today + timedelta(days=25)).isoformat(),
        },
    )
    with app.app_context():
        assert db.session.get(Certificate, certificate.id).reminded_30_at is None
    assert "1 reminder(s)" in remind(app)
