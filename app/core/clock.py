"""The one place that reads the time, so tests can control it (``clock.now``).

``ETALASE_CLOCK_OFFSET_DAYS`` (an integer, default 0) moves the app's clock by that many days:
a testing aid that runs the suite, or the demo site, as it will behave on a later date. It is
read from the environment on each call, so a server process started by a test sees it too.
"""

import os
from datetime import UTC, date, datetime, timedelta

OFFSET_VARIABLE = "ETALASE_CLOCK_OFFSET_DAYS"


def offset() -> timedelta:
    """How far the clock is moved from the real time (``ETALASE_CLOCK_OFFSET_DAYS``)."""
    raw = os.environ.get(OFFSET_VARIABLE, "").strip()
    if not raw:
        return timedelta(0)
    try:
        return timedelta(days=int(raw))
    except ValueError:
        raise ValueError(f"{OFFSET_VARIABLE} must be a whole number of days, not {raw!r}") from None


def now() -> datetime:
    """The current time, timezone-aware, in UTC (moved by the offset)."""
    return datetime.now(UTC) + offset()


def today() -> date:
    """Today's date in Asia/Jakarta, where certificate dates and deadlines are meant."""
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Asia/Jakarta")).date()
