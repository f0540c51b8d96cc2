"""Open requests whose delivery date has come without an award expire in the daily run."""

from datetime import timedelta

from app.core import clock
from app.extensions import db
from app.matching.models import BuyerRequest
from tests.conftest import login


def _states(app) -> dict[str, str]:
    with app.app_context():
        return {r.title: r.state for r in db.session.scalars(db.select(BuyerRequest))}


def test_the_daily_run_expires_open_requests_past_their_date(
    app, runner, client, matching, buyer_org, frozen_clock
):
    org, buyer = buyer_org
    soon = clock.today() + timedelta(days=10)
    later = clock.today() + timedelta(days=40)
    matching.request(org, buyer, state="open", title="Sepatu bulan ini", delivery_on=soon)
    matching.request(org, buyer, state="open", title="Sepatu bulan depan", delivery_on=later)
    matching.request(org, buyer, title="Sepatu draf", delivery_on=soon)

    frozen_clock.set(frozen_clock.current + timedelta(days=9))
    assert "0 request(s) expired" in runner.invoke(args=["matching", "expire"]).output

    frozen_clock.set(frozen_clock.current + timedelta(days=1))  # the delivery date is here
    result = runner.invoke(args=["matching", "expire"])
    assert result.exit_code == 0 and "1 request(s) expired" in result.output
    assert _states(app) == {
        "Sepatu bulan ini": "expired",
        "Sepatu bulan depan": "open",
        "Sepatu draf": "draft",  # a draft was never offered: the buyer may still move its date
    }
    assert "0 request(s) expired" in runner.invoke(args=["matching", "expire"]).output

    login(client, buyer)
    with app.app_context():
        expired = db.session.scalar(
            db.select(BuyerRequest.id).where(BuyerRequest.title == "Sepatu bulan ini")
        )
    page = client.get(f"/permintaan/{expired}").get_data(as_text=True)
    assert "Permintaan kedaluwarsa" in page  # the audited transition, in the history
