from datetime import timedelta

from app.catalog import readiness
from app.catalog.models import Product
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import pirt_number


def checks(app, product, today):
    with app.app_context():
        return {
            str(c.label): c for c in readiness.checklist(db.session.get(Product, product.id), today)
        }


def test_food_needs_halal_and_pirt_or_bpom(app, make, catalog, frozen_clock):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    product = catalog.product(ikm, category="keripik", photos=1)
    result = checks(app, product, today)
    assert result["Halal (BPJPH)"].ok is False and result["P-IRT atau BPOM"].ok is False
    assert all(
        c.ok for label, c in result.items() if label not in ("Halal (BPJPH)", "P-IRT atau BPOM")
    )
    catalog.certificate(ikm, products=[product], status="claimed")
    catalog.certificate(
        ikm,
        kind="bpom",
        number="MD224510123456",
        products=[product],
        status="verified",
        valid_until=today + timedelta(days=100),
    )
    result = checks(app, product, today)
    assert result["Halal (BPJPH)"].pending and not result["Halal (BPJPH)"].ok
    assert result["P-IRT atau BPOM"].ok


def test_an_expired_certificate_does_not_count(app, make, catalog, frozen_clock):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    product = catalog.product(ikm, category="kopi")
    catalog.certificate(
        ikm,
        kind="pirt",
        number=pirt_number(),
        products=[product],
        status="verified",
        valid_until=today - timedelta(days=3),
    )
    check = checks(app, product, today)["P-IRT atau BPOM"]
    assert (not check.ok and "kedaluwarsa" in str(check.hint).lower()) or "expired" in str(
        check.hint
    ).lower()


def test_shoes_need_no_certificate_but_safety_shoes_need_sni(app, make, catalog, frozen_clock):
    _, ikm = make.ikm_owner()
    today = frozen_clock.current.date()
    plain = catalog.product(ikm, photos=1, name="Pantofel")
    safety = catalog.product(ikm, category="sepatu-keselamatan", photos=1, name="Safety")
    assert all(c.ok for c in checks(app, plain, today).values())
    assert not checks(app, safety, today)["SNI"].ok


def test_the_product_list_names_what_is_missing(client, make, catalog):
    owner, ikm = make.ikm_owner()
    catalog.product(ikm, category="keripik", description="Pendek.", capacity_monthly=None)
    login(client, owner)
    text = page_text(client.get(f"/kelola/ikm/{ikm.id}/produk"))
    assert "1 dari 6 siap" in text
    assert "Tambahkan minimal satu foto" in text and "Halal (BPJPH)" in text
