"""The programme figures' filters: a period, an IKM sector and a kabupaten/kota, from the query.

``dari`` and ``sampai`` are dates (``YYYY-MM-DD``, what a date field sends), both days included;
without them the period is the twelve months up to today (the app's clock). ``sektor`` is one of
the IKM sectors (``app.orgs.models.Sector``), ``wilayah`` a kabupaten/kota code (``35.76``).
Anything else is refused with a message and the page shows no figures rather than wrong ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from app.core import clock
from app.orgs import regions
from app.orgs.models import SECTOR_LABELS, Sector

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_DAYS = 365
LONGEST_DAYS = 10 * 366  # a longer period is a typing mistake, and a heavy page


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # included
    sector: str | None = None  # Sector value
    regency: str | None = None  # kabupaten/kota code

    @property
    def start_at(self) -> datetime:
        """The period's first moment (midnight in Jakarta), in UTC like the stored times."""
        return datetime.combine(self.start, time(0), JAKARTA).astimezone(UTC)

    @property
    def end_at(self) -> datetime:
        """The moment after the period's last day."""
        return datetime.combine(self.end + timedelta(days=1), time(0), JAKARTA).astimezone(UTC)

    def query_args(self) -> dict[str, str]:
        """The filters as the page's query string (for export links)."""
        args = {"dari": self.start.isoformat(), "sampai": self.end.isoformat()}
        if self.sector:
            args["sektor"] = self.sector
        if self.regency:
            args["wilayah"] = self.regency
        return args

    def described(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a report's heading, in the user's language."""
        rows = [(str(_l("Period")), f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}")]
        rows.append(
            (str(_l("Sector")), str(SECTOR_LABELS[Sector(self.sector)]))
            if self.sector
            else (str(_l("Sector")), str(_l("All sectors")))
        )
        rows.append(
            (str(_l("Kabupaten/kota")), regions.label(self.regency))
            if self.regency
            else (str(_l("Kabupaten/kota")), str(_l("All regions")))
        )
        return rows


def default_filters() -> Filters:
    today = clock.today()
    return Filters(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)


def parse(args) -> tuple[Filters, list[str]]:
    """The filters in ``args`` (a request's query), and the problems found (translated).

    With problems, the filters returned are the defaults: the caller shows the messages and no
    figures.
    """
    problems: list[str] = []
    default = default_filters()
    start = _date(args.get("dari"), _l("Start date"), problems) or default.start
    end = _date(args.get("sampai"), _l("End date"), problems) or default.end
    if not args.get("dari") and args.get("sampai") and not problems:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        problems.append(str(_l("The end date is before the start date.")))
    elif (end - start).days > LONGEST_DAYS:
        problems.append(str(_l("Choose a period of at most ten years.")))
    sector = (args.get("sektor") or "").strip() or None
    if sector is not None and sector not in {s.value for s in Sector}:
        problems.append(str(_l("Unknown sector.")))
    regency = (args.get("wilayah") or "").strip() or None
    if regency is not None and regency not in {r.code for r in regions.regencies()}:
        problems.append(str(_l("Unknown kabupaten/kota.")))
    if problems:
        return default, problems
    return Filters(start=start, end=end, sector=sector, regency=regency), []


def _date(value: str | None, label, problems: list[str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        problems.append(str(_l("%(field)s: not a date (use YYYY-MM-DD).", field=label)))
        return None
    if not 2000 <= found.year <= 2100:
        problems.append(str(_l("%(field)s: not a date (use YYYY-MM-DD).", field=label)))
        return None
    return found
