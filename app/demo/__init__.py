"""Realistic demo data for a newcomer's first look (``flask seed-demo``).

Idempotent: each record is looked up by its natural key (email, name) before it is created,
so running the command again changes nothing. The organisations named after real ones (The
Keranjang Bali, Ramayana, PT Inti Dragon Suryatama) are demo data only.

The demo's people are made up, so it sends them no mail: the services it calls queue none
(``mail.suppressed``), while their notifications in the site are kept. Otherwise some 200
messages would sit in the outbox in front of the first real newcomer's confirmation.
"""

from __future__ import annotations

from app.core import mail
from app.demo.catalog import seed_catalog
from app.demo.curation import seed_curation
from app.demo.events import seed_events
from app.demo.figures import seed_figures
from app.demo.matching import seed_matching
from app.demo.people import seed_people


def seed() -> dict[str, int]:
    """Create what is missing and return counts of what the demo holds."""
    with mail.suppressed():
        return (
            seed_people()
            | seed_catalog()
            | seed_curation()
            | seed_matching()
            | seed_events()
            | seed_figures()
        )
