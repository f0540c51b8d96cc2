"""The Whoosh index: schema, opening (with a cached searcher), querying with facets.

The index lives in ``SEARCH_INDEX_DIR/generation-*``; ``current`` is a symlink to the live
generation, replaced atomically by a rebuild.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from flask import current_app
from whoosh import columns
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

from app.core import clock
from app.search.analysis import data_digest, english_analyzer, indonesian_analyzer

# Raise when what documents hold or how text is analysed changes: `flask search rebuild
# --if-needed` (run by `make run` and on deploy) then rebuilds an index built the older way.
# The version file also holds a digest of the word lists (app/search/data), so an edited list
# brings a rebuild the same way.
FORMAT_VERSION = 5
VERSION_FILE = "etalase-format"


def _text(analyzer, **options) -> TEXT:
    """Words without positions (queries never ask for phrases) and without field lengths: ranking
    is by field weights in query.py, not Whoosh's BM25, and writing each posting's length is a
    sixth of a rebuild."""
    field = TEXT(analyzer=analyzer, phrase=False, **options)
    field.scorable = False
    return field


def schema() -> Schema:
    indonesian = indonesian_analyzer()
    numbers = columns.NumericColumn("q")  # 64-bit: prices, quantities, milliseconds
    return Schema(
        id=ID(stored=True, unique=True),
        name=_text(indonesian, stored=True),
        category=_text(indonesian),
        description=_text(indonesian),  # the product's text, materials and attributes
        maker=_text(indonesian),  # the IKM's name, region and address
        english=_text(english_analyzer()),
        summary=STORED,  # the product's own text, shown and highlighted
        materials=STORED,  # (in the summary) not read for phrases: query.py's _matching
        # Filters: one term each; sortable, so their columns also serve the facet counts.
        category_id=ID(stored=True, sortable=True),
        sector_id=ID(stored=True, sortable=True),
        regency=ID(stored=True, sortable=True),
        certifications=KEYWORD(stored=True, lowercase=True),
        partners=KEYWORD(stored=True),
        # Facets and sorting only: columns without postings (NUMERIC would index 16 terms each).
        certification_set=COLUMN(columns.VarBytesColumn()),
        partner_set=COLUMN(columns.VarBytesColumn()),
        price_col=COLUMN(numbers),
        min_order_col=COLUMN(numbers),
        listed_col=COLUMN(numbers),
        rank_col=COLUMN(numbers),  # ties among equal matches: curation, completeness, date
        price=STORED,
        min_order=STORED,
        listed_at=STORED,
        ikm_id=STORED,
        ikm_name=STORED,
        unit=STORED,
        image=STORED,
        digest=STORED,
    )


class _MappedStream:
    """A read-only stream over a memoryview with its own position; nothing is copied."""

    __slots__ = ("_pos", "_view")

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = end
        return self._view[start:end].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        rest = self._view[self._pos :].tobytes()
        end = rest.find(b"\n") + 1 or len(rest)
        self._pos += end
        return rest[:end]

    def tell(self) -> int:
        return self._pos

    def seek(self, where: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = base + where
        return self._pos

    def close(self) -> None:
        pass

    def flush(self) -> None:
        pass


class _MappedFile(BufferFile):
    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MappedStream(buf)


# A segment's files, copied out of the map once per process. Whoosh never changes a segment
# file; but each commit opens a new reader on every segment, which copied the terms and
# postings of the whole catalogue again (some 30 ms at 100,000 products) in each worker for the
# first search after any change. Kept by the compound file's identity (device, inode, time,
# size) and the file's name; segments no longer live are dropped when a new searcher opens
# (``_forget_copies``).
_copies: dict[tuple, bytes] = {}
_copies_lock = threading.Lock()


def _segment_file(buf, name=None, onclose=None):
    """Whoosh copies each file of a segment out of its memory map into a BytesIO. The stored
    fields are the largest file by far (about 200 bytes a product) and are read only for the 24
    results on a page: read them straight from the map instead. The files read on every query
    (terms, postings) keep the copy, which is faster to read from (``_open_file`` makes it once
    per segment file)."""
    if name and name.endswith("._stored.col"):
        return _MappedFile(buf, name=name, onclose=onclose)
    return BufferFile(buf, name=name, onclose=onclose)


compound.BufferFile = _segment_file  # CompoundStorage.open_file looks it up here

_compound_init = compound.CompoundStorage.__init__
_compound_open_file = compound.CompoundStorage.open_file


def _compound_storage_init(self, dbfile, *args, **kwargs):
    """CompoundStorage.__init__, noting which file on disk the segment is."""
    try:
        found = os.fstat(dbfile.fileno())
        self.etalase_identity = (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)
    except (AttributeError, OSError, ValueError):
        self.etalase_identity = None
    _compound_init(self, dbfile, *args, **kwargs)


def _open_file(self, name, *args, **kwargs):
    """CompoundStorage.open_file; a mapped segment's terms and postings from one shared copy
    (a BytesIO over bytes does not copy them again)."""
    identity = getattr(self, "etalase_identity", None)
    if identity is None or not self._source or self.is_closed or name.endswith("._stored.col"):
        return _compound_open_file(self, name, *args, **kwargs)
    key = (identity, name)
    with _copies_lock:
        data = _copies.get(key)
    if data is None:
        offset, length = self.range(name)
        data = bytes(memoryview(self._source)[offset : offset + length])
        with _copies_lock:
            data = _copies.setdefault(key, data)
    return BufferFile(data, name=name)


compound.CompoundStorage.__init__ = _compound_storage_init
compound.CompoundStorage.open_file = _open_file


def _forget_copies(live: set[str]) -> None:
    """Drop the copies of segments that none of ``live`` (segment ids) names."""
    with _copies_lock:
        for key in [key for key in _copies if _segment_id(key[1]) not in live]:
            del _copies[key]


def _segment_id(name: str) -> str:
    """ "MAIN_k69t9ow889yc4p1d.pst" -> "MAIN_k69t9ow889yc4p1d" (``Segment.segment_id()``)."""
    return name.split(".", 1)[0]


def _cached_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, remembering a missing column too. Writing a segment asks
    for each posting's field length; the fields have no lengths (_text), and Whoosh otherwise
    looks for the length file on disk once per posting."""
    if fieldname not in self._readers:
        found = self.has_column(fieldname)
        self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
    return self._readers[fieldname]


