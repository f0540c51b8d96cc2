"""Quantities and their units: the one module that knows how to convert them (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Unit(StrEnum):
    PASANG = "pasang"
    PCS = "pcs"
    KODI = "kodi"
    LUSIN = "lusin"
    GROS = "gros"
    KG = "kg"
    LITER = "liter"
    SET = "set"
    METER = "meter"


# How many base units (pcs, or pairs for footwear) one unit holds; None: not countable.
PIECES_PER_UNIT = {
    Unit.PASANG: 1,
    Unit.PCS: 1,
    Unit.SET: 1,
    Unit.KODI: 20,
    Unit.LUSIN: 12,
    Unit.GROS: 144,
}
MEASURED_UNITS = {Unit.KG, Unit.LITER, Unit.METER}

UNIT_LABELS = {
    Unit.PASANG: _l("pairs (pasang)"),
    Unit.PCS: _l("pieces (pcs)"),
    Unit.KODI: _l("kodi (20 pieces)"),
    Unit.LUSIN: _l("dozen (lusin, 12)"),
    Unit.GROS: _l("gross (gros, 144)"),
    Unit.KG: _l("kilograms (kg)"),
    Unit.LITER: _l("litres"),
    Unit.SET: _l("sets"),
    Unit.METER: _l("metres"),
}


# (locale, plural form) -> unit -> its name: computed once, not nine ngettext calls per label.
_NAMES: dict[tuple[str, int], dict[Unit, str]] = {}
_PLURAL: dict[str, object] = {}  # locale -> its catalogue's plural rule


def _english_plural(count: int) -> int:
    return int(count != 1)


def unit_name(unit: str, count: int | float = 1) -> str:
    """The unit as it follows a number: "12 pairs" in English, "12 pasang" in Indonesian."""
    from flask_babel import get_locale, get_translations

    count = int(count) if count is not None and count == int(count) else 2  # 2.5 kg: plural
    try:
        unit = Unit(unit)
    except ValueError:
        return unit
    locale = str(get_locale())
    plural = _PLURAL.get(locale)
    if plural is None:
        plural = _PLURAL[locale] = getattr(get_translations(), "plural", _english_plural)
    key = (locale, plural(count))
    names = _NAMES.get(key)
    if names is None:
        names = _NAMES[key] = _names(count)
    return names[unit]


def _names(count: int) -> dict[Unit, str]:
    from flask_babel import ngettext

    return {
        Unit.PASANG: ngettext("pair", "pairs", count),
        Unit.PCS: ngettext("pc", "pcs", count),
        Unit.KODI: ngettext("kodi", "kodi", count),
        Unit.LUSIN: ngettext("dozen", "dozen", count),
        Unit.GROS: ngettext("gross", "gross", count),
        Unit.KG: ngettext("kg", "kg", count),
        Unit.LITER: ngettext("litre", "litres", count),
        Unit.SET: ngettext("set", "sets", count),
        Unit.METER: ngettext("metre", "metres", count),
    }


def unit_choices() -> list[tuple[str, object]]:
    return [(unit.value, UNIT_LABELS[unit]) for unit in Unit]


class IncompatibleUnits(ValueError):
    pass


@dataclass(frozen=True)
class Quantity:
    amount: int
    unit: Unit

    def to(self, target: Unit) -> Quantity:
        """Convert between counted units (kodi to pasang) or keep a measured unit as is.

        Converting down to a smaller unit is exact; converting up rounds down, because a
        capacity of 30 pieces is one whole kodi, not 1.5.
        """
        return Quantity(convert(self.amount, self.unit, target), Unit(target))


def convert(amount: int, source: Unit | str, target: Unit | str) -> int:
    source, target = Unit(source), Unit(target)
    if source == target:
        return amount
    if source in MEASURED_UNITS or target in MEASURED_UNITS:
        raise IncompatibleUnits(f"{source} cannot be converted to {target}")
    return amount * PIECES_PER_UNIT[source] // PIECES_PER_UNIT[target]


def in_pieces(amount: int, unit: Unit | str) -> int | None:
    """The amount in single pieces or pairs, or None for measured units (kg, litre, metre)."""
    unit = Unit(unit)
    if unit in MEASURED_UNITS:
        return None
    return amount * PIECES_PER_UNIT[unit]
