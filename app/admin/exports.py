"""The programme figures as files: each :class:`~app.admin.tables.Table` as CSV, a set of them as
an XLSX workbook or a printable PDF report.

What a cell becomes, by its column's kind:

- ``text``: the text. In CSV a text that a spreadsheet would read as a formula (it starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` (OWASP's advice
  against CSV injection); in XLSX it is stored as a string cell with Excel's quote prefix, so it
  shows as typed and is never evaluated.
- ``count``, ``rupiah``, ``number``: the number, written plainly (``-2``, ``1250000``,
  ``3.5``). XLSX formats counts as ``#,##0`` and rupiah as ``"Rp"#,##0``.
- ``share`` (0..1): in CSV the decimal fraction with a point (``0.25`` is a quarter), at most
  four places, so every program reads it the same whatever its locale; in XLSX the same number
  with a percent format (it shows as 25.0%).

An empty cell (None) stays empty. The PDF needs WeasyPrint, which needs the Pango library: when
it cannot be loaded, :class:`ExportUnavailable` says what to install.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import Response, current_app, has_request_context, render_template, request
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _

from app.admin.tables import COUNT, NUMBER, RUPIAH, SHARE, Table, as_number
from app.core import clock
from app.core.errors import DomainError
from app.core.i18n import format_decimal, moment, rupiah

log = logging.getLogger("etalase")

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIMETYPE = "application/pdf"

# A text starting with one of these is a formula (or a DDE call) to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_KINDS = (COUNT, RUPIAH, SHARE, NUMBER)
SHARE_PLACES = 4
XLSX_FORMATS = {COUNT: "#,##0", RUPIAH: '"Rp"#,##0', SHARE: "0.0%", NUMBER: "General"}
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class ExportUnavailable(DomainError):
    """An export cannot be made on this server (a system library is missing): 503, with what
    the operator has to install (app/admin/__init__.py shows it)."""


# -- cells ---------------------------------------------------------------------------------


def formula_safe(text: str) -> str:
    """The text, with a leading ``'`` when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in NUMERIC_KINDS and _is_number(value):
        if kind == SHARE:
            return repr(round(float(value), SHARE_PLACES))
        if isinstance(value, Decimal):
            return format(value, "f")
        return repr(value) if isinstance(value, float) else str(value)
    return formula_safe(str(value))  # text, or a stray non-number in a numeric column


