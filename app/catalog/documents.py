"""Certificate documents: PDFs are checked, images are re-encoded (SECURITY.md "Uploads")."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.catalog import images, pdf_check
from app.core.errors import DomainValidationError

DOCUMENT_IMAGE_SIZE = {"document": 2400}

PDF_CHECK = Path(pdf_check.__file__)

_NAME_END = rb"(?=[\x00\t\n\f\r /\[\]<>(){}%]|\Z)"  # PDF whitespace, a delimiter or the end
_ACTIVE_BYTES = re.compile(
    rb"/(?:" + b"|".join(n[1:].encode() for n in sorted(pdf_check.ACTIVE_NAMES)) + rb")" + _NAME_END
)
_ESCAPED_NAME = re.compile(rb"/[^\x00\t\n\f\r /\[\]<>(){}%]*#[^\x00\t\n\f\r /\[\]<>(){}%]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
log = logging.getLogger("etalase")


class DocumentRejected(DomainValidationError):
    pass


def prepare(data: bytes) -> tuple[bytes, str]:
    """Bytes to store and their content type, for an uploaded certificate document.

    :raises DocumentRejected: for anything but a plain PDF, JPEG or PNG within the size cap
    """
    if len(data) > current_app.config["DOCUMENT_MAX_BYTES"]:
        raise _reject(
            _l(
                "The document is larger than %(mb)d MB.",
                mb=current_app.config["DOCUMENT_MAX_BYTES"] // 2**20,
            )
        )
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return data, "application/pdf"
    try:
        rendition = images.process(data, DOCUMENT_IMAGE_SIZE, field="document")["document"]
    except images.ImageRejected as error:
        raise _reject(_l("Upload the certificate as a PDF, JPEG or PNG file.")) from error
    return rendition.data, rendition.content_type


ACTIVE_MESSAGE = _l(
    "This PDF contains scripts, embedded files or actions that open other files or programs. "
    "Print it again to a plain PDF, or upload a scan."
)
TOO_COMPLEX_MESSAGE = _l(
    "This PDF is too complex to check. Print it again to a plain PDF, or upload a scan."
)
VERDICT_MESSAGES = {
    pdf_check.ACTIVE: ACTIVE_MESSAGE,
    pdf_check.ENCRYPTED: _l("This PDF is password-protected. Upload a copy without a password."),
    pdf_check.NO_PAGES: _l("This PDF has no pages."),
    pdf_check.DAMAGED: _l("This PDF is damaged and cannot be read."),
    pdf_check.TOO_COMPLEX: TOO_COMPLEX_MESSAGE,
}


def _check_pdf(data: bytes) -> None:
    if _bytes_look_active(data):
        raise _reject(ACTIVE_MESSAGE)
    verdict = _inspect_in_child(data)
    if verdict != pdf_check.PLAIN:
        raise _reject(VERDICT_MESSAGES.get(verdict, TOO_COMPLEX_MESSAGE))


def _bytes_look_active(data: bytes) -> bool:
    if _ACTIVE_BYTES.search(data):
        return True
    for name in _ESCAPED_NAME.finditer(data):
        plain = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name.group())
        if _ACTIVE_BYTES.fullmatch(plain):
            return True
    return False


def _inspect_in_child(data: bytes) -> str:
    """pypdf's verdict on ``data``, from a child process with limits (see pdf_check.py)."""
    try:
        finished = subprocess.run(  # noqa: S603 - our own script; the file goes on stdin
            [sys.executable, "-I", str(PDF_CHECK)],
            input=data,
            capture_output=True,
            timeout=current_app.config["PDF_CHECK_TIMEOUT"],
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.info("PDF check stopped after %ss", current_app.config["PDF_CHECK_TIMEOUT"])
        return pdf_check.TOO_COMPLEX
    except OSError:
        log.exception("the PDF check could not start")
        return pdf_check.TOO_COMPLEX
    try:
        return json.loads(finished.stdout)["verdict"]
    except (ValueError, KeyError, TypeError):  # stopped at its CPU or memory limit
        log.info("PDF check ended without a verdict, exit status %s", finished.returncode)
        return pdf_check.TOO_COMPLEX


def _reject(message) -> DocumentRejected:
    return DocumentRejected(message, field="document")
