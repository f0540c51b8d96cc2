"""Keeping the index true: the outbox, the drain under the index lock, rebuild and check."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import NO_MERGE

from app.core import clock, effects
from app.curation import listing
from app.extensions import db
from app.search import documents
from app.search.models import IndexJob
from app.search.whoosh_index import (
    IndexUnavailable,
    base_dir,
    current_path,
    forget,
    indexed_count,
    new_generation,
    open_index,
    publish,
    schema,
)
from app.search.whoosh_index import rebuild_reason as unusable_reason

log = logging.getLogger("etalase.search")
BATCH = 500
# Products per rebuild chunk: with 2 processes, each builder holds some 20,000 products'
# postings (about 250 MB) at most, whatever the catalogue's size.
REBUILD_CHUNK = 40_000
KEEP_PROCESSED = timedelta(days=1)


def enqueue(product_ids, reason: str = "changed") -> None:
    """Write outbox rows in the caller's transaction; the drain runs after the commit."""
    session = db.session()
    queued = session.info.setdefault("index_jobs_queued", set())
    for product_id in product_ids:
        if product_id is not None and product_id not in queued:
            session.add(IndexJob(product_id=product_id, reason=reason))
            queued.add(product_id)
    effects.queue(session, "search")


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_queued(session, *args) -> None:
    """Deduplication holds within one transaction only: the next change needs its own job."""
    session.info.pop("index_jobs_queued", None)


def _pending(limit: int) -> list[IndexJob]:
    return db.session.scalars(
        db.select(IndexJob)
        .where(IndexJob.processed_at.is_(None))
        .order_by(IndexJob.id)
        .limit(limit)
    ).all()


def drain() -> int:
    """Apply pending jobs to the index. Whoever holds the index lock drains until nothing is
    left, and looks again after letting go; anyone else returns at once (never waits)."""
    done = 0
    while _pending(1):
        try:
            ix = open_index(create=True)
            writer = ix.writer()  # timeout 0: LockError at once when another process writes
        except LockError:
            return done  # the holder will see our jobs when it looks again
        try:
            jobs = _pending(BATCH)
            _apply(writer, jobs)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        _make_durable(Path(ix.storage.folder))
        ids = [job.id for job in jobs]
        db.session.execute(
            db.update(IndexJob).where(IndexJob.id.in_(ids)).values(processed_at=clock.now())
        )
        db.session.commit()
        done += len(ids)
    _forget_old_jobs()
    return done


def _apply(writer, jobs: list[IndexJob]) -> None:
    ids = {job.product_id for job in jobs}
    found = {int(doc["id"]): doc for doc in documents.documents(sorted(ids), clock.today())}
    for product_id in ids:
        if product_id in found:
            writer.update_document(**found[product_id])
        else:
            writer.delete_by_term("id", str(product_id))


def _make_durable(folder: Path) -> None:
    """Whoosh does not fsync; the outbox rows are only marked done once the files are on disk."""
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _forget_old_jobs() -> None:
    db.session.execute(
        db.delete(IndexJob).where(IndexJob.processed_at < clock.now() - KEEP_PROCESSED)
    )
    db.session.commit()


@contextmanager
def _rebuild_lock():
    base_dir().mkdir(parents=True, exist_ok=True)
    with open(base_dir() / "rebuild.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RuntimeError("another rebuild is running") from error
        yield


def rebuild(procs: int = 1, memory_mb: int = 512, chunk: int | None = None) -> int:
    """Build a fresh index beside the live one and swap it in; changes made meanwhile are replayed.

    The products are written ``chunk`` (REBUILD_CHUNK) at a time, each chunk its own segments
    (one per process), committed without merging: the work and memory per chunk are the same
    at any catalogue size, so a rebuild grows linearly. One writer for everything held every
    posting of its share of the catalogue (some 40 a product, counted by Whoosh at about 160
    bytes each, taking more): 150,000 products a process at 300,000 sorted millions of tuples
    in memory and, past ``memory_mb``, spilled sorted runs to disk and merged them back in
    Python (100,000 to 300,000 took 7.5x the time, two builders near 800 MB each). A chunk of
    40,000 is some 20,000 products a process, below ``memory_mb``'s spill at its default.

    :returns: the number of products indexed
    """
    with _rebuild_lock():
        started = clock.now()
        path = new_generation()
        ix = whoosh_index.create_in(path, schema())
        options = {"limitmb": memory_mb}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        count = 0
        ids = sorted(listing.listed_ids())
        size = chunk or REBUILD_CHUNK
        for start in range(0, max(len(ids), 1), size):
            writer = ix.writer(**options)
            try:
                for document in documents.documents(ids[start : start + size], clock.today()):
                    writer.add_document(**document)
                    count += 1
                writer.commit(mergetype=NO_MERGE)  # the chunks before stay as they are
            except BaseException:
                writer.cancel()
                raise
        _make_durable(path)
        previous = os.path.realpath(current_path()) if current_path().exists() else None
        publish(path)
        forget()
        # Whatever changed while we built went to the old generation: replay it here.
        db.session.execute(
            db.update(IndexJob).where(IndexJob.created_at >= started).values(processed_at=None)
        )
        db.session.commit()
        drain()
        _remove_old_generations(keep={path.name, Path(previous).name if previous else ""})
        return count


def _remove_old_generations(keep: set[str]) -> None:
    for folder in base_dir().glob("generation-*"):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def rebuild_reason() -> str | None:
    """Why the live index needs a rebuild, or None when it is up to date.

    Besides an index that cannot serve (missing, unreadable, an older schema or format), one
    that holds another number of products than the catalogue lists once the outbox is
    applied: it lost changes (Whoosh does not fsync) or missed some. Counting is cheap; a
    full comparison is ``check()``.
    """
    reason = unusable_reason()
    if reason is not None:
        return reason
    drain()
    held, listed = indexed_count(), len(listing.listed_ids())
    if held != listed:
        return f"it holds {listed_products(held)}, the catalogue lists {listed}"
    return None


def listed_products(count: int) -> str:
    return f"{count} listed product" if count == 1 else f"{count} listed products"


def check() -> dict[str, list[str]]:
    """Index against database: products missing from the index, extra in it, or out of date."""
    expected = {
        doc["id"]: doc["digest"]
        for doc in documents.documents(sorted(listing.listed_ids()), clock.today())
    }
    try:
        ix = open_index()
        with ix.searcher() as s:
            actual = {fields["id"]: fields.get("digest") for fields in s.all_stored_fields()}
    except IndexUnavailable:
        actual = {}
    return {
        "missing": sorted(set(expected) - set(actual), key=int),
        "extra": sorted(set(actual) - set(expected), key=int),
        "stale": sorted(
            (i for i in set(expected) & set(actual) if expected[i] != actual[i]), key=int
        ),
    }


def register(app) -> None:
    effects.register_runner("search", lambda _: drain())
