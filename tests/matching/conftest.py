"""Buyers, IKMs with products and requests for the matching tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from tests.factories import _detach


def request_form(**overrides) -> dict:
    """What a buyer types into the request form: 500 pairs in three months."""
    values = {
        "title": "Sepatu pantofel wanita kulit",
        "category_id": "0",
        "specification": "Kulit sapi, ukuran 36-41, warna hitam.",
        "quantity": "500",
        "unit": "pasang",
        "delivery_on": (clock.today() + timedelta(days=90)).isoformat(),
        "province_code": "35",
        "regency_code": "35.76",
        "max_group_size": "4",
        "visibility": "invited",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


class MatchingFactory:
    def __init__(self, app):
        self.app = app

    def request(self, buyer_org, by, state: str = "draft", **overrides):
        from app.auth.models import User
        from app.matching import services
        from app.orgs.models import Organisation

        values = dict(
            title="Sepatu pantofel wanita kulit",
            quantity=500,
            unit="pasang",
            delivery_on=clock.today() + timedelta(days=90),
            regency_code="35.76",
        )
        values.update(overrides)
        with self.app.app_context():
            org = db.session.get(Organisation, buyer_org.id)
            user = db.session.get(User, by.id)
            found = services.create_request(org, services.RequestData(**values), by=user)
            if state != "draft":
                services.open_request(found, by=user)
            if state not in ("draft", "open"):
                found.state = state
            return _detach(found)


@pytest.fixture
def matching(app):
    return MatchingFactory(app)


@pytest.fixture
def buyer_org(make):
    org, user = make.buyer(company="PT Ramayana Lestari (demo)")
    return org, user


@pytest.fixture
def shoemakers(make, catalog, categories):
    """Three verified shoemakers and one waiting for verification, each with women's shoes."""

    def maker(name, monthly, regency="35.76", province="35", status="verified", **product):
        owner, ikm = make.ikm_owner(
            status=status,
            name=name,
            capacity_monthly=monthly,
            capacity_unit="pasang",
            regency_code=regency,
            province_code=province,
        )
        values = dict(capacity_monthly=monthly, min_order_qty=12)
        values.update(product)
        made = catalog.product(ikm, **values)
        return owner, ikm, made

    return {
        "kota": maker("Sepatu Kota Mojokerto", 2000),
        "kabupaten": maker("Sepatu Sooko", 3000, regency="35.16"),
        "bali": maker("Sepatu Denpasar", 5000, regency="51.71", province="51"),
        "pending": maker("Sepatu Belum Terverifikasi", 9000, status="pending"),
    }
