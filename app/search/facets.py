"""Facet counts over a whole match, and sorting, from column arrays kept per segment.

Counting happens in C (``collections.Counter`` over list lookups), so a broad query over tens
of thousands of products still counts in milliseconds.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_right
from collections import Counter
from itertools import islice

from app.search import engine
from app.search.params import MIN_ORDER_BUCKETS, PRICE_BUCKETS
from app.search.whoosh_index import generation_key

PRICE_KEYS = [key for key, _, _ in PRICE_BUCKETS]
PRICE_EDGES = [low for _, low, _ in PRICE_BUCKETS[1:]]
ORDER_KEYS = [key for key, _, _ in MIN_ORDER_BUCKETS]
ORDER_EDGES = [low for _, low, _ in MIN_ORDER_BUCKETS[1:]]
RANGES = {"price": PRICE_KEYS, "min_order": ORDER_KEYS}
SINGLE = {"category": "category_id", "sector": "sector_id", "region": "regency"}
SETS = {"certification": "certification_set", "partner": "partner_set"}
FACETS = [*SINGLE, *SETS, "price", "min_order"]

_lock = threading.Lock()
_columns: dict[tuple, dict[str, list]] = {}  # index state -> facet name -> value by docnum
_sorts: dict[tuple, list] = {}  # (index state, field) -> value by docnum
# Read from one segment, which Whoosh never changes: (folder, segment id) -> its arrays, kept
# while the segment is part of the index (see engine.segments).
_segment_columns: dict[tuple, dict[str, list]] = {}
_segment_sorts: dict[tuple, list] = {}
_segment_tallies: dict[tuple, dict[str, Counter]] = {}
_segment_orders: dict[tuple, list[int]] = {}


def _load(leaf) -> dict[str, list]:
    """The facet columns of one segment, by its own document numbers."""
    columns = {name: list(leaf.column_reader(field)) for name, field in SINGLE.items()}
    for name, field in SETS.items():
        columns[name] = [value.decode() if value else "-" for value in leaf.column_reader(field)]
    prices = list(leaf.column_reader("price_col"))
    orders = list(leaf.column_reader("min_order_col"))
    columns["price"] = [PRICE_KEYS[bisect_right(PRICE_EDGES, value)] for value in prices]
    columns["min_order"] = [ORDER_KEYS[bisect_right(ORDER_EDGES, value)] for value in orders]
    return columns


def _of_segment(store: dict, key: tuple, read):
    """``store[key]``, read once with ``read()`` (counted in engine.stats)."""
    with _lock:
        found = store.get(key)
    if found is not None:
        engine.stats["segment_columns_reused"] += 1
        return found
    engine.stats["segment_columns_read"] += 1
    found = read()
    with _lock:
        return store.setdefault(key, found)


def _forget_other_segments(reader) -> None:
    """Drop what was read from segments the live index no longer holds (merged or rebuilt)."""
    keep = {key for key, _, _ in engine.segments(reader)}
    with _lock:
        for store in (_segment_columns, _segment_tallies, _segment_orders):
            for key in [key for key in store if key not in keep]:
                del store[key]
        for key in [key for key in _segment_sorts if key[:2] not in keep]:
            del _segment_sorts[key]


def _remember(store: dict, key: tuple, value, keep: int):
    """``store[key] = value``, keeping the ``keep`` latest (the searchers still open on an
    older state may ask for it)."""
    with _lock:
        while len(store) >= keep:
            store.pop(next(iter(store)))
        return store.setdefault(key, value)


def columns_for(s) -> dict[str, list]:
    """Facet values by (global) document number: the segments' own arrays put end to end."""
    reader = s.ixreader
    key = generation_key(reader)
    with _lock:
        found = _columns.get(key)
    if found is not None:
        return found
    parts = [
        _of_segment(_segment_columns, segment, lambda leaf=leaf: _load(leaf))
        for segment, leaf, _ in engine.segments(reader)
    ]
    _forget_other_segments(reader)
    joined = {name: _joined([part[name] for part in parts]) for name in FACETS}
    return _remember(_columns, key, joined, keep=2)


