"""The one place that reads the time, so tests can control it (``clock.now``)."""

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Asia/Jakarta, where certificate dates and deadlines are meant."""
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Asia/Jakarta")).date()