def _filename(name: str, extension: str) -> str:
    """A plain ASCII file name ending in the extension (it goes into a header)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "export"
    suffix = "." + extension
    return stem if stem.lower().endswith(suffix) else stem + suffix


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


# -- CSV -----------------------------------------------------------------------------------


def csv_rows(table: Table) -> list[list[str]]:
    """The header (column labels) and the rows, each cell as CSV writes it."""
    kinds = [column.kind for column in table.columns]
    header = [formula_safe(str(column.label)) for column in table.columns]
    return [header] + [
        [_csv_cell(value, kind) for value, kind in zip(row, kinds, strict=False)]
        for row in table.rows
    ]


def csv_response(table: Table) -> Response:
    """The table as ``<slug>.csv``: UTF-8 with a BOM (Excel then reads it right), the column
    labels as header, formula-safe text, plain numbers, shares as decimal fractions."""
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(table))
    return _download("\ufeff" + out.getvalue(), CSV_MIMETYPE, _filename(table.slug, "csv"))


# -- XLSX ----------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LIMIT = 31


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid sheet name for the title, not yet in ``taken`` (lower-cased names; Excel compares
    them without case), which it is added to: at most 31 characters, none of ``[]:*?/\\``, not
    starting or ending with an apostrophe, not Excel's reserved "History"."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", str(title)).split()).strip("'").strip()
    base = base[:SHEET_NAME_LIMIT].rstrip().rstrip("'") or "Sheet"
    name, number = base, 2
    while name.casefold() in taken or name.casefold() == "history":
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip().rstrip("'") + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _put(sheet, row: int, column: int, value, kind: str = "text", bold: bool = False):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is not None and kind in NUMERIC_KINDS and _is_number(value):
        cell = sheet.cell(row=row, column=column, value=as_number(value))
        cell.number_format = XLSX_FORMATS[kind]
    elif value is None:
        cell = sheet.cell(row=row, column=column)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = sheet.cell(row=row, column=column, value=text)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
    if bold:
        from openpyxl.styles import Font

        cell.font = Font(bold=True)
    return cell


def _width(values) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=8)
    return min(max(longest, 8), 60) + 2


def _describe(sheet, title: str, filters, tables, names) -> None:
    from openpyxl.styles import Alignment, Font

    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    _put(sheet, 3, 1, _("Generated at"), bold=True)
    _put(sheet, 3, 2, moment(clock.now()))
    _put(sheet, 5, 1, _("Filters"), bold=True)
    row = 6
    for label, value in filters or [(_("No filters: all data"), "")]:
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, value)
        row += 1
    row += 1
    _put(sheet, row, 1, _("Sheet"), bold=True)
    _put(sheet, row, 2, _("Title"), bold=True)
    _put(sheet, row, 3, _("Note"), bold=True)
    for table, name in zip(tables, names, strict=True):
        row += 1
        _put(sheet, row, 1, name)
        _put(sheet, row, 2, table.title)
        _put(sheet, row, 3, table.note).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 70


def _table_sheet(sheet, table: Table) -> None:
    from openpyxl.utils import get_column_letter

    for number, column in enumerate(table.columns, start=1):
        _put(sheet, 1, number, column.label, bold=True)
    for row_number, row in enumerate(table.rows, start=2):
        for number, (value, column) in enumerate(zip(row, table.columns, strict=False), start=1):
            _put(sheet, row_number, number, value, column.kind)
    sheet.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        values = [column.label] + [row[number - 1] for row in table.rows if len(row) >= number]
        sheet.column_dimensions[get_column_letter(number)].width = _width(values)


def xlsx_response(
    tables: list[Table],
    filename: str,
    filters: list[tuple[str, str]],
    title: str | None = None,
) -> Response:
    """A workbook: a first sheet describing the report (title, filters, when it was made, and
    which sheet holds which figure with its note), then one sheet per table (bold header,
    numbers as numbers, rupiah and shares formatted)."""
    from openpyxl import Workbook

    title = title or _("Programme figures")
    book = Workbook()
    cover = book.active
    taken: set[str] = set()
    cover.title = sheet_name(_("Report"), taken)
    names = [sheet_name(table.title or table.slug, taken) for table in tables]
    _describe(cover, title, filters, tables, names)
    for table, name in zip(tables, names, strict=True):
        _table_sheet(book.create_sheet(name), table)
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), XLSX_MIMETYPE, _filename(filename, "xlsx"))


# -- PDF -----------------------------------------------------------------------------------


def display(value, kind: str) -> str:
    """A cell as the report prints it, in the current language."""
    if value is None:
        return "–"
    if kind in NUMERIC_KINDS and _is_number(value):
        if kind == RUPIAH:
            return rupiah(value)
        if kind == SHARE:
            return format_percent(float(value), format="#,##0.#%")
        return format_decimal(value)
    return str(value)


def static_root() -> Path:
    return Path(current_app.static_folder).resolve()


def static_file(url: str) -> Path | None:
    """The file under static/ a URL names, or None: a ``file:`` URL inside static/, or a
    ``/static/...`` path on this site (read from disk, never fetched)."""
    root = static_root()
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path))
    elif parts.scheme in ("http", "https") and _is_this_site(parts.netloc):
        prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"
        if not parts.path.startswith(prefix):
            return None
        path = root / unquote(parts.path[len(prefix) :])
    else:
        return None
    try:
        path = path.resolve()
    except OSError:
        return None
    return path if path.is_relative_to(root) and path.is_file() else None


def _is_this_site(netloc: str) -> bool:
    hosts = {"localhost"}
    if has_request_context():
        hosts.add(request.host)
    site = current_app.config.get("SITE_URL")
    if site:
        hosts.add(urlsplit(site).netloc)
    return netloc in hosts


def static_url_fetcher():
    """A WeasyPrint URL fetcher that serves files under static/ and refuses everything else
    (no network, no other file). Needs WeasyPrint importable."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            if path is None:
                log.warning("pdf export refused a resource: %s", url[:200])
                raise ValueError(f"only files under static/ may be used: {url[:200]}")
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mimetype})

    return StaticOnly(allowed_protocols=("file", "http", "https"))


def _weasyprint_html():
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        log.error("pdf export unavailable: %s", error)
        raise ExportUnavailable(
            _(
                "PDF export is not available on this server: WeasyPrint could not load the "
                "Pango library. The server's administrator has to install it (Debian: "
                "apt-get install %(packages)s) and restart Etalase. CSV and XLSX exports work.",
                packages=PANGO_PACKAGES,
            )
        ) from error
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import, which would let a
    # truncated upload pass app/core/uploads.py's checks in this worker from then on. The
    # report draws no photos: put Pillow's default back.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML


def report_html(tables: list[Table], filters, title: str, generated: datetime) -> str:
    return render_template(
        "admin/figures_report.html",
        tables=tables,
        filters=filters,
        title=title,
        generated=generated,
        display=display,
        numeric=NUMERIC_KINDS,
        language=str(get_locale() or "id"),
    )


def pdf_response(
    tables: list[Table], filters: list[tuple[str, str]], title: str, filename: str
) -> Response:
    """A printable A4 report (templates/admin/figures_report.html): the title, the filters, the
    date, each table with its note. Raises :class:`ExportUnavailable` without Pango."""
    html_class = _weasyprint_html()
    root = static_root()
    html = report_html(tables, filters, title, clock.now())
    document = html_class(
        string=html, base_url=root.as_uri() + "/", url_fetcher=static_url_fetcher()
    )
    return _download(document.write_pdf(), PDF_MIMETYPE, _filename(filename, "pdf"))


__all__ = [
    "ExportUnavailable",
    "csv_response",
    "formula_safe",
    "pdf_response",
    "sheet_name",
    "static_url_fetcher",
    "xlsx_response",
]
