"""The judged query set of the relevance benchmark (bench/relevance_queries.json) is well formed."""

from collections import Counter

from app.demo.catalog import MORE_PRODUCTS, PRODUCTS
from bench.relevance import KINDS, load_queries

DEMO_NAMES = {row[0] for rows in (*PRODUCTS.values(), *MORE_PRODUCTS.values()) for row in rows}


def test_every_relevant_product_is_a_demo_product():
    unknown = {name for q in load_queries() for name in q["relevant"]} - DEMO_NAMES
    assert not unknown


def test_enough_queries_of_every_kind():
    queries = load_queries()
    assert len(queries) >= 150
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) == set(KINDS)


def test_each_query_is_judged_once_and_fully():
    queries = load_queries()
    texts = [q["query"].strip().lower() for q in queries]
    assert len(texts) == len(set(texts)), "a query is judged twice"
    for query in queries:
        assert query["query"].strip()
        assert set(query) <= {"query", "kind", "relevant", "why"}
        assert len(query["relevant"]) == len(set(query["relevant"]))
        if query["kind"] == "unanswerable":
            assert query["relevant"] == [], query["query"]
        else:
            assert query["relevant"], query["query"]


def test_the_figures_of_one_query():
    from bench.relevance import judge, summarise

    found = judge(["b", "a", "x"], 3, ["a"])
    assert found == {"rr": 0.5, "p5": 1.0, "r10": 1.0, "empty": False}
    assert judge([], 0, ["a", "b"])["empty"]
    assert summarise([found, judge(["x"], 1, [])]) == {
        "queries": 2,
        "mrr": 0.5,
        "p_at_5": 1.0,
        "r_at_10": 1.0,
        "no_result": 0.0,
        "answered_unanswerable": 1.0,
    }