whoosh3.W3PerDocReader._cached_reader = _cached_reader


def base_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def current_path() -> Path:
    return base_dir() / "current"


class IndexUnavailable(Exception):
    """The index is missing or unreadable; search falls back to the database."""


_lock = threading.Lock()
_cache: dict[str, tuple] = {}  # base dir -> (target path, index, searcher)


def open_index(create: bool = False):
    """The live index; created empty when missing and ``create`` is set."""
    link = current_path()
    if not link.exists():
        if not create:
            raise IndexUnavailable("no index yet")
        return _create_first_generation()
    try:
        return whoosh_index.open_dir(os.path.realpath(link))
    except Exception as error:
        raise IndexUnavailable(str(error)) from error


def rebuild_reason() -> str | None:
    """Why the live index cannot serve as it is (missing, unreadable, an older schema), or None."""
    try:
        ix = open_index()
    except IndexUnavailable as error:
        return str(error)
    try:
        expected = {name: type(field).__name__ for name, field in schema().items()}
        actual = {name: type(field).__name__ for name, field in ix.schema.items()}
    finally:
        ix.close()
    if actual != expected:
        return "the index was built with another schema"
    try:
        version, _, lists = (current_path() / VERSION_FILE).read_text().strip().partition(" ")
    except OSError:
        version, lists = "1", ""
    if version != str(FORMAT_VERSION):
        return f"the index was built by format {version}, this release writes {FORMAT_VERSION}"
    if lists != data_digest():
        return "the index was built with other word lists (app/search/data)"
    return None


def indexed_count() -> int:
    """How many products the live index holds."""
    ix = open_index()
    try:
        return ix.doc_count()
    finally:
        ix.close()


def new_generation() -> Path:
    path = base_dir() / f"generation-{clock.now().strftime('%Y%m%dT%H%M%S%f')}"
    path.mkdir(parents=True)
    (path / VERSION_FILE).write_text(f"{FORMAT_VERSION} {data_digest()}\n")
    return path


def publish(path: Path) -> None:
    """Make ``path`` the live generation in one atomic step."""
    temporary = base_dir() / f"current.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(path.name)
    os.replace(temporary, current_path())


def _create_first_generation():
    path = new_generation()
    ix = whoosh_index.create_in(path, schema())
    publish(path)
    return ix


def generation_key(reader) -> tuple:
    """Names one state of one index: its folder and commit number. Caches of what was read from
    an index (columns, posting lists, counts) are keyed by it. The folder matters: a rebuilt
    index starts counting commits again from the beginning."""
    return (getattr(reader, "etalase_path", None) or str(base_dir()), reader.generation())


def _searcher_of(target: str, ix):
    found = ix.searcher()
    found.ixreader.etalase_path = target
    return found


def _forget_unused_copies() -> None:
    """Keep the copies of the segments that the cached searchers read (called with ``_lock``)."""
    live = set()
    for _, _, cached in _cache.values():
        for leaf, _ in cached.ixreader.leaf_readers():
            segment = leaf.segment()
            if segment is not None:
                live.add(segment.segment_id())
    _forget_copies(live)


def searcher():
    """A searcher on the live generation, reused and refreshed between requests."""
    key = str(base_dir())
    with _lock:
        target = os.path.realpath(current_path()) if current_path().exists() else None
        cached = _cache.get(key)
        try:
            if cached and cached[0] == target:
                if cached[2].up_to_date():
                    return cached[2]
                # Not Searcher.refresh(): it reuses segment readers and misses new deletions.
                cached[2].close()
                _cache[key] = (target, cached[1], _searcher_of(target, cached[1]))
                _forget_unused_copies()
                return _cache[key][2]
            if target is None:
                raise IndexUnavailable("no index yet")
            ix = whoosh_index.open_dir(target)
            _cache[key] = (target, ix, _searcher_of(target, ix))
            _forget_unused_copies()
            return _cache[key][2]
        except IndexUnavailable:
            raise
        except Exception as error:
            _cache.pop(key, None)
            raise IndexUnavailable(str(error)) from error


def forget() -> None:
    """Drop cached searchers (after a rebuild in this process, or in tests)."""
    with _lock:
        for _, _, cached in _cache.values():
            cached.close()
        _cache.clear()
        _forget_copies(set())
