"""Certificate numbers: normalised and checked leniently (DOMAIN.md "Identifiers").

Formats vary and change, so the checks refuse only what is clearly wrong, and say what a
number of that kind usually looks like.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

from app.catalog.models import CertificateType
from app.core.errors import DomainValidationError


def compact(raw: str) -> str:
    """Upper case, without spaces, dots, hyphens and slashes: how numbers are compared."""
    return re.sub(r"[\s.\-/]", "", raw.upper())


def _halal(raw: str) -> str:
    number = compact(raw)
    if not re.fullmatch(r"ID[0-9]{10,20}", number):
        raise _problem(
            _l(
                "A halal certificate number starts with ID followed by 10 to 20 digits, "
                "for example ID35110000123450122."
            )
        )
    return number


def _trademark(raw: str) -> str:
    number = compact(raw)
    if number.startswith("IDM") and not re.fullmatch(r"IDM[0-9]{9}", number):
        raise _problem(
            _l(
                "A trademark registration number is IDM followed by 9 digits, for example IDM000123456."
            )
        )
    if not re.fullmatch(r"[A-Z]{1,4}[0-9]{6,15}", number):
        raise _problem(
            _l(
                "Enter the DJKI registration number (IDM followed by 9 digits) or the application number."
            )
        )
    return number


def _sni(raw: str) -> str:
    number = raw.strip().upper()
    if not re.fullmatch(r"[A-Z0-9./:\- ]{4,60}", number):
        raise _problem(_l("Enter the number of the SPPT SNI certificate as printed on it."))
    return re.sub(r"\s+", " ", number)


def _pirt(raw: str) -> str:
    digits = re.sub(r"[^0-9]", "", raw)
    if not 15 <= len(digits) <= 20:
        raise _problem(
            _l("A P-IRT number has 15 digits or more, for example P-IRT No. 2063507010230-27.")
        )
    return digits


def _bpom(raw: str) -> str:
    number = compact(raw).replace("BPOM", "").removeprefix("RI")
    if not re.fullmatch(r"M[DL][0-9]{12}", number):
        raise _problem(
            _l(
                "A BPOM registration is MD or ML followed by 12 digits, for example MD 224510123456."
            )
        )
    return number


def _other(raw: str) -> str:
    number = raw.strip()
    if not 2 <= len(number) <= 60:
        raise _problem(_l("Enter the certificate number (2 to 60 characters)."))
    return number


CHECKS = {
    CertificateType.HALAL: _halal,
    CertificateType.HKI: _trademark,
    CertificateType.SNI: _sni,
    CertificateType.PIRT: _pirt,
    CertificateType.BPOM: _bpom,
    CertificateType.OTHER: _other,
}


def _problem(message) -> DomainValidationError:
    return DomainValidationError(message, field="number")


def normalise_number(kind: str, raw: str) -> str:
    """The number in a canonical form.

    :raises DomainValidationError: (field ``number``) when it clearly is not of that kind
    """
    return CHECKS[CertificateType(kind)](raw or "")


def normalise_standard(raw: str | None) -> str | None:
    """``sni 887 : 2023`` becomes ``SNI 887:2023``; None when empty."""
    if not raw or not raw.strip():
        return None
    match = re.fullmatch(
        r"\s*(?:SNI)?\s*([0-9]+(?:[-.][0-9]+)*)\s*(?::\s*([0-9]{4}))?\s*", raw.upper()
    )
    if not match:
        raise DomainValidationError(_l("Write the standard like SNI 887:2023."), field="standard")
    number, year = match.groups()
    return f"SNI {number}:{year}" if year else f"SNI {number}"


def pirt_expiry(number: str) -> date:
    """The last two digits of a P-IRT number are the year it expires (taken as 31 December)."""
    return date(2000 + int(number[-2:]), 12, 31)
