"""Search on a 100,000-product synthetic catalogue: rebuild, query latency, memory, freshness;
the same searches through SQLite FTS5 as a reference, on the same corpus, in the same run.

Latency is measured on 200 distinct searches (1–3 words, with and without filters), none
repeated. Warm: the process has served other searches first (a warm-up set, none of the
measured ones), and keeps what it cached. Cold queries: ``clear_caches(columns=False)`` before
each search: posting lists, deletions, facet counts, stems and word tables forgotten, only the
column arrays each segment holds (read once per segment when a worker first opens it) kept.
Cold: ``clear_caches()``, the column arrays forgotten too (a new worker's first search, its
index already open). For FTS5, a new connection for each cold search (an empty page cache).
Changed: 40 other searches, each the first after its own committed product change (a real
commit, a new index generation, the searcher reopened): what every worker sees after a change.
Home: the home page's two searches over the whole catalogue. The operating system's file cache
is warm throughout.

Targets: warm p95 <= 50 ms and <= 4x FTS5's warm p95; cold queries p95 <= 50 ms; the first
search after a change p95 within 3x the warm p95; rebuild < 60 s; querying process < 300 MB; a
committed change searchable within 2 s. Cold (a new worker) figures are reported beside them.

``--sizes 10000,100000,300000`` also prints the rebuild's growth table (time, peak memory of
the builders, index size), each size built in its own process.

``python -m bench search --products 10000`` (or ``python -m bench.search --products 10000``)
for a quick run; its figures go to ``bench/results/search-10000.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from bench import peak_rss_mb, write_results

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
PROCS = int(os.environ.get("BENCH_PROCS", "2"))
WARM_UP = 50  # searches run before the measured ones, never measured themselves
CHANGES = 40  # searches each made right after its own committed product change
PAGE = 24


def _config(folder: Path) -> dict:
    return {
        "SECRET_KEY": "bench" * 8,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "MAIL_BACKEND": "memory",
        "STORAGE_DIR": str(folder / "storage"),
        "RATELIMIT_ENABLED": False,
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50) * 1000, 1),
        "p95_ms": round(pick(0.95) * 1000, 1),
        "p99_ms": round(pick(0.99) * 1000, 1),
    }


def _folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def run(products: int = PRODUCTS) -> bool:
    from app import create_app
    from app.extensions import db
    from app.search import indexing
    from bench.catalogue_data import generate

    folder = Path(tempfile.mkdtemp(prefix="etalase-search-bench-"))
    app = create_app(_config(folder))
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(products)
        generated_s = time.perf_counter() - started
        started = time.perf_counter()
        count = indexing.rebuild(procs=PROCS)
        rebuild_s = time.perf_counter() - started
    index_mb = _folder_mb(folder / "index")
    measured = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.search", "--query", str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    fts = _fts5(folder)
    figures = {
        "products": count,
        "generated_s": round(generated_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "rebuild_procs": PROCS,
        "index_mb": index_mb,
        "queries": len(measured["warm"]),
        "distinct_queries": measured["distinct"],
    }
    for state in ("warm", "cold"):
        whoosh, reference = _percentiles(measured[state]), _percentiles(fts[state])
        figures.update({f"whoosh_{state}_{k}": v for k, v in whoosh.items()})
        figures.update({f"fts5_{state}_{k}": v for k, v in reference.items()})
        figures[f"p95_ratio_to_fts5_{state}"] = round(
            whoosh["p95_ms"] / max(reference["p95_ms"], 0.1), 2
        )
    for state in ("cold_queries", "changed", "home"):
        figures.update({f"whoosh_{state}_{k}": v for k, v in _percentiles(measured[state]).items()})
    figures["changed_p95_ratio_to_warm"] = round(
        figures["whoosh_changed_p95_ms"] / max(figures["whoosh_warm_p95_ms"], 0.1), 2
    )
    figures.update(
        {
            "fts5_build_s": fts["build_s"],
            "fts5_rematched_loosely": fts["loosened"],
            "query_process_rss_mb": measured["rss_mb"],
            "change_searchable_s": measured["fresh_s"],
            "fallbacks": measured["fallbacks"],
            "target": "warm p95 <= 50 ms and <= 4x FTS5 warm; cold_queries p95 <= 50 ms; "
            "first search after a change p95 <= 3x warm p95; rebuild < 60 s; "
            "RSS < 300 MB; change searchable < 2 s; no fallback",
        }
    )
    met = (
        figures["whoosh_warm_p95_ms"] <= 50
        and figures["whoosh_cold_queries_p95_ms"] <= 50
        and figures["changed_p95_ratio_to_warm"] <= 3
        and figures["p95_ratio_to_fts5_warm"] <= 4
        and rebuild_s < 60
        and measured["rss_mb"] < 300
        and measured["fresh_s"] < 2
        and measured["fallbacks"] == 0
    )
    figures["met"] = met
    write_results("search" if products == 100_000 else f"search-{products}", figures)
    if os.environ.get("BENCH_KEEP"):
        print(f"  corpus and index kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return met


def growth(sizes: list[int]) -> bool:
    """Rebuild time, builders' peak memory and index size at each size, each catalogue generated
    and indexed in processes of their own. Target: linear growth (3x the products within 3.5x
    the time, the same slack for other steps) and builders under 800 MB in all."""
    rows = []
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix="etalase-growth-bench-"))
        try:
            _in_process("--generate", str(folder), "--products", str(size))
            built = _in_process("--rebuild", str(folder))
            built["index_mb"] = _folder_mb(folder / "index")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        rows.append({"products": size, **built})
        print(f"  {size:>8,} products: {built}", flush=True)
    figures: dict = {"rebuild_procs": PROCS}
    for row in rows:
        n = row["products"]
        figures[f"rebuild_s_{n}"] = row["rebuild_s"]
        figures[f"builders_peak_mb_{n}"] = row["builders_peak_mb"]
        figures[f"index_mb_{n}"] = row["index_mb"]
    met = all(row["builders_peak_mb"] < 800 for row in rows)
    for before, after in pairwise(rows):
        size_ratio = after["products"] / before["products"]
        time_ratio = after["rebuild_s"] / max(before["rebuild_s"], 0.01)
        figures[f"growth_{before['products']}_to_{after['products']}"] = (
            f"{size_ratio:.1f}x products, {time_ratio:.2f}x time"
        )
        met = met and time_ratio <= size_ratio * 3.5 / 3
    figures["target"] = "time grows at most 3.5x for 3x products; builders < 800 MB in all"
    figures["met"] = met
    print("\n  products  rebuild_s  builders_peak_mb  index_mb")
    for row in rows:
        print(
            f"  {row['products']:>8}  {row['rebuild_s']:>9}  {row['builders_peak_mb']:>16}"
            f"  {row['index_mb']:>8}"
        )
    # The full table (make bench) is kept with the figures; quick ones are not committed.
    full = sizes == [10_000, 100_000, 300_000]
    write_results("growth" if full else "growth-" + "-".join(map(str, sizes)), figures)
    return met


def _in_process(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.search", *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _generate_process(folder: Path, products: int) -> None:
    from app import create_app
    from app.extensions import db
    from bench.catalogue_data import generate

    app = create_app(_config(folder))
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(products)
        print(json.dumps({"generated_s": round(time.perf_counter() - started, 1)}))


def _rebuild_process(folder: Path) -> None:
    import resource

    from app import create_app
    from app.search import indexing

    app = create_app(_config(folder))
    with app.app_context():
        started = time.perf_counter()
        count = indexing.rebuild(procs=PROCS)
        rebuild_s = round(time.perf_counter() - started, 1)
    own = peak_rss_mb()
    # The largest of the builder processes (Linux: kB); with PROCS of them at once, at most that each.
    child = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    helpers = PROCS if PROCS > 1 else 0
    print(
        json.dumps(
            {
                "count": count,
                "rebuild_s": rebuild_s,
                "parent_peak_mb": own,
                "builder_peak_mb": child,
                "builders_peak_mb": round(own + helpers * child, 1),
            }
        )
    )


def _searches(categories: dict[str, int], partners: list[int]) -> tuple[list, list]:
    """(warm-up, measured): distinct searches, none in both."""
    from bench.catalogue_data import queries

    measured = queries(categories, partners)
    return queries(categories, partners, count=WARM_UP, seed=11, exclude=measured), measured


def _query_process(folder: Path) -> None:
    """A fresh process, like a web worker: open the index, warm up, run the searches warm and
    then cold, change one product and wait until search finds the change."""
    from app import create_app
    from app.catalog import services
    from app.catalog.models import Category, Product
    from app.core import effects
    from app.extensions import db
    from app.orgs.models import Partner
    from app.search import SearchParams, clear_caches, search

    app = create_app(_config(folder))
    with app.app_context():
        categories = {c.slug: c.id for c in db.session.scalars(db.select(Category))}
        partners = list(db.session.scalars(db.select(Partner.id)))
    warm_up, measured = _searches(categories, partners)
    fallbacks = 0

    def timed(params: dict) -> float:
        nonlocal fallbacks
        started = time.perf_counter()
        result = search(SearchParams(**params))
        spent = time.perf_counter() - started
        fallbacks += result.fallback
        return spent

    with app.test_request_context():
        search(SearchParams(q="sepatu"))  # open the index, as a worker's first request does
        for params in warm_up:
            timed(params)
        warm = [timed(params) for params in measured]
        cold, cold_queries = [], []
        for params in measured:
            clear_caches(columns=False)
            cold_queries.append(timed(params))
        for params in measured:
            clear_caches()
            cold.append(timed(params))
        for params in warm_up:  # warm again before the changes
            timed(params)
    rss_mb = peak_rss_mb()
    from bench.catalogue_data import queries

    # Searches not made before (as the warm ones were not), each first after its own change.
    after_change = queries(
        categories, partners, count=CHANGES, seed=23, exclude=[*warm_up, *measured]
    )
    changed = []
    for number, params in enumerate(after_change):
        with app.app_context():  # one product changed and committed, the index drained
            product = db.session.get(Product, number + 2)
            product.name = f"{product.name.split(' #')[0]} #{number}"
            services.product_changed(product)
            db.session.commit()
            effects.run_pending(db.session())
        with app.test_request_context():
            changed.append(timed(params))  # the first search after it
    with app.app_context():
        product = db.session.get(Product, 1)
        product.name = "Sepatu Benchmarkbaru"
        services.product_changed(product)
        started = time.perf_counter()
        db.session.commit()
        effects.run_pending(db.session())
    with app.test_request_context():
        while (
            search(SearchParams(q="benchmarkbaru")).total == 0
            and time.perf_counter() - started < 10
        ):
            time.sleep(0.01)
        fresh_s = round(time.perf_counter() - started, 3)
        home = []
        for _ in range(20):  # the home page's two searches over the whole catalogue
            started = time.perf_counter()
            search(SearchParams(sort="newest"))
            search(SearchParams())
            home.append(time.perf_counter() - started)
    distinct = len({tuple(sorted(params.items())) for params in measured})
    print(
        json.dumps(
            {
                "warm": warm,
                "changed": changed,
                "cold": cold,
                "cold_queries": cold_queries,
                "home": home,
                "distinct": distinct,
                "rss_mb": rss_mb,
                "fresh_s": fresh_s,
                "fallbacks": fallbacks,
            }
        )
    )


# -- the reference: SQLite FTS5 ----------------------------------------------------------------


def _connect(folder: Path):
    connection = sqlite3.connect(folder / "bench.db")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA cache_size = -65536")  # 64 MB: room for the whole match
    return connection


def _fts5(folder: Path) -> dict:
    """The same searches through SQLite FTS5 (unicode61, no stemming, no typo tolerance), with
    the same facet counts and the first page highlighted: warm on one connection, cold on a
    new connection each."""
    connection = _connect(folder)
    started = time.perf_counter()
    connection.executescript("""
        DROP TABLE IF EXISTS fts;
        CREATE VIRTUAL TABLE fts USING fts5(name, category, description, tokenize='unicode61 remove_diacritics 2');
        INSERT INTO fts(rowid, name, category, description)
          SELECT p.id, p.name, c.name_id || ' ' || pc.name_id, p.description || ' ' || coalesce(p.materials, '')
          FROM products p JOIN categories c ON c.id = p.category_id JOIN categories pc ON pc.id = c.parent_id;
    """)
    build_s = round(time.perf_counter() - started, 1)
    categories = dict(connection.execute("SELECT slug, id FROM categories").fetchall())
    partners = [
        row[0] for row in connection.execute("SELECT id FROM organisations WHERE kind = 'partner'")
    ]
    warm_up, measured = _searches(categories, partners)
    loosened = []

    def timed(connection, params: dict) -> float:
        started = time.perf_counter()
        loosened.append(_fts5_search(connection, params))
        return time.perf_counter() - started

    for params in warm_up:
        timed(connection, params)
    warm = [timed(connection, params) for params in measured]
    connection.close()
    cold = []
    for params in measured:
        fresh = _connect(folder)
        cold.append(timed(fresh, params))
        fresh.close()
    rematched = sum(loosened[len(warm_up) : len(warm_up) + len(measured)])
    return {"warm": warm, "cold": cold, "build_s": build_s, "loosened": rematched}


PRICE_CASE = """CASE WHEN t.price < 50000 THEN '0-49999' WHEN t.price < 100000 THEN '50000-99999'
    WHEN t.price < 250000 THEN '100000-249999' WHEN t.price < 500000 THEN '250000-499999'
    WHEN t.price < 1000000 THEN '500000-999999' ELSE '1000000-' END"""
ORDER_CASE = """CASE WHEN t.min_order <= 1 THEN '1-1' WHEN t.min_order <= 12 THEN '2-12'
    WHEN t.min_order <= 50 THEN '13-50' WHEN t.min_order <= 200 THEN '51-200'
    ELSE '201-' END"""
ORDER_RANGES = {"1-1": (1, 1), "2-12": (2, 12), "13-50": (13, 50), "51-200": (51, 200)}
# Correlated, so that each looks up the products of the match rather than listing every
# certified or curated product first.
CERTIFIED = """EXISTS (SELECT 1 FROM product_certificates pc JOIN certificates ce
    ON ce.id = pc.certificate_id WHERE pc.product_id = t.id AND ce.type = ?
    AND ce.status = 'verified')"""
LISTED_BY = """EXISTS (SELECT 1 FROM submissions s JOIN rounds r ON r.id = s.round_id
    WHERE s.product_id = t.id AND r.partner_id = ? AND s.state = 'accepted')"""
SORTS = {  # bm25() is lower for a better match
    "relevance": "score, id DESC",
    "newest": "id DESC",
    "price_asc": "price, id",
    "price_desc": "price DESC, id",
}


def _fts5_search(connection, params: dict) -> bool:
    """One search as the site makes it: one MATCH into a temporary table ``m`` (again with OR
    when no product has every word), narrowed by the filters into ``h``; the facet counts from
    those (each facet whose filter is chosen counted without it), the first page, its products'
    fields, and its highlighting (``highlight``/``snippet`` on those 24 rows only). True when
    the words were loosened."""
    words = [w for w in params.get("q", "").replace("-", " ").split() if w.isalnum()]
    _fts5_match(connection, params, words, " AND ")
    loosened = _narrow(connection, params) == 0 and len(words) > 1
    if loosened:
        _fts5_match(connection, params, words, " OR ")
        _narrow(connection, params)
    _fts5_facets(connection, params)
    sort = SORTS[params.get("sort") or "relevance"]
    page = [row[0] for row in connection.execute(f"SELECT id FROM h ORDER BY {sort} LIMIT {PAGE}")]
    marks = ",".join("?" * len(page))
    connection.execute(
        "SELECT p.id, p.name, p.retail_price, p.unit, p.min_order_qty, o.name,"
        " p.origin_regency_code FROM products p JOIN organisations o ON o.id = p.ikm_id"
        f" WHERE p.id IN ({marks})",
        page,
    ).fetchall()
    if words and page:
        connection.execute(
            "SELECT rowid, highlight(fts, 0, '<mark>', '</mark>'),"
            " snippet(fts, 2, '<mark>', '</mark>', ' … ', 16)"
            f" FROM fts WHERE fts MATCH ? AND rowid IN ({marks})",
            [_expression(words, " OR "), *page],
        ).fetchall()
    return loosened


def _expression(words: list[str], joiner: str) -> str:
    return joiner.join(f'"{w}"' for w in words)


TABLE = "(id INTEGER PRIMARY KEY, price, min_order, category, sector, region, score)"


def _fts5_match(connection, params: dict, words: list[str], joiner: str) -> None:
    """The match, with the category drill-down (not a facet's own filter), into ``m``."""
    connection.execute("DROP TABLE IF EXISTS m")
    connection.execute(f"CREATE TEMP TABLE m {TABLE}")
    columns = "p.id, p.retail_price, p.min_order_qty, c.id, c.parent_id, p.origin_regency_code"
    where, args = "1=1", []
    if "category" in params:
        where, args = "(c.id = ? OR c.parent_id = ?)", [params["category"]] * 2
    if words:
        connection.execute(
            f"INSERT INTO m SELECT {columns}, f.score FROM"
            " (SELECT rowid, bm25(fts, 3.0, 2.0, 1.0) AS score FROM fts WHERE fts MATCH ?) f"
            " JOIN products p ON p.id = f.rowid JOIN categories c ON c.id = p.category_id"
            f" WHERE {where}",
            [_expression(words, joiner), *args],
        )
    else:
        connection.execute(
            f"INSERT INTO m SELECT {columns}, 0 FROM products p"
            f" JOIN categories c ON c.id = p.category_id WHERE {where}",
            args,
        )


def _narrow(connection, params: dict) -> int:
    """``m`` narrowed by every filter, into ``h``; how many that leaves."""
    connection.execute("DROP TABLE IF EXISTS h")
    connection.execute(f"CREATE TEMP TABLE h {TABLE}")
    where, args = _where(params, None)
    connection.execute(f"INSERT INTO h SELECT * FROM m t WHERE {where}", args)
    return connection.execute("SELECT count(*) FROM h").fetchone()[0]


def _where(params: dict, skip: str | None) -> tuple[str, list]:
    """The filters (all but ``skip``) on a table aliased ``t``, as SQL and its arguments."""
    parts, args = ["1=1"], []
    if params.get("region") and skip != "region":
        parts.append("t.region = ?")
        args.append(params["region"])
    if "min_price" in params and skip != "price":
        parts.append("t.price BETWEEN ? AND ?")
        args += [params["min_price"], params["max_price"]]
    if params.get("min_order") and skip != "min_order":
        low, high = ORDER_RANGES.get(params["min_order"], (201, 10**12))
        parts.append("t.min_order BETWEEN ? AND ?")
        args += [low, high]
    if params.get("certification") and skip != "certification":
        parts.append(CERTIFIED)
        args.append(params["certification"])
    if params.get("partner") and skip != "partner":
        parts.append(LISTED_BY)
        args.append(params["partner"])
    return " AND ".join(parts), args


FACETS = {
    "category": "SELECT t.category, count(*) FROM {t} t WHERE {w} GROUP BY 1",
    "sector": "SELECT t.sector, count(*) FROM {t} t WHERE {w} GROUP BY 1",
    "region": "SELECT t.region, count(*) FROM {t} t WHERE {w} GROUP BY 1",
    "price": f"SELECT {PRICE_CASE}, count(*) FROM {{t}} t WHERE {{w}} GROUP BY 1",
    "min_order": f"SELECT {ORDER_CASE}, count(*) FROM {{t}} t WHERE {{w}} GROUP BY 1",
    "certification": "SELECT ce.type, count(DISTINCT t.id) FROM {t} t"
    " CROSS JOIN product_certificates pc ON pc.product_id = t.id"
    " CROSS JOIN certificates ce ON ce.id = pc.certificate_id"
    " WHERE ce.status = 'verified' AND {w} GROUP BY 1",
    "partner": "SELECT r.partner_id, count(DISTINCT t.id) FROM {t} t"
    " CROSS JOIN submissions s ON s.product_id = t.id AND s.state = 'accepted'"
    " CROSS JOIN rounds r ON r.id = s.round_id WHERE {w} GROUP BY 1",
}
ACTIVE = {
    "region": "region",
    "price": "min_price",
    "min_order": "min_order",
    "certification": "certification",
    "partner": "partner",
}


def _fts5_facets(connection, params: dict) -> None:
    """Every facet over ``h``; one whose filter is chosen over ``m`` without that filter."""
    for name, sql in FACETS.items():
        if name in ACTIVE and params.get(ACTIVE[name]) is not None:
            where, args = _where(params, name)
            connection.execute(sql.format(t="m", w=where), args).fetchall()
        else:
            connection.execute(sql.format(t="h", w="1=1")).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument(
        "--sizes", help="comma-separated catalogue sizes for the rebuild growth table"
    )
    parser.add_argument("--query", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--generate", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query:
        _query_process(Path(args.query))
    elif args.generate:
        _generate_process(Path(args.generate), args.products)
    elif args.rebuild:
        _rebuild_process(Path(args.rebuild))
    elif args.sizes:
        growth([int(size) for size in args.sizes.split(",")])
    else:
        run(args.products)


if __name__ == "__main__":
    main()
