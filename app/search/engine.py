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
from collections import Counter, OrderedDict
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher

from app.search.whoosh_index import generation_key

_lock = threading.Lock()
# generation -> (deleted docnums, doc_count_all, live docnums or None until asked for)
_live: dict[tuple, list] = {}
# How often a segment's own data (posting lists, columns) was found already read, or had to be
# read: tests check with it that a commit re-reads only what is new.
stats: Counter = Counter()


def segments(reader) -> list[tuple[tuple, object, int]]:
    """(segment key, leaf reader, offset of its first document) for each segment of ``reader``.

    Whoosh never changes a segment once written; only which of its documents are deleted, and
    that is kept apart (``deleted_and_size``). So what is read from a segment is kept under
    its key (the index folder and Whoosh's segment id) and serves every later generation that
    still holds the segment: a commit costs reading the new segments and the deletions only.
    """
    folder = generation_key(reader)[0]
    found = []
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()  # None for an empty index
        found.append(((folder, segment.segment_id() if segment else "empty"), leaf, offset))
    return found


def deleted_and_size(reader) -> tuple[frozenset, int]:
    key = generation_key(reader)
    with _lock:
        if key not in _live:
            deleted = set()
            for leaf, offset in reader.leaf_readers():
                if leaf.has_deletions():
                    deleted.update(offset + docnum for docnum in leaf.deleted_docs_set)
            while len(_live) > 4:
                _live.pop(next(iter(_live)))
            _live[key] = [frozenset(deleted), reader.doc_count_all(), None]
        found = _live[key]
        return found[0], found[1]


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
    """Recently read posting lists within a budget of document numbers (about 60 bytes each:
    400,000 is some 25 MB), the least recently used dropped first. Shoppers repeat the same few
    words.

    With ``per_state`` (whole-index answers, deletions applied) a new index state starts
    afresh, so nothing is ever stale; without it (one segment's own postings, which never
    change) entries serve every state that holds their segment."""

    def __init__(self, budget: int, per_state: bool = True):
        self.budget = budget
        self.per_state = per_state
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
            if self.per_state and key[:2] != self.state:  # another index state: start afresh
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


_terms = _TermCache(budget=400_000)  # (folder, commit, field, text): whole-index answers
# (folder, segment id, field, text): one segment's documents, numbered within the segment
_segment_terms = _TermCache(budget=600_000, per_state=False)


def _segment_docs(key: tuple, leaf, offset: int, fieldname: str, text: str) -> frozenset[int]:
    """One segment's documents containing ``text``, numbered as in an index where the segment
    starts at ``offset``. Kept by offset too: a commit adds segments after the big ones, whose
    offsets (and so these sets) stay the same; only a merge before a segment moves it."""
    entry = (*key, offset, fieldname, text)
    found = _segment_terms.get(entry)
    if found is not None:
        stats["segment_terms_reused"] += 1
        return found
    stats["segment_terms_read"] += 1
    ids = _leaf_ids(leaf, fieldname, text)
    found = frozenset(ids if offset == 0 else map(offset.__add__, ids))
    _segment_terms.put(entry, found)
    return found


def docs(reader, fieldname: str, text: str) -> frozenset[int]:
    """Live document numbers containing ``text`` in ``fieldname`` (global numbering)."""
    key = (*generation_key(reader), fieldname, text)
    cached = _terms.get(key)
    if cached is not None:
        return cached
    parts = [
        _segment_docs(segment, leaf, offset, fieldname, text)
        for segment, leaf, offset in segments(reader)
    ]
    parts = [part for part in parts if part]
    found = parts[0].union(*parts[1:]) if parts else frozenset()
    deleted, _ = deleted_and_size(reader)
    if deleted and found:
        found = found - deleted
    result = frozenset(found)
    _terms.put(key, result)
    return result


def clear_caches() -> None:
    """Forget the posting lists and deletions read so far (``app.search.clear_caches``)."""
    _terms.clear()
    _segment_terms.clear()
    with _lock:
        _live.clear()


def all_docs(reader) -> frozenset[int]:
    """Every live document number, kept per index state."""
    deleted, size = deleted_and_size(reader)
    with _lock:
        found = _live.get(generation_key(reader))
        if found is not None and found[2] is not None:
            return found[2]
    live = frozenset(range(size)) - deleted
    with _lock:
        if found is not None:
            found[2] = live
    return live


class Deadline:
    """The searcher's time limit: expensive steps (typo expansion) stop when it has passed."""

    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def passed(self) -> bool:
        return time.perf_counter() > self.end
