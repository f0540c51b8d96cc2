"""The figures' exports (app/admin/exports.py): CSV, XLSX and PDF from hand-built tables."""

from __future__ import annotations

import builtins
import csv
import io
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.admin import exports
from app.admin.exports import ExportUnavailable, csv_response, pdf_response, xlsx_response
from app.admin.tables import COUNT, NUMBER, RUPIAH, SHARE, TEXT, Column, Table
from tests.conftest import login, page_text

DANGEROUS = ["=SUM(A1)", "+1", "-2", "@x", "\tcmd", "\rcmd"]


def sector_table(**changes) -> Table:
    values = dict(
        slug="ikm-by-sector",
        title="IKM per sektor",
        columns=(
            Column("sector", "Sektor", TEXT),
            Column("count", "Jumlah IKM", COUNT),
            Column("value", "Nilai", RUPIAH),
            Column("share", "Porsi", SHARE),
            Column("change", "Perubahan", NUMBER),
        ),
        rows=(
            ("Alas kaki", 12, 1_250_000, 0.25, -3),
            ("Makanan", 30, Decimal("2500000"), Decimal("0.625"), Decimal("1.5")),
            ("Kosong", 0, None, None, None),
        ),
        note="Dihitung dari IKM terverifikasi.",
    )
    values.update(changes)
    return Table(**values)


def dangerous_table() -> Table:
    return Table(
        slug="dangerous",
        title="Teks berbahaya",
        columns=(Column("name", "Nama", TEXT), Column("n", "Angka", NUMBER)),
        rows=tuple((text, -2) for text in DANGEROUS),
    )


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# -- CSV -----------------------------------------------------------------------------------


def test_csv_has_the_labels_the_rows_and_a_file_name(app):
    with app.test_request_context("/admin/"):
        response = csv_response(sector_table())
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ikm-by-sector.csv"'
    assert "no-store" in response.headers["Cache-Control"]
    assert read_csv(response) == [
        ["Sektor", "Jumlah IKM", "Nilai", "Porsi", "Perubahan"],
        ["Alas kaki", "12", "1250000", "0.25", "-3"],
        ["Makanan", "30", "2500000", "0.625", "1.5"],
        ["Kosong", "0", "", "", ""],
    ]


def test_csv_text_that_looks_like_a_formula_is_inert_and_numbers_stay_numbers(app):
    with app.test_request_context("/admin/"):
        rows = read_csv(csv_response(dangerous_table()))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in DANGEROUS]
    assert all(row[1] == "-2" for row in rows[1:])  # a negative number is not text


def test_csv_of_an_empty_table_is_its_header(app):
    with app.test_request_context("/admin/"):
        assert read_csv(csv_response(sector_table(rows=()))) == [
            ["Sektor", "Jumlah IKM", "Nilai", "Porsi", "Perubahan"]
        ]


def test_csv_file_name_is_plain_ascii(app):
    with app.test_request_context("/admin/"):
        response = csv_response(sector_table(slug='a"b\r\nc/d'))
    assert response.headers["Content-Disposition"] == 'attachment; filename="a-b-c-d.csv"'


# -- XLSX ----------------------------------------------------------------------------------


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.get_data()))


def test_xlsx_has_a_report_sheet_then_one_sheet_per_table(app, frozen_clock):
    tables = [sector_table(), dangerous_table()]
    filters = [("Periode", "1 Jan – 31 Mar"), ("Kabupaten/kota", "Kota Mojokerto")]
    with app.test_request_context("/admin/"):
        from app.core.i18n import moment

        response = xlsx_response(tables, "angka-program", filters)
        generated = moment(frozen_clock.current)
    assert response.mimetype == exports.XLSX_MIMETYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="angka-program.xlsx"'
    book = read_xlsx(response)
    assert book.sheetnames == ["Laporan", "IKM per sektor", "Teks berbahaya"]
    cover = [[cell for cell in row if cell is not None] for row in book["Laporan"].values]
    assert cover[0] == ["Angka program"]
    assert ["Dibuat pada", generated] in cover
    assert ["Periode", "1 Jan – 31 Mar"] in cover
    assert ["Kabupaten/kota", "Kota Mojokerto"] in cover
    assert ["IKM per sektor", "IKM per sektor", "Dihitung dari IKM terverifikasi."] in cover
    assert book["Laporan"]["A1"].font.b


