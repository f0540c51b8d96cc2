"""Run in separate processes by the concurrency test: each changes products and drains."""

from __future__ import annotations


def rename_products(config: dict, product_ids: list[int], marker: str) -> list[str]:
    """Rename each product to a unique word, one transaction each, as separate requests would."""
    from app import create_app
    from app.catalog import services
    from app.catalog.models import Product
    from app.core import effects
    from app.extensions import db

    app = create_app(config)
    errors = []
    with app.app_context():
        for product_id in product_ids:
            try:
                product = db.session.get(Product, product_id)
                product.name = f"Sepatu {marker}{product_id}"
                services.product_changed(product)
                db.session.commit()
                effects.run_pending(db.session())  # what a request does once its response is sent
            except Exception as error:
                db.session.rollback()
                errors.append(f"{product_id}: {error!r}")
        db.engine.dispose()
    return errors
