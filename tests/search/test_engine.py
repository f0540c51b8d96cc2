"""The engine reads Whoosh's posting blocks below its public interface: it must find exactly what
Whoosh's own matchers find, on indexes of many blocks, segments and deletions; the Whoosh
globals the search module replaces must be the ones Whoosh still uses. A Whoosh upgrade that
changes any of it fails here, not in production."""

import importlib.metadata
import random
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index_module
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.query import Term
from whoosh.writing import NO_MERGE

from app.search import clear_caches, engine, whoosh_index
from app.search.engine import _TermCache

ROOT = Path(__file__).resolve().parents[2]
BLOCK = 128  # Whoosh's posting block size (W3Codec's blocklimit)
# Word frequencies from common (most documents: several blocks per segment) to rare (a block of
# a few postings, too short to compress).
WORDS = [
    ("sepatu", 0.9),
    ("kulit", 0.6),
    ("batik", 0.35),
    ("rotan", 0.12),
    ("jati", 0.03),
    ("kuningan", 0.006),
]
REGENCIES = ["35.16", "35.76", "35.15"]
POSTING_FIELDS = ["name", "description", "english", "regency", "certifications", "partners"]


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


# -- an index of several segments, blocks and deletions ----------------------------------------


def _document(number: int, rng: random.Random) -> dict:
    words = [word for word, share in WORDS if rng.random() < share]
    rare = [f"kode{number}"] if number % 10 == 0 else []  # one posting
    rare += [f"pasang{number // 2}"] if number % 10 < 2 else []  # two postings
    name = " ".join([*words, *rare])
    return {
        "id": str(number),
        "name": name,
        "description": " ".join(rng.sample(words, len(words)) + rare[-1:]),
        "english": " ".join(words),
        "summary": name,
        "regency": rng.choice(REGENCIES),
        "certifications": " ".join(rng.sample(["halal", "sni", "pirt"], rng.randrange(3))),
        "partners": " ".join(str(p) for p in rng.sample(range(1, 5), rng.randrange(3))),
        "price": 1000,
        "min_order": 1,
        "price_col": 1000,
        "min_order_col": 1,
        "listed_col": number,
        "certification_set": b"-",
        "partner_set": b"-",
    }


def _build(folder: Path, batches) -> None:
    """One commit per batch, never merged: (documents to add, compound segment or separate
    files, zlib level of the posting blocks, share of the documents so far to delete, random
    source). Whoosh 2.7.5 compresses every block (level 3; its "under 20 bytes" exception is
    overwritten) and never stores postings inline (W3TermInfo has no set_inline): level 0 is
    how blocks come uncompressed, should a later Whoosh write them so."""
    ix = whoosh_index_module.create_in(folder, whoosh_index.schema())
    added = 0
    for size, is_compound, level, delete_share, rng in batches:
        writer = ix.writer(compound=is_compound, codec=W3Codec(compression=level))
        for number in rng.sample(range(added), int(added * delete_share)):
            writer.delete_by_term("id", str(number))
        for number in range(added, added + size):
            writer.add_document(**_document(number, rng))
        added += size
        writer.commit(mergetype=NO_MERGE, optimize=False)
    ix.close()


def _whoosh_docs(searcher, fieldname: str, text: str) -> set[int]:
    """What Whoosh's own matchers find: live documents, numbered across segments."""
    return set(searcher.reader().postings(fieldname, text).all_ids())


def _assert_docs_agree(folder: Path) -> int:
    """engine.docs against Whoosh for every term of the posting fields; returns how many."""
    ix = whoosh_index_module.open_dir(folder)
    compared = 0
    with ix.searcher() as searcher:
        reader = searcher.reader()
        reader.etalase_path = str(folder)  # names the index state in the engine's caches
        for fieldname in POSTING_FIELDS:
            field = searcher.schema[fieldname]
            for tbytes in reader.lexicon(fieldname):
                text = field.from_bytes(tbytes)
                expected = _whoosh_docs(searcher, fieldname, text)
                assert engine.docs(reader, fieldname, text) == expected, (fieldname, text)
                compared += 1
        for word, _ in WORDS:  # the search itself agrees too
            hits = searcher.search(Term("name", word), limit=None)
            assert {hit.docnum for hit in hits} == engine.docs(reader, "name", word)
        assert engine.docs(reader, "name", "tidakada") == frozenset()
        assert engine.all_docs(reader) == set(reader.all_doc_ids())  # the live ones
    ix.close()
    return compared


