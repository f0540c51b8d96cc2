"""Fast retrieval over the Whoosh index: sets of document numbers read block by block.

Whoosh stores postings in blocks; its matchers then step through them one document at a time
in Python, which is what makes broad queries with facet counts slow on a large catalogue.
Here a term's documents are read a whole block at a time, combined as Python sets (in C),
scored by field weights, and counted for facets from cached column arrays. Whoosh still
provides the index files, the analysers, the lexicon (for typo tolerance), stored fields and
highlighting.

Reading blocks means reading below Whoosh's public interface, all of it in ``_leaf_ids`` and
``_block_ids``: ``SegmentReader._terms`` and ``._text_to_bytes``; ``W3LeafMatcher._postfile``
(and its ``_buf``), ``._baseoffset``, ``._byteids``, ``._atend``, ``._data``, ``._read_data``,
``._lastblock`` and ``._next_block``; and the layout of a whoosh3 posting block (a length,
negative for the last block; a pickled info tuple whose fourth item says compressed; the
pickled, possibly zlib-compressed, data tuple whose first item holds the ids or their gaps).
That is why pyproject.toml pins whoosh-reloaded exactly, and why tests/search/test_engine.py
compares ``docs`` with Whoosh's own matchers on indexes of many blocks, segments and deletions.
Should any of it still fail, ``query.search`` answers from the database.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import time
import zlib
from collections import OrderedDict
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher

from app.search.whoosh_index import generation_key

_lock = threading.Lock()
_live: dict[tuple, tuple[frozenset, int]] = {}  # generation -> (deleted docnums, doc_count_all)


def deleted_and_size(reader) -> tuple[frozenset, int]:
    key = generation_key(reader)
    with _lock:
        if key not in _live:
            deleted = set()
            for leaf, offset in reader.leaf_readers():
                if leaf.has_deletions():
                    deleted.update(offset + docnum for docnum in leaf.deleted_docs_set)
            if len(_live) > 8:
                _live.clear()
            _live[key] = (frozenset(deleted), reader.doc_count_all())
        return _live[key]


def _leaf_ids(leaf, fieldname: str, text: str) -> list[int]:
    if leaf.doc_frequency(fieldname, text) == 0:
        return []
    tbytes = leaf._text_to_bytes(fieldname, text)
    matcher = leaf._terms.matcher(fieldname, tbytes, leaf.schema[fieldname].format)
    if isinstance(matcher, W3LeafMatcher):
        buf = getattr(matcher._postfile, "_buf", None)  # the segment's bytes, when in memory
        if buf is not None:
            return _block_ids(buf, matcher._baseoffset, matcher._byteids)
        ids: list[int] = []
        while not matcher._atend:
            if matcher._data is None:
                matcher._read_data()  # one block, unpickled in C
            raw = matcher._data[0]
            # Whoosh stores gaps between ids; its own decoder adds them up in a Python loop.
            ids.extend(raw if matcher._byteids else accumulate(raw))
            if matcher._lastblock:
                break
            matcher._next_block()
        return ids
    return list(matcher.all_ids())  # postings stored inline with the term


_BLOCK_LENGTH = struct.Struct("!i")  # Whoosh's read_int


def _block_ids(buf, position: int, byteids: bool) -> list[int]:
    """Every document number of a posting list, read block by block straight from the bytes.

    The same reading as W3LeafMatcher's _goto and _read_data (length, pickled block info,
    possibly compressed pickled data), without its per-block Python file calls, which cost more
    than decoding the block itself.
    """
    ids: list[int] = []
    while True:
        (length,) = _BLOCK_LENGTH.unpack_from(buf, position)
        start = position + _BLOCK_LENGTH.size
        block = io.BytesIO(buf[start : start + abs(length)])
        # The index is the app's own file, which Whoosh itself reads with pickle too.
        info = pickle.load(block)  # noqa: S301 - (count, max id, max weight, compression, ...)
        data = block.read()
        raw = pickle.loads(zlib.decompress(data) if info[3] else data)[0]  # noqa: S301
        # Whoosh stores gaps between ids; its own decoder adds them up in a Python loop.
        ids.extend(raw if byteids else accumulate(raw))
        if length < 0:  # the last block
            return ids
        position = start + length


class _TermCache:
    """Recently read posting lists, per index generation, within a budget of document numbers
    (about 60 bytes each: 400,000 is some 25 MB). Shoppers repeat the same few words; a new
    generation (any change to the catalogue) starts afresh, so nothing here is ever stale."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.state: tuple | None = None  # the (index folder, commit) the entries were read from
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, frozenset[int]] = OrderedDict()

    def get(self, key: tuple) -> frozenset[int] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, value: frozenset[int]) -> None:
        if len(value) > self.budget // 4:
            return
        with self.lock:
            if key[:2] != self.state:  # another index state: start afresh
                self.entries.clear()
                self.used = 0
                self.state = key[:2]
            if key not in self.entries:
                self.entries[key] = value
                self.used += len(value) + 1
            while self.used > self.budget:
                _, dropped = self.entries.popitem(last=False)
                self.used -= len(dropped) + 1

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0
            self.state = None


_terms = _TermCache(budget=400_000)


def docs(reader, fieldname: str, text: str) -> frozenset[int]:
    """Live document numbers containing ``text`` in ``fieldname`` (global numbering)."""
    key = (*generation_key(reader), fieldname, text)
    cached = _terms.get(key)
    if cached is not None:
        return cached
    found: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        ids = _leaf_ids(leaf, fieldname, text)
        found.update(ids if offset == 0 else map(offset.__add__, ids))
    deleted, _ = deleted_and_size(reader)
    if deleted:
        found -= deleted
    result = frozenset(found)
    _terms.put(key, result)
    return result


def clear_caches() -> None:
    """Forget the posting lists and deletions read so far (``app.search.clear_caches``)."""
    _terms.clear()
    with _lock:
        _live.clear()


def all_docs(reader) -> set[int]:
    deleted, size = deleted_and_size(reader)
    return set(range(size)) - deleted


class Deadline:
    """The searcher's time limit: expensive steps (typo expansion) stop when it has passed."""

    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def passed(self) -> bool:
        return time.perf_counter() > self.end
