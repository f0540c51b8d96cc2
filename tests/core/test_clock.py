"""ETALASE_CLOCK_OFFSET_DAYS moves the app's clock, and the tests' frozen clock with it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.core import clock

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_the_offset_moves_now_and_today(monkeypatch):
    monkeypatch.setenv("ETALASE_CLOCK_OFFSET_DAYS", "0")
    real_now, real_today = clock.now(), clock.today()
    monkeypatch.setenv("ETALASE_CLOCK_OFFSET_DAYS", "365")
    assert timedelta(days=365) <= clock.now() - real_now < timedelta(days=365, minutes=1)
    assert clock.today() - real_today in (timedelta(days=365), timedelta(days=366))  # midnight
    monkeypatch.setenv("ETALASE_CLOCK_OFFSET_DAYS", "-30")
    assert timedelta(days=-30) <= clock.now() - real_now < timedelta(days=-30, minutes=1)


def test_no_offset_is_the_real_time(monkeypatch):
    monkeypatch.delenv("ETALASE_CLOCK_OFFSET_DAYS", raising=False)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_an_offset_that_is_not_a_whole_number_of_days_is_refused(monkeypatch):
    monkeypatch.setenv("ETALASE_CLOCK_OFFSET_DAYS", "next year")
    with pytest.raises(ValueError, match="ETALASE_CLOCK_OFFSET_DAYS"):
        clock.now()


@pytest.fixture
def three_years_on(monkeypatch):
    monkeypatch.setenv("ETALASE_CLOCK_OFFSET_DAYS", "1095")


def test_the_frozen_clock_starts_at_ten_in_jakarta_on_the_moved_today(three_years_on, frozen_clock):
    moved_today = (datetime.now(UTC) + timedelta(days=1095)).astimezone(JAKARTA).date()
    local = frozen_clock.current.astimezone(JAKARTA)
    assert (local.date(), local.hour, local.minute) == (moved_today, 10, 0)
    assert clock.now() == frozen_clock.current and clock.today() == moved_today
