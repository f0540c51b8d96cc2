import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.units import IncompatibleUnits, Quantity, Unit, convert, in_pieces


def test_conversions_from_domain_md():
    assert convert(1, "kodi", "pcs") == 20
    assert convert(2, "lusin", "pcs") == 24
    assert convert(1, "gros", "lusin") == 12
    assert Quantity(30, Unit.PCS).to(Unit.KODI) == Quantity(1, Unit.KODI)
    assert in_pieces(3, "kodi") == 60
    assert in_pieces(5, "kg") is None


def test_measured_units_do_not_convert_to_counted_ones():
    with pytest.raises(IncompatibleUnits):
        convert(1, "kg", "pcs")


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["pcs", "kodi", "lusin", "gros"]))
def test_converting_down_and_back_is_exact(amount, unit):
    assert convert(convert(amount, unit, "pcs"), "pcs", unit) == amount