def test_xlsx_cells_are_numbers_with_formats_and_the_header_is_bold(app):
    with app.test_request_context("/admin/"):
        sheet = read_xlsx(xlsx_response([sector_table()], "x", []))["IKM per sektor"]
    rows = list(sheet.values)
    assert rows[0] == ("Sektor", "Jumlah IKM", "Nilai", "Porsi", "Perubahan")
    assert rows[1] == ("Alas kaki", 12, 1_250_000, 0.25, -3)
    assert rows[2] == ("Makanan", 30, 2_500_000, 0.625, 1.5)
    assert rows[3] == ("Kosong", 0, None, None, None)
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet["C2"].number_format == '"Rp"#,##0'
    assert sheet["D2"].number_format == "0.0%"
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["E2"].data_type == "n"


def test_xlsx_without_filters_says_so(app):
    with app.test_request_context("/admin/"):
        book = read_xlsx(xlsx_response([sector_table()], "x", [], title="Laporan Mojokerto"))
    cover = [[cell for cell in row if cell is not None] for row in book["Laporan"].values]
    assert cover[0] == ["Laporan Mojokerto"]
    assert ["Tanpa filter: semua data"] in cover


def test_xlsx_text_that_looks_like_a_formula_is_a_string(app):
    with app.test_request_context("/admin/"):
        response = xlsx_response([dangerous_table()], "x", [("=HYPERLINK(1)", "@evil")])
    book = read_xlsx(response)
    sheet = book["Teks berbahaya"]
    cells = [sheet.cell(row=n, column=1) for n in range(2, 2 + len(DANGEROUS))]
    # (XML reads a carriage return back as a line feed.)
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in DANGEROUS]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)
    assert all(sheet.cell(row=n, column=2).value == -2 for n in range(2, 2 + len(DANGEROUS)))
    # The raw file holds no formula at all.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert b"<f>" not in xml and b"<f " not in xml
    cover = book["Laporan"]
    assert any(cell.value == "=HYPERLINK(1)" and cell.data_type == "s" for cell in cover["A"])


def test_xlsx_sheet_names_are_valid_and_unique(app):
    long_title = "Kapasitas bulanan per sektor dibandingkan permintaan pembeli"
    tables = [
        sector_table(title="Laporan"),  # the first sheet's name
        sector_table(title="A/B: [tahun]*?\\"),
        sector_table(title=long_title),
        sector_table(title=long_title),
        sector_table(title="'kutip'"),
        sector_table(title="History"),
        sector_table(title="", slug="no-title"),
        sector_table(title="ikm per SEKTOR"),
        sector_table(title="IKM per sektor"),
    ]
    with app.test_request_context("/admin/"):
        names = read_xlsx(xlsx_response(tables, "x", [])).sheetnames
    assert len(names) == len(tables) + 1
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.casefold() != "history"
    assert names[0] == "Laporan"
    assert names[1] == "Laporan (2)"
    assert names[2] == "A B tahun"
    assert names[3] == long_title[:31].rstrip()
    assert names[4].endswith(" (2)") and len(names[4]) <= 31
    assert names[5] == "kutip"
    assert names[7] == "no-title"
    assert names[8:] == ["ikm per SEKTOR", "IKM per sektor (2)"]


def test_xlsx_drops_characters_a_workbook_cannot_hold(app):
    table = Table(slug="t", title="T", columns=(Column("a", "A"),), rows=(("a\x00b\x07c",),))
    with app.test_request_context("/admin/"):
        sheet = read_xlsx(xlsx_response([table], "x", []))["T"]
    assert sheet["A2"].value == "abc"


# -- PDF -----------------------------------------------------------------------------------


