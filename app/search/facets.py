"""Facet counts over a whole match, from column arrays kept per index generation.

Counting happens in C (``collections.Counter`` over list lookups), so a broad query over tens
of thousands of products still counts in milliseconds.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter

from app.search.params import MIN_ORDER_BUCKETS, PRICE_BUCKETS
from app.search.whoosh_index import generation_key

PRICE_KEYS = [key for key, _, _ in PRICE_BUCKETS]
PRICE_EDGES = [low for _, low, _ in PRICE_BUCKETS[1:]]
ORDER_KEYS = [key for key, _, _ in MIN_ORDER_BUCKETS]
ORDER_EDGES = [low for _, low, _ in MIN_ORDER_BUCKETS[1:]]
RANGES = {"price": PRICE_KEYS, "min_order": ORDER_KEYS}
SINGLE = {"category": "category_id", "sector": "sector_id", "region": "regency"}
SETS = {"certification": "certification_set", "partner": "partner_set"}

_lock = threading.Lock()
_columns: dict[tuple, dict[str, list]] = {}


def _load(s) -> dict[str, list]:
    reader = s.reader()
    columns = {name: list(reader.column_reader(field)) for name, field in SINGLE.items()}
    for name, field in SETS.items():
        columns[name] = [value.decode() if value else "-" for value in reader.column_reader(field)]
    prices = list(reader.column_reader("price_col"))
    orders = list(reader.column_reader("min_order_col"))
    columns["price"] = [PRICE_KEYS[bisect_right(PRICE_EDGES, value)] for value in prices]
    columns["min_order"] = [ORDER_KEYS[bisect_right(ORDER_EDGES, value)] for value in orders]
    return columns


def columns_for(s) -> dict[str, list]:
    key = generation_key(s.ixreader)
    with _lock:
        if key not in _columns:
            if len(_columns) > 12:
                _columns.clear()
            _columns[key] = _load(s)
        return _columns[key]


def clear_caches() -> None:
    """Forget the column arrays read so far (``app.search.clear_caches``)."""
    with _lock:
        _columns.clear()


def sort_column(s, field: str) -> list:
    """Values of a numeric column (price_col, listed_col, min_order_col) by document number."""
    key = (*generation_key(s.ixreader), "sort:" + field)
    with _lock:
        if key not in _columns:
            _columns[key] = list(s.reader().column_reader(field))
        return _columns[key]


def count(s, docnums: list[int], only: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of every facet, or of the facet ``only``."""
    columns = columns_for(s)
    counted: dict[str, list[tuple[str, int]]] = {}
    for name, values in columns.items():
        if only is not None and name != only:
            continue
        tally = Counter(map(values.__getitem__, docnums))
        if name in SETS:
            tally = _spread(tally)
        pairs = [(str(k), v) for k, v in tally.items() if k not in ("", "-", None)]
        if name in RANGES:  # ranges read in their own order, cheapest first
            counted[name] = sorted(pairs, key=lambda item: RANGES[name].index(item[0]))
        else:
            counted[name] = sorted(pairs, key=lambda item: -item[1])
    return counted


def _spread(tally: Counter) -> Counter:
    """ "halal pirt" counted 3 times is halal 3 and pirt 3."""
    spread: Counter = Counter()
    for combination, number in tally.items():
        for value in str(combination).split():
            spread[value] += number
    return spread
