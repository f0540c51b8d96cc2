"""Fast retrieval over the Whoosh index: sets of document numbers read block by block.

Whoosh stores postings in blocks; its matchers then step through them one document at a time
in Python, which is what makes broad queries with facet counts slow on a large catalogue.
Here a term's documents are read a whole block at a time, combined as Python sets (in C),
scored by field weights, and counted for facets from cached column arrays. Whoosh still
provides the index files, the analysers, the lexicon (for typo tolerance), stored fields and
highlighting.
"""

from __future__ import annotations

import threading
import time

from whoosh.codec.whoosh3 import W3LeafMatcher

from app.search.whoosh_index import base_dir

_lock = threading.Lock()
_live: dict[tuple, tuple[frozenset, int]] = {}  # generation -> (deleted docnums, doc_count_all)


def deleted_and_size(reader) -> tuple[frozenset, int]:
    key = (str(base_dir()), reader.generation())
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
        ids: list[int] = []
        while not matcher._atend:
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids)
            if matcher._lastblock:
                break
            matcher._next_block()
        return ids
    return list(matcher.all_ids())  # postings stored inline with the term


def docs(reader, fieldname: str, text: str) -> set[int]:
    """Live document numbers containing ``text`` in ``fieldname`` (global numbering)."""
    found: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        ids = _leaf_ids(leaf, fieldname, text)
        found.update(ids if offset == 0 else (offset + i for i in ids))
    deleted, _ = deleted_and_size(reader)
    return found - deleted if deleted else found


def all_docs(reader) -> set[int]:
    deleted, size = deleted_and_size(reader)
    return set(range(size)) - deleted


class Deadline:
    """The searcher's time limit: expensive steps (typo expansion) stop when it has passed."""

    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def passed(self) -> bool:
        return time.perf_counter() > self.end