def pdf_text(response) -> str:
    body = response.get_data()
    assert body.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_pdf_report_has_the_title_filters_tables_and_notes(app):
    tables = [sector_table(), sector_table(slug="empty", title="Pesanan ekspor", rows=())]
    with app.test_request_context("/admin/"):
        response = pdf_response(
            tables, [("Sektor", "Alas kaki")], "Angka program Mojokerto", "laporan-angka"
        )
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="laporan-angka.pdf"'
    text = " ".join(pdf_text(response).split())
    for expected in (
        "Angka program Mojokerto",
        "Sektor: Alas kaki",
        "Dibuat pada",
        "IKM per sektor",
        "Dihitung dari IKM terverifikasi.",
        "Pesanan ekspor",
        "Tidak ada data untuk filter ini.",
        "Rp1.250.000",
        "25%",
        "62,5%",
        "Alas kaki",
    ):
        assert expected in text, expected


def test_pdf_report_is_in_english_for_english_readers(app):
    with app.test_request_context("/admin/", headers={"Cookie": "etalase_lang=en"}):
        text = pdf_text(pdf_response([sector_table(rows=())], [], "Figures", "f"))
    assert "No filters: all data" in text and "Generated at" in text


def test_url_fetcher_serves_static_files_only(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    with app.test_request_context("/admin/"):
        fetcher = exports.static_url_fetcher()
        root = exports.static_root()
        served = fetcher.fetch((root / "img" / "favicon.svg").as_uri())
        assert served.read().startswith(b"<")
        assert fetcher.fetch("http://localhost/static/img/favicon.svg").read().startswith(b"<")
        for refused in (
            "https://example.com/logo.png",
            "http://127.0.0.1:5432/",
            "http://localhost/admin/",
            secret.as_uri(),
            (root / ".." / "app" / "__init__.py").as_uri(),
            "http://localhost/static/../app/__init__.py",
            "http://localhost/static/%2e%2e/app/__init__.py",
            "file:///etc/passwd",
            "data:text/plain,hello",
            "ftp://example.com/x",
        ):
            with pytest.raises(ValueError):
                fetcher.fetch(refused)


@pytest.fixture(params=[ImportError, OSError])
def no_weasyprint(request, monkeypatch):
    """WeasyPrint cannot be loaded: not installed (ImportError), or Pango missing (OSError)."""
    real_import = builtins.__import__
    failure = request.param

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise failure("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)


def test_pdf_without_pango_raises_export_unavailable_with_the_install_hint(app, no_weasyprint):
    with app.test_request_context("/admin/"), pytest.raises(ExportUnavailable) as raised:
        pdf_response([sector_table()], [], "Angka", "angka")
    assert "libpango-1.0-0 libpangoft2-1.0-0" in raised.value.message


def test_pdf_without_pango_shows_a_503_page_with_the_hint(app, make, no_weasyprint):
    def report():
        return pdf_response([sector_table()], [], "Angka", "angka")

    # A route of the admin area, for this test only (the figures' routes live elsewhere).
    app.add_url_rule("/admin/_test-report.pdf", endpoint="admin.test_report", view_func=report)
    client = app.test_client()
    login(client, make.admin())
    response = client.get(
        "/admin/_test-report.pdf", headers={"Referer": "http://localhost/admin/?periode=2026"}
    )
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    text = page_text(response)
    assert "Ekspor tidak tersedia" in text
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in text
    assert 'href="/admin/?periode=2026"' in response.get_data(as_text=True)
    assert "Retry-After" not in response.headers


def test_export_unavailable_page_links_home_without_a_referrer_from_this_site(app, make):
    def report():
        raise ExportUnavailable("Pasang Pango.")

    app.add_url_rule("/admin/_test-fail", endpoint="admin.test_fail", view_func=report)
    client = app.test_client()
    login(client, make.admin())
    response = client.get("/admin/_test-fail", headers={"Referer": "https://evil.example/x"})
    assert response.status_code == 503
    assert "Pasang Pango." in page_text(response)
    assert 'href="/admin/"' in response.get_data(as_text=True)


def test_making_a_pdf_leaves_truncated_uploads_refused(app):
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES when imported; the upload checks
    (a half-sent JPEG is refused) must hold in a worker that has made a PDF."""
    from PIL import ImageFile

    try:
        exports._weasyprint_html()
    except exports.ExportUnavailable:
        pytest.skip("no Pango here")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