def _joined(parts: list[list]) -> list:
    """One array from the segments' arrays, in document number order (copied in C)."""
    if len(parts) == 1:
        return parts[0]
    joined: list = []
    for part in parts:
        joined.extend(part)
    return joined


def clear_caches(segments: bool = True) -> None:
    """Forget the column arrays joined per index state and, with ``segments``, those read from
    each segment (``app.search.clear_caches``)."""
    with _lock:
        stores = [_columns, _sorts]
        if segments:
            stores += [_segment_columns, _segment_sorts, _segment_tallies, _segment_orders]
        for store in stores:
            store.clear()


def sort_column(s, field: str) -> list:
    """Values of a numeric column (price_col, listed_col, min_order_col) by document number."""
    reader = s.ixreader
    key = (*generation_key(reader), field)
    with _lock:
        found = _sorts.get(key)
    if found is not None:
        return found
    parts = [
        _of_segment(
            _segment_sorts, (*segment, field), lambda leaf=leaf: list(leaf.column_reader(field))
        )
        for segment, leaf, _ in engine.segments(reader)
    ]
    return _remember(_sorts, key, _joined(parts), keep=6)


def count(s, docnums, only: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of every facet, or of the facet ``only``."""
    columns = columns_for(s)
    tallies = {
        name: Counter(map(values.__getitem__, docnums))
        for name, values in columns.items()
        if only is None or name == only
    }
    return _counted(tallies)


def count_all(s) -> dict[str, list[tuple[str, int]]]:
    """``count`` over every live document, without visiting each: each segment's counts are
    kept, and only its deleted documents are taken off."""
    reader = s.ixreader
    columns = columns_for(s)
    deleted, _ = engine.deleted_and_size(reader)
    totals = {name: Counter() for name in FACETS}
    for segment, leaf, _ in engine.segments(reader):
        own = _of_segment(_segment_columns, segment, lambda leaf=leaf: _load(leaf))
        tallies = _of_segment(
            _segment_tallies, segment, lambda own=own: {n: Counter(v) for n, v in own.items()}
        )
        for name in FACETS:
            totals[name].update(tallies[name])
    if deleted:
        for name in FACETS:
            totals[name].subtract(Counter(map(columns[name].__getitem__, deleted)))
    return _counted({name: +tally for name, tally in totals.items()})


def newest(s, field: str, descending: bool, wanted: int) -> list[int]:
    """The first ``wanted`` live documents by ``field`` (ties: lower document number first),
    as ``heapq.nlargest``/``nsmallest`` over every sorted document number would give them,
    from each segment's order kept once (a merge that stops at ``wanted``)."""
    reader = s.ixreader
    values = sort_column(s, field)
    deleted, _ = engine.deleted_and_size(reader)
    runs = []
    for segment, leaf, offset in engine.segments(reader):
        local = _of_segment(
            _segment_sorts, (*segment, field), lambda leaf=leaf: list(leaf.column_reader(field))
        )
        order = _of_segment(
            _segment_orders,
            (*segment, field, descending),
            lambda local=local: sorted(
                range(len(local)), key=local.__getitem__, reverse=descending
            ),
        )
        runs.append(map(offset.__add__, order))  # bound now, not when the merge reads it
    if descending:
        merged = heapq.merge(*runs, key=lambda d: (-values[d], d))
    else:
        merged = heapq.merge(*runs, key=lambda d: (values[d], d))
    return list(islice((d for d in merged if d not in deleted), wanted))


def _counted(tallies: dict[str, Counter]) -> dict[str, list[tuple[str, int]]]:
    counted: dict[str, list[tuple[str, int]]] = {}
    for name, tally in tallies.items():
        if name in SETS:
            tally = _spread(tally)
        pairs = [(str(k), v) for k, v in tally.items() if k not in ("", "-", None)]
        if name in RANGES:  # ranges read in their own order, cheapest first
            counted[name] = sorted(pairs, key=lambda item: RANGES[name].index(item[0]))
        else:
            counted[name] = sorted(pairs, key=lambda item: (-item[1], item[0]))
    return counted


def _spread(tally: Counter) -> Counter:
    """ "halal pirt" counted 3 times is halal 3 and pirt 3."""
    spread: Counter = Counter()
    for combination, number in tally.items():
        for value in str(combination).split():
            spread[value] += number
    return spread
