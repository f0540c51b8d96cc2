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


def test_unit_names_follow_the_language_and_the_number(app):
    from flask_babel import force_locale

    from app.core.units import unit_name

    with app.test_request_context():
        with force_locale("en"):
            assert [unit_name("pasang", 1), unit_name("pasang", 12)] == ["pair", "pairs"]
            assert unit_name("liter", 2.5) == "litres"
        with force_locale("id"):
            assert [unit_name("pasang", 1), unit_name("pasang", 12)] == ["pasang", "pasang"]
        with force_locale("en"):
            assert unit_name("kg", 1) == "kg" and unit_name("unknown", 3) == "unknown"
