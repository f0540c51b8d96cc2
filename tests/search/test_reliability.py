"""The index never loses an update: concurrent writers, crashes, corruption."""

import multiprocessing
import shutil
from pathlib import Path
from struct import error as struct_error

import pytest

from app.catalog.models import Product
from app.extensions import db
from app.search.models import IndexJob
from tests.search.conftest import names, search
from tests.search.workers import rename_products

PROCESSES = 4
CHANGES = 200


@pytest.fixture
def shelf(app, listing):
    return [listing.listed(name=f"Sepatu {i}").id for i in range(10)]


def test_several_processes_making_200_changes_lose_none(app, app_config, shelf):
    slices = [
        [shelf[(n * 7 + i) % len(shelf)] for i in range(CHANGES // PROCESSES)]
        for n in range(PROCESSES)
    ]
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        outcomes = pool.starmap(
            rename_products, [(app_config, ids, f"proses{n}x") for n, ids in enumerate(slices)]
        )
    assert outcomes == [[]] * PROCESSES  # no request failed, whoever held the index lock
    with app.app_context():
        from app.search import check, drain

        drain()  # the last writer's final look; normally a later request does it
        final = {p.id: p.name for p in db.session.scalars(db.select(Product))}
        assert (
            db.session.scalar(
                db.select(db.func.count(IndexJob.id)).where(IndexJob.processed_at.is_(None))
            )
            == 0
        )
        assert check() == {"missing": [], "extra": [], "stale": []}
    for _product_id, name in final.items():
        assert names(app, q=name.split()[1]) == [name]


def test_a_crash_between_commit_and_indexing_is_repaired_by_the_next_drain(app, shelf):
    with app.app_context():
        product = db.session.get(Product, shelf[0])
        product.name = "Sepatu Setelahmati"
        from app.catalog import services

        services.product_changed(product)
        db.session.commit()
        db.session.info.pop(
            "effects_pending", None
        )  # the worker died here: nothing ran after the commit
    assert names(app, q="setelahmati") == []
    result = app.test_cli_runner().invoke(args=["search", "drain"])
    assert "1 job(s) applied" in result.output
    assert names(app, q="setelahmati") == ["Sepatu Setelahmati"]
    assert (
        "0 job(s) applied" in app.test_cli_runner().invoke(args=["search", "drain"]).output
    )  # exactly once
    assert search(app, q="setelahmati").total == 1


# Whoosh leaves the damaged files open when it fails to read them; not ours to close.
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_a_corrupted_index_falls_back_to_the_database_then_is_rebuilt(app, client, shelf):
    from app.search import whoosh_index

    with app.app_context():
        live = Path(whoosh_index.current_path()).resolve()
        whoosh_index.forget()
    for path in live.iterdir():
        path.write_bytes(b"not an index")
    result = search(app, q="sepatu")
    assert result.fallback and result.total == 10
    page = client.get("/katalog?q=sepatu")
    assert page.status_code == 200 and "mode yang lebih sederhana" in page.get_data(as_text=True)
    assert client.get("/api/v1/products?q=sepatu").json["fallback"] is True
    checked = app.test_cli_runner().invoke(args=["search", "check"])
    assert checked.exit_code == 1 and "missing: 10" in checked.output
    rebuilt = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert "10 listed products" in rebuilt.output
    assert not search(app, q="sepatu").fallback and search(app, q="sepatu").total == 10
    assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_a_missing_index_falls_back_too(app, client, shelf):
    from app.search import whoosh_index

    with app.app_context():
        whoosh_index.forget()
        shutil.rmtree(whoosh_index.base_dir())
    assert search(app, q="sepatu").fallback
    assert client.get("/katalog").status_code == 200


def test_any_engine_error_answers_from_the_database_and_says_so(
    app, client, shelf, monkeypatch, caplog
):
    from app.search import engine

    def broken(*args, **kwargs):
        raise struct_error("unpack requires a buffer of 4 bytes")  # a damaged posting block

    monkeypatch.setattr(engine, "docs", broken)
    monkeypatch.setattr(engine, "all_docs", broken)
    page = client.get("/katalog?q=sepatu")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "mode yang lebih sederhana" in text
    assert "Sepatu 3" in text
    answer = client.get("/api/v1/products?q=sepatu")
    assert answer.status_code == 200 and answer.json["fallback"] is True
    assert answer.json["total"] == 10 and {i["name"] for i in answer.json["items"]} == {
        f"Sepatu {i}" for i in range(10)
    }
    assert client.get("/api/v1/products").json["total"] == 10  # no words: all_docs failed
    failures = [r for r in caplog.records if r.name == "etalase.search" and r.exc_info]
    assert failures and "unpack requires" in str(failures[0].exc_info[1])


def test_the_database_answers_with_the_same_items_as_the_index(app, shelf, monkeypatch):
    from dataclasses import replace

    from app.search import SearchItem, engine

    indexed = sorted(search(app, q="sepatu").items, key=lambda item: item.id)
    monkeypatch.setattr(engine, "docs", lambda *args: 1 / 0)
    fallen_back = search(app, q="sepatu")
    assert fallen_back.fallback and len(fallen_back.items) == len(indexed) == 10
    assert all(type(item) is SearchItem for item in fallen_back.items)
    # The same cards (cover, certificates, partners), only nothing marked: the notice says the
    # answer is simpler.
    assert sorted(fallen_back.items, key=lambda item: item.id) == [
        replace(item, name_marked=None, ikm_name_marked=None, snippet=None) for item in indexed
    ]


def test_a_rebuild_keeps_changes_made_while_it_ran(app, shelf, monkeypatch):
    from app.search import documents, indexing

    original = documents.documents

    def slow_documents(ids, today):
        # While the rebuild reads, another worker changes a product and drains into the old index.
        if not getattr(slow_documents, "done", False):
            slow_documents.done = True
            product = db.session.get(Product, shelf[1])
            product.name = "Sepatu Selamabangun"
            from app.catalog import services

            services.product_changed(product)
            db.session.commit()
            indexing.drain()
        yield from original(ids, today)

    with app.app_context():
        monkeypatch.setattr(documents, "documents", slow_documents)
        indexing.rebuild()
        monkeypatch.setattr(documents, "documents", original)
    assert names(app, q="selamabangun") == ["Sepatu Selamabangun"]


def test_rebuild_if_needed_rebuilds_a_missing_or_outdated_index_and_leaves_a_good_one(
    app, shelf, monkeypatch
):
    from app.search import whoosh_index

    runner = app.test_cli_runner()
    kept = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert kept.exit_code == 0 and "not rebuilt" in kept.output
    with app.app_context():
        whoosh_index.forget()
        shutil.rmtree(whoosh_index.base_dir())
    rebuilt = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "no index yet" in rebuilt.output and "10 listed products" in rebuilt.output
    assert not search(app, q="sepatu").fallback and search(app, q="sepatu").total == 10

    # A new release adds a field: the index on disk was built with the old schema.
    from whoosh.fields import ID

    current = whoosh_index.schema

    def newer():
        extended = current()
        extended.add("added_later", ID(stored=True))
        return extended

    from app.search import indexing

    monkeypatch.setattr(whoosh_index, "schema", newer)
    monkeypatch.setattr(indexing, "schema", newer)
    upgraded = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "another schema" in upgraded.output and "10 listed products" in upgraded.output

    # A new release analyses text differently: same fields, but the format number moved on.
    monkeypatch.setattr(whoosh_index, "FORMAT_VERSION", whoosh_index.FORMAT_VERSION + 1)
    reanalysed = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "built by format" in reanalysed.output and "10 listed products" in reanalysed.output
    again = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "not rebuilt" in again.output
    again = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "not rebuilt" in again.output


def test_rebuild_if_needed_says_in_plain_words_what_it_did(app, shelf, listing):
    from app.catalog import services
    from app.search import whoosh_index

    runner = app.test_cli_runner()

    def if_needed() -> list[str]:
        result = runner.invoke(args=["search", "rebuild", "--if-needed"])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    assert if_needed() == ["Search index is up to date (10 listed products); not rebuilt."]
    with app.app_context():
        whoosh_index.forget()
        shutil.rmtree(whoosh_index.base_dir())
    assert if_needed() == [
        "Building the search index: no index yet.",
        "Search index built: 10 listed products.",
    ]
    # A change waiting in the outbox is applied: the index is then up to date, as it says.
    with app.app_context():
        product = db.session.get(Product, shelf[0])
        product.name = "Sepatu Gandrung"
        services.product_changed(product)
        db.session.commit()
    assert if_needed() == ["Search index is up to date (10 listed products); not rebuilt."]
    assert names(app, q="gandrung") == ["Sepatu Gandrung"]
    # A product the index lost without a job (a crash before Whoosh wrote to disk): rebuilt.
    with app.app_context():
        writer = whoosh_index.open_index().writer()
        writer.delete_by_term("id", str(shelf[1]))
        writer.commit()
    assert if_needed() == [
        "Building the search index: it holds 9 listed products, the catalogue lists 10.",
        "Search index built: 10 listed products.",
    ]


def test_stored_fields_are_read_from_the_memory_map_not_copied(app, shelf):
    from app.search import whoosh_index

    with app.app_context():
        searcher = whoosh_index.searcher()
        reader = next(iter(searcher.reader().leaf_readers()))[0]
        assert {fields["name"] for fields in searcher.all_stored_fields()} == {
            f"Sepatu {i}" for i in range(10)
        }
        stored, _, _ = reader._perdoc._colfiles["_stored"]  # the segment's stored fields
        assert isinstance(stored.file, whoosh_index._MappedStream)


def test_the_mapped_stream_reads_seeks_and_reads_lines_like_a_file():
    from app.search.whoosh_index import _MappedStream

    stream = _MappedStream(memoryview(b"satu\ndua\ntiga"))
    assert stream.read(3) == b"sat" and stream.tell() == 3
    assert stream.readline() == b"u\n" and stream.readline() == b"dua\n"
    assert stream.read() == b"tiga" and stream.read(5) == b""
    stream.seek(-4, 2)
    assert stream.read(2) == b"ti"
    stream.seek(-2, 1)
    assert stream.read(None) == b"tiga"


def test_a_rebuilt_index_is_never_answered_from_what_was_read_of_the_old_one(app, listing):
    """Posting lists, columns and counts are kept per index state; a rebuilt index counts its
    commits from the start again, so the same commit number must not mean the same index."""
    from app.search import indexing, whoosh_index

    product = listing.listed(name="Sepatu Kenanga", description="Kulit.")
    assert names(app, q="kenanga") == ["Sepatu Kenanga"]
    with app.app_context():
        before = whoosh_index.generation_key(whoosh_index.searcher().ixreader)
        db.session.get(
            Product, product.id
        ).name = "Sepatu Melati"  # no index job: a rebuild sees it
        db.session.commit()
        indexing.rebuild()
        after = whoosh_index.generation_key(whoosh_index.searcher().ixreader)
    assert before != after
    assert names(app, q="kenanga") == [] and names(app, q="melati") == ["Sepatu Melati"]


def test_a_parallel_rebuild_with_little_memory_spills_to_disk_and_finds_the_same(app, shelf):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["search", "rebuild", "--memory-mb", "0"])
    assert refused.exit_code == 2 and "--memory-mb" in refused.output
    before = sorted(names(app, q="sepatu"))
    rebuilt = runner.invoke(args=["search", "rebuild", "--procs", "2", "--memory-mb", "32"])
    assert rebuilt.exit_code == 0 and "10 listed products" in rebuilt.output
    assert sorted(names(app, q="sepatu")) == before and len(before) == 10
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_the_fallback_shows_the_same_cards_as_the_index(app, listing):
    """The chosen cover (not merely the first photo) and the verified certificates' badges."""
    from app.catalog import services
    from app.catalog.models import Photo
    from app.search import whoosh_index
    from tests.factories import CatalogFactory

    product = listing.listed(photos=2)
    CatalogFactory(app).certificate(
        product.ikm, kind="halal", status="verified", products=[product]
    )
    with app.app_context():
        second = db.session.scalars(
            db.select(Photo).filter_by(product_id=product.id).order_by(Photo.position)
        ).all()[1]
        services.set_cover(second, by=None)
        db.session.commit()
        cover_key = db.session.get(Product, product.id).cover.medium.key
    listing.reindex(product.id)
    [indexed] = search(app, q="pantofel").items
    with app.app_context():
        whoosh_index.forget()
        shutil.rmtree(whoosh_index.base_dir())
    fallback = search(app, q="pantofel")
    assert fallback.fallback
    [card] = fallback.items
    assert card.image == indexed.image == cover_key
    assert card.certifications == indexed.certifications == ("halal",)
    assert card.partners == indexed.partners == (listing.partner.id,)


@pytest.mark.parametrize("procs", [1, 2])
def test_a_rebuild_in_chunks_writes_a_segment_per_chunk_and_finds_the_same(
    app, shelf, monkeypatch, procs
):
    """A rebuild writes a few products at a time, never merging what it wrote: its work and
    memory per chunk are the same at any catalogue size."""
    from app.search import engine, indexing, whoosh_index

    before = sorted(names(app, q="sepatu"))
    monkeypatch.setattr(indexing, "REBUILD_CHUNK", 4)
    with app.app_context():
        assert indexing.rebuild(procs=procs) == 10
        segments = engine.segments(whoosh_index.searcher().ixreader)
    # 4 + 4 + 2 products: one segment per chunk, or per process and chunk (a process may get
    # none of a small chunk).
    assert 3 <= len(segments) <= 3 * procs
    assert sum(leaf.doc_count_all() for _, leaf, _ in segments) == 10
    assert sorted(names(app, q="sepatu")) == before and len(before) == 10
    assert search(app).total == 10
    with app.app_context():
        assert indexing.check() == {"missing": [], "extra": [], "stale": []}
