"""Business matching: recommendations for one request over 10,000 IKMs and 100,000 products,
and the consortium solver over 200 candidate IKMs with groups of up to 6.

Targets: p95 under 100 ms for each. The catalogue comes from ``bench.catalogue_data`` (the
search benchmark's generator) in a fresh SQLite database, with monthly capacities added; each
request is a real ``BuyerRequest`` in one leaf category, measured through ``recommend()``
(every query and signal, the best 200 explained in full) the first time (names not yet
analysed), again (warm), and once more as ``wsgi.py`` leaves a served process (what is loaded
frozen out of the garbage collector's sight). "IKMs judged" counts every candidate, ranked or
left out. The target is checked on the served run's wall-clock figures; the CPU seconds of the
served run are reported beside them, since a shared machine stretches wall time 2-4x.
"""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import write_results

PRODUCTS = 100_000
IKMS = 10_000
REQUESTS = 40
INSTANCES = 100
CANDIDATES = 200
GROUP = 6
TARGET_MS = 100.0


def _ms(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _app(folder: Path):
    from app import create_app

    return create_app(
        {
            "SECRET_KEY": "bench" * 8,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_BACKEND": "memory",
            "STORAGE_DIR": str(folder / "storage"),
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": False,
        }
    )


def _requests(rng: random.Random) -> list:
    from app.catalog.models import Category
    from app.core import clock
    from app.extensions import db
    from app.matching.models import BuyerRequest
    from app.orgs.models import Buyer
    from bench.catalogue_data import WORDS

    buyer = Buyer(name="Pembeli Benchmark", buyer_type="company")
    db.session.add(buyer)
    db.session.flush()
    leaves = {
        c.slug: c.id
        for c in db.session.scalars(db.select(Category).where(Category.parent_id.is_not(None)))
    }
    made = []
    for _ in range(REQUESTS):
        slug = rng.choice([s for s in WORDS if s in leaves])
        kinds, qualities = WORDS[slug]
        made.append(
            BuyerRequest(
                buyer_org_id=buyer.id,
                title=f"{rng.choice(kinds)} {rng.choice(qualities)}",
                category_id=leaves[slug],
                quantity=rng.choice([500, 2000, 10_000, 40_000]),
                unit="pcs",
                target_unit_price=rng.randrange(20, 500) * 1000,
                delivery_on=clock.today() + timedelta(days=rng.randrange(30, 180)),
                regency_code="35.76",
                province_code="35",
                allow_consortium=True,
                max_group_size=GROUP,
                state="open",
            )
        )
    db.session.add_all(made)
    db.session.commit()
    return [r.id for r in made]


def _recommendations(folder: Path) -> dict:
    from app.core import clock
    from app.extensions import db
    from app.matching import recommend
    from app.matching.models import BuyerRequest
    from bench.catalogue_data import generate

    app = _app(folder)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(PRODUCTS, ikms=IKMS)
        db.session.execute(
            db.text("UPDATE products SET capacity_monthly = 50 + (id * 7919) % 3000")
        )
        db.session.commit()
        build_s = time.perf_counter() - started
        ids = _requests(random.Random(7))
    cold, warm, served, sizes, cpu = [], [], [], [], []
    for times in (cold, warm, served):
        if times is served:  # as wsgi.py leaves the process: what is loaded, frozen
            gc.collect()
            gc.freeze()
        for request_id in ids:
            with app.test_request_context():
                request = db.session.get(BuyerRequest, request_id)
                started, started_cpu = time.perf_counter(), time.process_time()
                result = recommend.recommend(request, clock.today())
                times.append(time.perf_counter() - started)
                if times is served:  # SQLite runs in this process: its work is counted too
                    cpu.append(time.process_time() - started_cpu)
                sizes.append(result.ranked_total + result.excluded_total)
                db.session.remove()
    return {
        "catalogue": f"{PRODUCTS} products, {IKMS} IKMs (built in {build_s:.0f} s)",
        "requests": len(ids),
        "ikms_judged_per_request_median": statistics.median(sizes),
        "recommend_first_time": _ms(cold),
        "recommend_warm": _ms(warm),
        "recommend_warm_as_served": _ms(served),
        # The same requests in CPU seconds of this process: what a busy shared machine does
        # not inflate (wall time there is 2-4x), the closest reading of an idle server.
        "recommend_warm_as_served_cpu": _ms(cpu),
    }


def _consortia() -> dict:
    from app.matching.consortium import Candidate, solve

    rng = random.Random(11)
    times, optimal, covered = [], 0, 0
    for _ in range(INSTANCES):
        candidates = [
            Candidate(
                i,
                rng.randrange(500, 12_000),
                rng.choice([20, 60, 100, 250, 500]),
                rng.randrange(300, 1000),
            )
            for i in range(1, CANDIDATES + 1)
        ]
        quantity = rng.randrange(10_000, 60_000)
        started = time.perf_counter()
        plan = solve(candidates, quantity, GROUP)
        times.append(time.perf_counter() - started)
        groups = [g for g in (plan.best, plan.alternative, plan.closest) if g is not None]
        optimal += all(g.is_optimal for g in groups)
        covered += plan.best is not None
    return {
        "instances": INSTANCES,
        "candidates": CANDIDATES,
        "largest_group": GROUP,
        "consortium": _ms(times),
        "share_proven_optimal": round(optimal / INSTANCES, 3),
        "share_covered": round(covered / INSTANCES, 3),
    }


def run() -> bool:
    folder = Path(tempfile.mkdtemp(prefix="etalase-bench-matching-"))
    figures = {**_consortia(), **_recommendations(folder)}
    write_results("matching", figures)
    # Checked as the site serves (wsgi.py freezes what is loaded before the first request):
    # the plain warm run also makes every full collection walk what this process generated
    # for the benchmark (100,000 products' worth of leftovers), which a server never holds.
    return (
        figures["recommend_warm_as_served"]["p95_ms"] < TARGET_MS
        and figures["consortium"]["p95_ms"] < TARGET_MS
    )
