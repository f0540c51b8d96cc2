"""The versioned table of Indonesian provinces and kabupaten/kota (Kemendagri codes)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGION_EDITION = "idn-area-data-4.0.1"
DATA = Path(__file__).parent / "data" / "regions"


@dataclass(frozen=True)
class Region:
    code: str  # "35" for a province, "35.16" for a kabupaten/kota
    name: str
    province_code: str

    @property
    def is_province(self) -> bool:
        return "." not in self.code

    @property
    def is_kota(self) -> bool:
        return self.name.startswith("Kota ")


@cache
def _table(edition: str) -> dict[str, Region]:
    folder = DATA / edition
    table: dict[str, Region] = {}
    with (folder / "provinces.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            table[row["code"]] = Region(row["code"], row["name"], row["code"])
    with (folder / "regencies.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            table[row["code"]] = Region(row["code"], row["name"], row["province_code"])
    return table


def get(code: str | None, edition: str = REGION_EDITION) -> Region | None:
    return _table(edition).get(code) if code else None


def provinces(edition: str = REGION_EDITION) -> list[Region]:
    return sorted((r for r in _table(edition).values() if r.is_province), key=lambda r: r.name)


def regencies(province_code: str | None = None, edition: str = REGION_EDITION) -> list[Region]:
    found = (
        r
        for r in _table(edition).values()
        if not r.is_province and (province_code is None or r.province_code == province_code)
    )
    return sorted(found, key=lambda r: r.code)


def name(code: str | None, edition: str = REGION_EDITION) -> str:
    region = get(code, edition)
    return region.name if region else ""


def label(regency_code: str | None, edition: str = REGION_EDITION) -> str:
    """ "Kota Mojokerto, Jawa Timur" for display."""
    regency = get(regency_code, edition)
    if regency is None:
        return ""
    return f"{regency.name}, {name(regency.province_code, edition)}"