def _blocks(leaf, fieldname: str, text: str) -> list[tuple[int, bool]]:
    """(postings, compressed) of each block of a term in one segment."""
    tbytes = leaf._text_to_bytes(fieldname, text)
    matcher = leaf._terms.matcher(fieldname, tbytes, leaf.schema[fieldname].format)
    assert isinstance(matcher, W3LeafMatcher)
    found = []
    while True:
        found.append((matcher._blocklength, bool(matcher._compression)))
        if matcher._lastblock:
            return found
        matcher._next_block()


# (documents, zlib level, share deleted)
BATCHES = [(900, 3, 0.0), (500, 0, 0.2), (700, 3, 0.1), (300, 3, 0.0)]


@pytest.mark.parametrize("is_compound", [True, False], ids=["memory-map", "files"])
def test_docs_finds_what_whoosh_finds_over_blocks_segments_and_deletions(tmp_path, is_compound):
    rng = random.Random(5)
    _build(tmp_path, [(size, is_compound, level, share, rng) for size, level, share in BATCHES])
    clear_caches()
    # The segment's bytes in memory (compound segments, memory-mapped) are read by _block_ids;
    # separate files block by block through the matcher.
    with mock.patch.object(engine, "_block_ids", wraps=engine._block_ids) as from_memory:
        compared = _assert_docs_agree(tmp_path)
    assert compared > 500
    assert from_memory.called == is_compound

    # The index is what this test means it to be.
    ix = whoosh_index_module.open_dir(tmp_path)
    with ix.searcher() as searcher:
        leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        assert len(leaves) == len(BATCHES)
        assert [leaf.has_deletions() for leaf in leaves] == [True, True, False, False]
        blocks = _blocks(leaves[0], "name", "sepatu")
        assert len(blocks) >= 6 and set(blocks[:-1]) == {(BLOCK, True)}
        assert _blocks(leaves[0], "description", "pasang10") == [(2, True)]
        assert _blocks(leaves[0], "name", "kode10") == [(1, True)]
        assert len(_blocks(leaves[1], "name", "sepatu")) >= 3
        assert {compressed for _, compressed in _blocks(leaves[1], "name", "sepatu")} == {False}
    ix.close()


def test_docs_answers_from_its_cache_the_same_until_cleared(tmp_path):
    rng = random.Random(9)
    _build(tmp_path, [(300, True, 3, 0.0, rng), (200, True, 3, 0.3, rng)])
    clear_caches()
    ix = whoosh_index_module.open_dir(tmp_path)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        reader.etalase_path = str(tmp_path)
        first = engine.docs(reader, "name", "sepatu")
        with mock.patch.object(engine, "_leaf_ids") as read:
            assert engine.docs(reader, "name", "sepatu") is first
            assert not read.called
        clear_caches()
        assert (
            engine.docs(reader, "name", "sepatu")
            == first
            == _whoosh_docs(searcher, "name", "sepatu")
        )
    ix.close()


batches = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=300),  # documents: up to 3 blocks of "sepatu"
        st.booleans(),  # a compound (memory-mapped) segment, or separate files
        st.sampled_from([3, 0]),  # compressed blocks (Whoosh's default), or not
        st.sampled_from([0.0, 0.02, 0.3, 1.0]),  # share of the earlier documents deleted
        st.integers(min_value=0, max_value=2**32).map(random.Random),  # the documents' words
    ),
    min_size=1,
    max_size=4,
)


