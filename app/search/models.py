from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, current_time
from app.extensions import db


class IndexJob(db.Model):
    """The search outbox: a product to re-index, written in the transaction that changed it.

    A drain marks jobs processed only after the index has committed and reached the disk, so
    a crash between the database commit and the index update is repaired by the next drain.
    Processed jobs are kept a day: a rebuild replays those newer than its start.
    """

    __tablename__ = "index_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        Integer, index=True
    )  # no foreign key: deletions are jobs too
    reason: Mapped[str] = mapped_column(String(40), default="changed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=current_time, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
