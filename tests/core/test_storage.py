"""No row points at a missing file, and no orphan file is kept."""

from pathlib import Path

import pytest

from app import storage
from app.extensions import db
from app.orgs.models import IKM


def blobs(app) -> list[Path]:
    return list(Path(app.config["STORAGE_DIR"]).glob("??/??/*"))


def test_bytes_written_by_a_failed_transaction_are_removed(app, make):
    _, ikm = make.ikm_owner()
    with app.app_context():
        storage.store(b"x" * 100, "image/jpeg", "photo", ikm.id)
        db.session.flush()
        assert len(blobs(app)) == 1
        db.session.rollback()  # the worker failed before its commit
        assert blobs(app) == []
        assert db.session.scalar(db.select(db.func.count(storage.StoredFile.id))) == 0


def test_the_last_reference_takes_the_bytes_with_it(app, make):
    from app.core import effects

    _, ikm = make.ikm_owner()
    with app.app_context():
        first = storage.store(b"same bytes", "image/jpeg", "photo", ikm.id)
        second = storage.store(b"same bytes", "image/jpeg", "photo", ikm.id)
        db.session.commit()
        assert len(blobs(app)) == 1
        storage.discard(first)
        db.session.commit()
        effects.run_pending(db.session())
        assert len(blobs(app)) == 1  # still used by the second row
        storage.discard(db.session.merge(second))
        db.session.commit()
        effects.run_pending(db.session())
        assert blobs(app) == []


def test_gc_sweeps_what_a_killed_worker_left(app, make):
    _, ikm = make.ikm_owner()
    with app.app_context():
        kept = storage.store(b"kept", "image/jpeg", "photo", ikm.id).key
        db.session.commit()
        orphan = storage.path_for("f" * 64 + ".jpg")
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_bytes(b"left behind")
    result = app.test_cli_runner().invoke(args=["storage", "gc"])
    assert "1 orphan file(s) removed" in result.output and result.exit_code == 0
    assert [p.name for p in blobs(app)] == [kept]


def test_gc_reports_rows_whose_file_is_missing(app, make):
    _, ikm = make.ikm_owner()
    with app.app_context():
        row = storage.store(b"soon gone", "image/jpeg", "photo", ikm.id)
        db.session.commit()
        storage.path_for(row.key).unlink()
    result = app.test_cli_runner().invoke(args=["storage", "gc"])
    assert result.exit_code == 1 and "1 row(s) point at a missing file" in result.output


@pytest.mark.parametrize("key", ["../secret", "a/b.jpg", "\\x.jpg", ".hidden"])
def test_storage_keys_cannot_leave_the_folder(app, key):
    with app.app_context(), pytest.raises(ValueError):
        storage.path_for(key)


def test_an_organisation_quota_counts_its_files(app, make):
    _, ikm = make.ikm_owner()
    with app.app_context():
        storage.store(b"a" * 1000, "image/jpeg", "photo", ikm.id)
        db.session.commit()
        assert storage.used_bytes(ikm.id) == 1000
        assert db.session.get(IKM, ikm.id) is not None
