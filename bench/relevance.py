"""Search relevance on judged queries over the demo catalogue.

``bench/relevance_queries.json`` holds some 250 queries a buyer, a tourist, a souvenir shop and
an export buyer would type, each with the demo products (by name) that answer it, judged by
reading the products. This seeds the demo (``flask seed-demo``'s data) into a temporary SQLite
database, builds the Whoosh index and puts every query to ``app.search.search``, the service
behind ``/katalog?q=``. Figures, over the answerable queries (those with relevant products):

- MRR: the mean of 1 / the rank of the first relevant product (0 when none is on the first page);
- P@5: the share of the first five that are relevant, out of at most as many as there are
  relevant products (1.0 is reachable by a query with one relevant product);
- R@10: the share of the relevant products in the first ten (out of at most ten);
- no_result: the share of answerable queries that found nothing;
- answered_unanswerable: the share of queries with no relevant product that showed any product.

All of them per kind of query too. Targets (issue 14): MRR >= 0.9, no answerable query without a
result, no unanswerable query answered with products. The queries that miss (first result not
relevant, a relevant product outside the first ten, or an unanswerable query answered) go to
``bench/results/relevance-misses.txt`` with what came first.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import RESULTS, write_results

QUERIES = Path(__file__).parent / "relevance_queries.json"
MISSES = RESULTS / "relevance-misses.txt"
KINDS = (
    "exact",
    "wordform",
    "informal",
    "typo",
    "english",
    "size",
    "unit",
    "place",
    "certificate",
    "concept",
    "unanswerable",
)
TARGET_MRR = 0.9


def load_queries() -> list[dict]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]


def judge(ranked: list[str], total: int, relevant: list[str]) -> dict:
    """The figures of one query from the names it found, in order, and how many it found."""
    if not relevant:
        return {"answered": total > 0}
    wanted = set(relevant)
    first = next((rank for rank, name in enumerate(ranked, 1) if name in wanted), None)
    return {
        "rr": 1 / first if first else 0.0,
        "p5": sum(name in wanted for name in ranked[:5]) / min(5, len(wanted)),
        "r10": sum(name in wanted for name in ranked[:10]) / min(10, len(wanted)),
        "empty": total == 0,
    }


def summarise(judged: list[dict]) -> dict:
    """MRR, P@5, R@10 and the shares of the queries in ``judged`` (each with its figures)."""
    answerable = [j for j in judged if "rr" in j]
    unanswerable = [j for j in judged if "answered" in j]
    mean = lambda key: round(sum(j[key] for j in answerable) / len(answerable), 3)  # noqa: E731
    figures: dict = {"queries": len(judged)}
    if answerable:
        figures |= {
            "mrr": mean("rr"),
            "p_at_5": mean("p5"),
            "r_at_10": mean("r10"),
            "no_result": round(sum(j["empty"] for j in answerable) / len(answerable), 3),
        }
    if unanswerable:
        figures["answered_unanswerable"] = round(
            sum(j["answered"] for j in unanswerable) / len(unanswerable), 3
        )
    return figures


def _config(folder: Path) -> dict:
    return {
        "SECRET_KEY": "bench" * 8,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'relevance.db'}",
        "MAIL_BACKEND": "memory",
        "STORAGE_DIR": str(folder / "storage"),
        "RATELIMIT_ENABLED": False,
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def _seeded(app) -> set[str]:
    """Seed the demo, build the index; the names of the listed (searchable) products."""
    from app.catalog.models import Product
    from app.cli import commit_and_run_effects
    from app.demo import seed
    from app.extensions import db
    from app.search import indexing
    from app.search.documents import documents

    db.create_all()
    seed()
    commit_and_run_effects()
    indexing.rebuild(procs=1)
    from app.core import clock

    ids = db.session.scalars(db.select(Product.id)).all()
    return {document["name"] for document in documents(ids, clock.today())}


def run() -> bool:
    from app import create_app
    from app.search import SearchParams, search

    queries = load_queries()
    folder = Path(tempfile.mkdtemp(prefix="etalase-relevance-bench-"))
    started = time.perf_counter()
    try:
        app = create_app(_config(folder))
        with app.app_context():
            listed = _seeded(app)
            seeded_s = time.perf_counter() - started
            unlisted = sorted({n for q in queries for n in q["relevant"]} - listed)
            started = time.perf_counter()
            answers = []
            with app.test_request_context():
                for query in queries:
                    result = search(SearchParams(q=query["query"]))
                    answers.append((query, [i.name for i in result.items], result))
            query_s = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    judged, by_kind, misses = [], defaultdict(list), []
    for query, ranked, result in answers:
        figures = judge(ranked, result.total, query["relevant"])
        judged.append(figures)
        by_kind[query["kind"]].append(figures)
        if _missed(figures):
            misses.append(_miss_line(query, ranked, result))
    figures = summarise(judged)
    per_kind = {kind: summarise(by_kind[kind]) for kind in KINDS if by_kind[kind]}
    figures |= {
        "missed_queries": len(misses),
        "listed_products": len(listed),
        "relevant_but_not_listed": unlisted,
        "seed_and_index_s": round(seeded_s, 1),
        "queries_s": round(query_s, 2),
        "target": f"mrr >= {TARGET_MRR}; no_result 0; answered_unanswerable 0",
    }
    met = (
        figures["mrr"] >= TARGET_MRR
        and figures["no_result"] == 0
        and figures["answered_unanswerable"] == 0
        and not unlisted
    )
    figures["met"] = met
    MISSES.parent.mkdir(exist_ok=True)
    MISSES.write_text(
        f"# {len(misses)} of {len(queries)} queries miss (python -m bench relevance)\n"
        "# kind | query | rr p@5 r@10 | first results | relevant not in the first ten\n\n"
        + "\n".join(misses)
        + "\n",
        encoding="utf-8",
    )
    path = write_results("relevance", figures)
    record = json.loads(path.read_text())  # per kind: kept in the file, printed as a table
    record["figures"]["per_kind"] = per_kind
    path.write_text(json.dumps(record, indent=2) + "\n")
    _print_table(per_kind)
    print(f"  misses: {MISSES}")
    return met


def _missed(figures: dict) -> bool:
    if "answered" in figures:
        return figures["answered"]
    return figures["rr"] < 1 or figures["r10"] < 1


def _miss_line(query: dict, ranked: list[str], result) -> str:
    flags = "".join(
        f" [{flag}]" for flag, on in (("loosened", result.loosened), ("fuzzy", result.fuzzy)) if on
    )
    first = "; ".join(ranked[:3]) or "(nothing)"
    head = f"{query['kind']:<12} | {query['query']!r}"
    if not query["relevant"]:
        return f"{head} | answered {result.total}{flags} | {first}"
    figures = judge(ranked, result.total, query["relevant"])
    missing = [name for name in query["relevant"] if name not in ranked[:10]]
    return (
        f"{head} | {figures['rr']:.2f} {figures['p5']:.2f} {figures['r10']:.2f}{flags} | "
        f"{first} | {'; '.join(missing) or '-'}"
    )


def _print_table(per_kind: dict) -> None:
    print(f"\n  {'kind':<13}{'n':>4}{'mrr':>7}{'p@5':>7}{'r@10':>7}{'empty':>7}{'answered':>9}")
    for kind, f in per_kind.items():
        cells = [f.get(k) for k in ("mrr", "p_at_5", "r_at_10", "no_result")]
        shown = "".join(f"{'-' if c is None else c:>7}" for c in cells)
        answered = f.get("answered_unanswerable")
        print(f"  {kind:<13}{f['queries']:>4}{shown}{'-' if answered is None else answered:>9}")


if __name__ == "__main__":
    run()
