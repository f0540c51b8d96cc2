"""Automatic assignment of 2,000 submissions to 40 curators, and the ranked results table.

Targets on the reference machine: assignment under 2 s, ranked table under 300 ms. The data
is written straight into a fresh SQLite database (fast set-up); the measured parts go through
the same service functions and page as the site.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import write_results

SUBMISSIONS = 2000
CURATORS = 40
TARGET_ASSIGN_S = 2.0
TARGET_TABLE_S = 0.3


def _build(app):
    from sqlalchemy import insert

    from app.auth.models import User
    from app.catalog.models import Category, Product
    from app.catalog.taxonomy import sync_categories
    from app.core import clock
    from app.curation import rounds
    from app.curation.models import Rubric, Submission
    from app.extensions import db
    from app.orgs.models import IKM, Membership, Partner

    now, today = clock.now(), clock.today()
    sync_categories()
    rounds.seed_rubric_templates()
    partner = Partner(name="Mitra Benchmark", partner_type="retailer")
    db.session.add(partner)
    db.session.flush()
    users = [
        {
            "email": f"u{i}@bench.example",
            "full_name": f"Kurator {i:02d}",
            "password_hash": "x",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(CURATORS + 1)
    ]
    db.session.execute(insert(User), users)
    ids = db.session.scalars(db.select(User.id).order_by(User.id)).all()
    admin_id, curator_ids = ids[0], ids[1:]
    db.session.execute(
        insert(Membership),
        [
            {
                "user_id": admin_id,
                "organisation_id": partner.id,
                "role": "partner_admin",
                "created_at": now,
            },
            *(
                {
                    "user_id": cid,
                    "organisation_id": partner.id,
                    "role": "curator",
                    "created_at": now,
                }
                for cid in curator_ids
            ),
        ],
    )
    db.session.execute(
        insert(IKM),
        [
            {
                "name": f"IKM {i}",
                "kind": "ikm",
                "status": "verified",
                "created_at": now,
                "updated_at": now,
                "is_active": True,
            }
            for i in range(200)
        ],
    )
    ikm_ids = db.session.scalars(db.select(IKM.id)).all()
    category = db.session.scalar(db.select(Category).filter_by(slug="sepatu-wanita"))
    db.session.execute(
        insert(Product),
        [
            {
                "ikm_id": ikm_ids[i % len(ikm_ids)],
                "category_id": category.id,
                "name": f"Sepatu {i}",
                "unit": "pasang",
                "description": "",
                "attributes": [],
                "min_order_qty": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(SUBMISSIONS)
        ],
    )
    admin = db.session.get(User, admin_id)
    data = rounds.RoundData(
        title="Benchmark",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=9),
        review_due_on=today + timedelta(days=20),
        category_ids=[category.parent_id],
    )
    round = rounds.create_round(
        partner,
        data,
        db.session.scalar(db.select(Rubric).filter_by(slug="souvenir-retail")),
        by=admin,
    )
    products = db.session.execute(db.select(Product.id, Product.ikm_id)).all()
    db.session.execute(
        insert(Submission),
        [
            {
                "round_id": round.id,
                "product_id": pid,
                "ikm_id": iid,
                "state": "submitted",
                "cycle": 1,
                "snapshot": {"name": f"Sepatu {pid}", "photos": [], "certificate_ids": []},
                "submitted_at": now,
                "conditions": [],
                "created_at": now,
                "updated_at": now,
            }
            for pid, iid in products
        ],
    )
    db.session.commit()
    return round.id, admin_id


def _score_everything(round_id: int) -> None:
    """Every assignment gets a submitted review with random scores."""
    from sqlalchemy import insert

    from app.core import clock
    from app.curation import reviews, scoring
    from app.curation.models import Assignment, Review, Round, Submission
    from app.extensions import db

    rng = random.Random(7)
    round = db.session.get(Round, round_id)
    criteria = reviews.criteria_of(round)
    now = clock.now()
    rows = []
    for assignment_id in db.session.scalars(
        db.select(Assignment.id).join(Submission).where(Submission.round_id == round_id)
    ):
        scores = {c.id: rng.randint(1, c.scale_max) for c in criteria}
        rows.append(
            {
                "assignment_id": assignment_id,
                "scores": {str(k): v for k, v in scores.items()},
                "comment": "",
                "private_note": "",
                "total": scoring.weighted_score(scores, criteria),
                "submitted_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(insert(Review), rows)
    db.session.commit()


def run() -> bool:
    from app import create_app
    from app.auth.models import User
    from app.curation import assignment, results
    from app.curation.models import Round
    from app.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="etalase-bench-"))
    app = create_app(
        {
            "SECRET_KEY": "bench" * 8,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_BACKEND": "memory",
            "STORAGE_DIR": str(folder / "storage"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        round_id, admin_id = _build(app)
        started = time.perf_counter()
        made = assignment.auto_assign(
            db.session.get(Round, round_id), by=db.session.get(User, admin_id)
        )
        db.session.commit()
        assign_s = time.perf_counter() - started
        loads = assignment.open_load(db.session.get(Round, round_id))
        _score_everything(round_id)
        table_times = []
        for _ in range(5):
            db.session.expire_all()
            started = time.perf_counter()
            rows = results.ranked(db.session.get(Round, round_id))
            table_times.append(time.perf_counter() - started)
    page_times = _page_times(app, admin_id, round_id)
    figures = {
        "submissions": SUBMISSIONS,
        "curators": CURATORS,
        "assignments_made": made,
        "load_per_curator": f"min {min(loads.values())}, max {max(loads.values())}",
        "auto_assign_s": round(assign_s, 3),
        "ranked_rows": len(rows),
        "ranked_service_median_s": round(statistics.median(table_times), 3),
        "ranked_page_median_s": round(statistics.median(page_times), 3),
        "target": f"assign < {TARGET_ASSIGN_S} s; ranked table < {TARGET_TABLE_S} s",
    }
    met = assign_s < TARGET_ASSIGN_S and statistics.median(page_times) < TARGET_TABLE_S
    figures["met"] = met
    write_results("curation", figures)
    return met


def _page_times(app, admin_id: int, round_id: int) -> list[float]:
    """The whole partner page with the ranked table, as the partner admin loads it."""
    client = app.test_client()
    with client.session_transaction() as session:
        from app.auth.models import User
        from app.extensions import db

        with app.app_context():
            session["_user_id"] = db.session.get(User, admin_id).get_id()
            session["_fresh"] = True
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(f"/kurasi/ronde/{round_id}")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return times


if __name__ == "__main__":
    run()
