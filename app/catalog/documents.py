"""Certificate documents: PDFs are checked, images are re-encoded (SECURITY.md "Uploads")."""

from __future__ import annotations

import io
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.catalog import images
from app.core.errors import DomainValidationError

DOCUMENT_IMAGE_SIZE = {"document": 2400}
# Actions that run code or open other files when a PDF is viewed.
ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)\b"
)


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


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader  # loaded when a PDF arrives, not in every worker at start
    from pypdf.errors import PdfReadError

    if ACTIVE_CONTENT.search(data):
        raise _reject(
            _l("This PDF contains scripts or embedded files. Save it again as a plain PDF.")
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _reject(_l("This PDF is password-protected. Upload a copy without a password."))
        if not reader.pages:
            raise _reject(_l("This PDF has no pages."))
        if _has_active_catalog(reader.trailer["/Root"]):
            raise _reject(
                _l("This PDF contains scripts or embedded files. Save it again as a plain PDF.")
            )
    except DocumentRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise _reject(_l("This PDF is damaged and cannot be read.")) from error


def _has_active_catalog(catalog) -> bool:
    """Scripts hidden in compressed object streams still show in the document catalogue."""
    # Indexing (not .get) makes pypdf resolve indirect objects.
    names = catalog["/Names"] if "/Names" in catalog else {}  # noqa: SIM401
    if "/JavaScript" in names or "/EmbeddedFiles" in names:
        return True
    action = catalog["/OpenAction"] if "/OpenAction" in catalog else None  # noqa: SIM401
    if isinstance(action, dict) and action.get("/S") in ("/JavaScript", "/Launch"):
        return True
    return "/AA" in catalog


def _reject(message) -> DocumentRejected:
    return DocumentRejected(message, field="document")
