"""Where uploaded bytes live: a local folder outside ``static/``, content-addressed.

A blob's key is the SHA-256 of its bytes plus an extension (``ab/cd/abcd...e3.jpg``); the
database keeps the metadata in ``StoredFile`` rows, one per use. Blobs written during a
transaction that rolls back are removed again, and blobs no row refers to are removed after
the commit that dropped the last reference, so that no row points at a missing file and no
orphan file is kept. ``flask storage gc`` sweeps what a killed worker left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import ForeignKey, Integer, String, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core import effects
from app.core.db import UTCDateTime, current_time
from app.extensions import db

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


# What ``store`` names a blob: the SHA-256 of its bytes in hex, a dot, the extension.
KEY_SHAPE = re.compile(rf"[0-9a-f]{{64}}\.(?:{'|'.join(sorted(set(EXTENSIONS.values())))})")


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # photo, logo, document
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time)


def root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def is_key(key: str) -> bool:
    """Whether ``key`` has the shape of a blob name (a URL part may hold anything)."""
    return KEY_SHAPE.fullmatch(key) is not None


def path_for(key: str) -> Path:
    if not is_key(key):
        raise ValueError("bad storage key")
    return root() / key[:2] / key[2:4] / key


def store(
    data: bytes,
    content_type: str,
    kind: str,
    organisation_id: int | None,
    width: int | None = None,
    height: int | None = None,
) -> StoredFile:
    """Write ``data`` (once per content) and add a StoredFile row for this use."""
    key = f"{hashlib.sha256(data).hexdigest()}.{EXTENSIONS[content_type]}"
    target = path_for(key)
    if not target.exists():
        _write_atomically(target, data)
        db.session.info.setdefault("storage_new_keys", set()).add(key)
    row = StoredFile(
        key=key,
        organisation_id=organisation_id,
        kind=kind,
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
    )
    db.session.add(row)
    return row


def discard(row: StoredFile | None) -> None:
    """Drop a use of a blob; the bytes go after the commit if nothing else uses them."""
    if row is None:
        return
    effects.queue(db.session(), "storage", [row.key])
    db.session.delete(row)


def read(row: StoredFile) -> bytes:
    return path_for(row.key).read_bytes()


def used_bytes(organisation_id: int) -> int:
    total = db.session.scalar(
        select(func.coalesce(func.sum(StoredFile.size), 0)).where(
            StoredFile.organisation_id == organisation_id
        )
    )
    return int(total or 0)


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _unreferenced(keys: set[str]) -> set[str]:
    if not keys:
        return set()
    used = set(db.session.scalars(select(StoredFile.key).where(StoredFile.key.in_(keys))))
    return keys - used


def _remove_blobs(keys: set[str]) -> None:
    for key in keys:
        path_for(key).unlink(missing_ok=True)


@event.listens_for(Session, "after_soft_rollback")
def _forget_new_blobs(session: Session, previous_transaction) -> None:
    """Bytes written by a transaction that did not commit are removed at once."""
    keys = session.info.pop("storage_new_keys", set())
    if keys and current_app:
        _remove_blobs(keys)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop("storage_new_keys", None)


def sweep_after_commit(keys: set[str]) -> None:
    """Remove the blobs of ``keys`` whose last row a committed transaction deleted."""
    _remove_blobs(_unreferenced(keys))


def collect_garbage() -> tuple[int, int]:
    """Remove blobs that no row refers to, and count rows whose blob is missing."""
    known = set(db.session.scalars(select(StoredFile.key).distinct()))
    removed = 0
    if root().exists():
        for path in root().glob("??/??/*"):
            if path.name not in known and not path.name.startswith(".upload-"):
                path.unlink()
                removed += 1
    missing = sum(1 for key in known if not path_for(key).exists())
    return removed, missing


def register(app) -> None:
    effects.register_runner("storage", sweep_after_commit)
