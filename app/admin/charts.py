"""Charts of the programme figures: SVG drawn on the server by pygal, inlined in the page.

The site's Content Security Policy allows no inline script or style, so each chart is drawn
without pygal's script and its ``<style>`` is taken out; the rules it would have carried are
in ``static/css/charts.css``, made by :func:`stylesheet` (``flask admin charts-css`` writes it
again after a change of style; a test keeps the file in step). A chart only draws what its
:class:`~app.admin.tables.Table` holds, and the page shows that table beside it.
"""

from __future__ import annotations

import html
import re
import sys
from collections import OrderedDict

from markupsafe import Markup

from app.admin.tables import COUNT, RUPIAH, SHARE, Table, as_number

# Colours that stay apart for the colour-blind (Okabe and Ito), then greys.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
WIDTH, HEIGHT = 640, 360
DEFAULT_LIMIT = 12

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = re.compile(r"<style\b.*?</style>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _pygal():
    import pygal  # only the figures pages draw charts
    from pygal.style import Style

    # pygal puts an import hook on sys.meta_path (for its old "pygal.maps" plug-ins) that has
    # no find_spec: a later import of a module not loaded yet (openpyxl for an export) then
    # fails. Nothing here uses those plug-ins.
    fixer = getattr(pygal, "PluginImportFixer", None)
    if fixer is not None:
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, fixer)]
    return pygal, Style


def _style():
    _, Style = _pygal()
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#666",
        colors=COLOURS,
        font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        legend_font_size=13,
        title_font_size=15,
    )


def _formatter(kind: str):
    if kind == SHARE:
        return lambda v: "" if v is None else f"{v:.0%}"
    if kind == RUPIAH:
        return lambda v: "" if v is None else "Rp" + f"{v:,.0f}".replace(",", ".")
    if kind == COUNT:
        return lambda v: "" if v is None else f"{v:,.0f}".replace(",", ".")
    return lambda v: "" if v is None else f"{v:g}"


def _chart_class(pygal, table: Table):
    stacked = table.extra.get("stacked")
    return {
        "bar": pygal.StackedBar if stacked else pygal.Bar,
        "hbar": pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar,
        "line": pygal.Line,
        "pie": pygal.Pie,
    }[table.chart]


def chart_data(table: Table) -> tuple[list[str], list[tuple[str, list]]]:
    """(labels, [(series label, values)]) the chart draws: the table's first rows (at most
    ``extra["limit"]``), labelled by ``extra["label"]`` columns (the first column by default)."""
    keys = [c.key for c in table.columns]
    label_keys = table.extra.get("label") or (keys[0],)
    rows = table.rows[: table.extra.get("limit", DEFAULT_LIMIT if table.chart != "line" else None)]
    labels = [" · ".join(str(row[keys.index(k)]) for k in label_keys) for row in rows]
    series = []
    for key in table.extra.get("series", ()):
        column = table.columns[keys.index(key)]
        series.append((str(column.label), [as_number(row[keys.index(key)]) for row in rows]))
    return labels, series


_drawn: OrderedDict[tuple, Markup] = OrderedDict()
_DRAWN_ENTRIES = 256


def render(table: Table) -> Markup | None:
    """The table's chart as inline SVG (no script, no style), or None for a table without one
    or without rows. The same table (title, rows, chart) is drawn once per process: the
    figures' cache hands back the same tables for a minute, and pygal takes some 15 ms a chart."""
    if not table.chart or not table.rows:
        return None
    labels = tuple(str(c.label) for c in table.columns)
    key = (
        table.slug,
        table.title,
        labels,
        table.chart,
        table.rows,
        repr(sorted(table.extra.items())),
    )
    kept = _drawn.get(key)
    if kept is None:
        kept = _drawn[key] = _draw(table)
        while len(_drawn) > _DRAWN_ENTRIES:
            _drawn.popitem(last=False)
    else:
        _drawn.move_to_end(key)
    return kept


def _draw(table: Table) -> Markup:
    pygal, _ = _pygal()
    labels, series = chart_data(table)
    kinds = {str(c.label): c.kind for c in table.columns}
    first_kind = kinds.get(series[0][0], COUNT) if series else COUNT
    horizontal = table.chart == "hbar"
    height = max(HEIGHT, 90 + 34 * len(labels)) if horizontal else HEIGHT
    chart = _chart_class(pygal, table)(
        style=_style(),
        width=WIDTH,
        height=height,
        explicit_size=False,
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        show_legend=len(series) > 1,
        truncate_label=24 if horizontal else 12,
        truncate_legend=40,
        x_label_rotation=0 if horizontal else 30,
        value_formatter=_formatter(first_kind),
        print_values=False,
        margin=8,
        show_minor_x_labels=True,
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _STYLE.sub("", _SCRIPT.sub("", svg)))
    svg = svg.replace("<title>Pygal</title>", f"<title>{_attr(table.title)}</title>", 1)
    svg = svg.replace('id=""', "", 1).replace(
        "<svg ", f'<svg role="img" aria-label="{_attr(table.title)}" ', 1
    )
    return Markup(svg)  # noqa: S704 (pygal escapes every label; no script or style is left)


def _attr(text: str) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def stylesheet() -> str:
    """The CSS pygal would have put in each chart, scoped to ``.chart svg``."""
    pygal, _ = _pygal()
    chart = pygal.Bar(style=_style(), js=[], no_prefix=True, disable_xml_declaration=True)
    chart.add("x", [1])
    found = re.findall(r"<style[^>]*>(.*?)</style>", chart.render(is_unicode=True), re.S)
    rules = []
    for css in found:
        for selector, body in re.findall(r"([^{}]*)\{([^{}]*)\}", html.unescape(css)):
            scoped = ", ".join(
                f".chart svg {part.strip()}".rstrip() for part in selector.split(",")
            )
            rules.append(f"{scoped} {{{body.strip()}}}")
    header = "/* Made by app.admin.charts.stylesheet() (flask admin charts-css): do not edit. */"
    layout = [
        ".chart svg {display:block;width:100%;height:auto;max-width:100%}",
        ".chart svg .tooltip {display:none}",
    ]
    return "\n".join([header, *rules, *layout]) + "\n"
