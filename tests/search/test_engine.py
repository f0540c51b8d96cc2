"""The posting-list cache stays within its memory budget and never outlives its index state."""

from app.search.engine import _TermCache


def test_the_cache_keeps_within_its_budget_dropping_the_least_recently_used():
    cache = _TermCache(budget=100)
    for word in ("a", "b", "c", "d"):
        cache.put(("index", 1, "name", word), frozenset(range(20)))
    assert cache.get(("index", 1, "name", "a")) is not None  # now the most recently used
    cache.put(("index", 1, "name", "e"), frozenset(range(20)))
    assert cache.used <= 100
    assert cache.get(("index", 1, "name", "b")) is None  # the oldest went
    assert cache.get(("index", 1, "name", "a")) == frozenset(range(20))
    cache.put(("index", 1, "name", "huge"), frozenset(range(60)))  # over a quarter: not kept
    assert cache.get(("index", 1, "name", "huge")) is None


def test_a_new_index_state_empties_the_cache():
    cache = _TermCache(budget=100)
    cache.put(("index", 1, "name", "sepatu"), frozenset({1, 2}))
    cache.put(("index", 2, "name", "tas"), frozenset({3}))
    assert cache.get(("index", 1, "name", "sepatu")) is None
    assert cache.used == 2