# No shrinking: each example builds an index, and shrinking one took minutes. A failure prints
# its batches (with their seeds), which rebuild the same index.
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(batches=batches)
def test_docs_agrees_with_whoosh_on_generated_indexes(batches):
    with tempfile.TemporaryDirectory() as folder:
        _build(Path(folder), batches)
        clear_caches()  # a new folder may reuse an old one's name
        _assert_docs_agree(Path(folder))


def test_clearing_the_caches_forgets_what_searching_kept_and_answers_the_same(app, listing):
    from app.search import analysis, facets, query
    from tests.search.conftest import search

    listing.listed(name="Sepatu Kulit Sapi", description="Kulit asli.")
    before = search(app, q="sepatu kulitnya")
    assert engine._terms.entries and facets._columns and query._FACET_CACHE
    assert "kulitnya" in analysis._STEMS
    clear_caches()
    assert not (engine._terms.entries or engine._live or facets._columns or query._FACET_CACHE)
    assert not analysis._STEMS and analysis.synonyms.cache_info().currsize == 0
    assert query._highlighted.cache_info().currsize == 0  # the marks of past searches too
    after = search(app, q="sepatu kulitnya")
    assert after.items == before.items and after.facets == before.facets and after.total == 1


# -- what the search module replaces in Whoosh -------------------------------------------------


def test_whoosh_is_the_version_pyproject_pins():
    pinned = re.search(
        r'"whoosh-reloaded==([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert pinned, "whoosh-reloaded must be pinned exactly (==): app/search reads its internals"
    assert importlib.metadata.version("whoosh-reloaded") == pinned[1]


def test_the_whoosh_globals_replaced_at_import_are_in_place():
    assert compound.BufferFile is whoosh_index._segment_file
    assert whoosh3.W3PerDocReader._cached_reader is whoosh_index._cached_reader
    assert compound.CompoundStorage.open_file is whoosh_index._open_file
    assert compound.CompoundStorage.__init__ is whoosh_index._compound_storage_init


def test_a_segment_reads_postings_from_a_copy_and_stored_fields_from_the_map(tmp_path):
    """CompoundStorage.open_file still makes its files through compound.BufferFile: the terms
    and postings as BufferFile copies (engine._block_ids reads their _buf), the stored fields
    straight from the memory map."""
    _build(tmp_path, [(50, True, 3, 0.0, random.Random(1))])
    ix = whoosh_index_module.open_dir(tmp_path)
    with ix.searcher() as searcher:
        [(leaf, _)] = searcher.reader().leaf_readers()
        postings = leaf._terms._postfile
        assert type(postings) is BufferFile and isinstance(postings._buf, bytes | memoryview)
        assert searcher.stored_fields(10)["name"].endswith("kode10 pasang5")
        stored, _, _ = leaf._perdoc._colfiles["_stored"]
        assert isinstance(stored, whoosh_index._MappedFile)
        assert isinstance(stored.file, whoosh_index._MappedStream)
    ix.close()


def test_a_missing_length_column_is_looked_for_once(tmp_path):
    """The fields keep no lengths (whoosh_index._text); Whoosh asks for them through
    W3PerDocReader._cached_reader, which now remembers that the column is missing."""
    _build(tmp_path, [(20, False, 3, 0.0, random.Random(2))])
    ix = whoosh_index_module.open_dir(tmp_path)
    with ix.searcher() as searcher:
        [(leaf, _)] = searcher.reader().leaf_readers()
        perdoc = leaf._perdoc
        with mock.patch.object(perdoc, "has_column", wraps=perdoc.has_column) as looked:
            assert leaf.doc_field_length(3, "name", 5) == 5
            assert leaf.doc_field_length(4, "name", 5) == 5
        assert looked.call_count == 1
        prices = perdoc._cached_reader("price_col", searcher.schema["price_col"].column_type)
        assert list(prices)[:3] == [1000, 1000, 1000]
    ix.close()
