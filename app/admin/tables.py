"""A table of figures: what a chart draws, what the page shows beside it, and what is exported.

Every figure on the figures pages is one :class:`Table`. The page renders it as an HTML table,
the chart draws from the same rows, and the CSV, XLSX and PDF exports write the same rows, so a
screen reader, a printout and a spreadsheet carry the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# How a column's values are written: counts, money (rupiah), shares (0..1), plain text.
TEXT, COUNT, RUPIAH, SHARE, NUMBER = "text", "count", "rupiah", "share", "number"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # translated (a lazy string is fine)
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    slug: str  # stable, ASCII: the export's file name and the page anchor
    title: str  # translated
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...] = ()
    note: str = ""  # translated: how the figure is counted
    chart: str | None = None  # "bar", "hbar", "line", "pie" or None (a table only)
    extra: dict = field(default_factory=dict)

    def column_values(self, key: str) -> list:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def __bool__(self) -> bool:
        return bool(self.rows)


def as_number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value
