"""The figures' charts: drawn from their table's rows, with no script or style (the CSP allows
neither inline), and the stylesheet that carries pygal's rules in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from app.admin import charts
from app.admin.tables import COUNT, SHARE, Column, Table

TABLE = Table(
    slug="uji",
    title='IKM <uji> & "kutip"',
    columns=(
        Column("sector", "Sektor"),
        Column("total", "IKM", COUNT),
        Column("share", "Bagian", SHARE),
    ),
    rows=(("Alas kaki", 7, 0.25), ("Batik", 3, 0.5), ("Kriya", 0, None)),
    chart="hbar",
    extra={"series": ("total",)},
)


def test_a_chart_draws_its_table_s_rows_without_script_or_style(app):
    with app.test_request_context():
        svg = str(charts.render(TABLE))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert not re.search(r"<(script|style)\b", svg)
    assert "<!--" not in svg  # pygal's comment carries the real date
    assert 'aria-label="IKM &lt;uji&gt; &amp; &quot;kutip&quot;"' in svg
    assert "Pygal" not in svg
    for label in ("Alas kaki", "Batik", "Kriya"):
        assert f">{label}<" in svg
    labels, series = charts.chart_data(TABLE)
    assert labels == ["Alas kaki", "Batik", "Kriya"]
    assert series == [("IKM", [7, 3, 0])]


def test_the_chart_keeps_to_its_limit_and_joins_label_columns(app):
    table = Table(
        slug="batas",
        title="Batas",
        columns=(Column("a", "A"), Column("b", "B"), Column("n", "N", COUNT)),
        rows=tuple((f"p{i}", f"r{i}", i) for i in range(20)),
        chart="bar",
        extra={"label": ("a", "b"), "series": ("n",), "limit": 5},
    )
    labels, series = charts.chart_data(table)
    assert labels == [f"p{i} · r{i}" for i in range(5)]
    assert series == [("N", [0, 1, 2, 3, 4])]


def test_no_chart_for_a_table_without_one_or_without_rows(app):
    with app.test_request_context():
        assert charts.render(Table(slug="x", title="x", columns=(), chart=None)) is None
        assert charts.render(Table(slug="x", title="x", columns=TABLE.columns, chart="bar")) is None


def test_the_chart_stylesheet_is_in_step_with_the_code(app):
    shipped = Path(app.static_folder, "css", "charts.css").read_text()
    assert shipped == charts.stylesheet(), "run: flask admin charts-css"
    assert "&gt;" not in shipped and ".chart svg" in shipped
