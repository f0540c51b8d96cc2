"""Monthly capacity: the one place that says which figure is used for what.

Two figures exist, each with its own unit:

- ``Product.capacity_monthly`` in ``Product.unit``: how many of this product the IKM can make
  in a month, entered per product ("600 pasang a month").
- ``IKM.capacity_monthly`` in ``IKM.capacity_unit``: the workshop's whole monthly output, all
  its products together, entered on the IKM profile ("1.000 pasang a month").

Which is used for what:

- The product page, the API and curation's minimum-capacity rule (a round's ``min_capacity``)
  use the product's own figure.
- Matching a buyer's request counts, per IKM, the figures of its products that fit the request,
  converted to the request's unit and added up, capped by the IKM's own figure where that
  converts (a workshop cannot make more in all than it can make), before subtracting what
  accepted quotes already committed.

Conversions (kodi = 20, lusin = 12, gros = 144; kg, liter and meter only to themselves) live in
``app.core.units``; a figure that cannot be converted to the unit asked for counts as unknown
(None), never as zero.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core import units


def in_unit(amount: int | None, unit: str | None, target: str) -> int | None:
    """``amount`` of ``unit`` expressed in ``target`` (rounded down), or None when either is
    missing or the units do not convert."""
    if not amount or not unit:
        return None
    try:
        return units.convert(amount, unit, target)
    except (units.IncompatibleUnits, ValueError):
        return None


def product_capacity(product, target: str) -> int | None:
    """The product's monthly capacity in ``target`` units."""
    return in_unit(product.capacity_monthly, product.unit, target)


def ikm_capacity(ikm, target: str) -> int | None:
    """The IKM's whole monthly output in ``target`` units."""
    return in_unit(ikm.capacity_monthly, ikm.capacity_unit, target)


def monthly_capacity(ikm, products: Iterable, target: str) -> int | None:
    """What ``ikm`` can make a month of ``products`` (its products that fit a request), in
    ``target`` units: their figures added up, capped by the IKM's own figure. None when no
    figure is known in that unit."""
    figures = [c for c in (product_capacity(p, target) for p in products) if c is not None]
    total = sum(figures) if figures else None
    ceiling = ikm_capacity(ikm, target)
    if total is None:
        return ceiling
    return total if ceiling is None else min(total, ceiling)
