"""The reference for ``make load``: a minimal Flask page, one template from one SQLite query of
24 rows. Its requests/s in the same run is what every Etalase page is compared with."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from flask import Flask, render_template_string

DATABASE = Path(
    os.environ.get("REFERENCE_DATABASE", Path(tempfile.gettempdir()) / "etalase-reference.db")
)
PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Katalog</title></head>
<body><h1>Katalog</h1><ul>{% for id, name, price in rows %}
<li><a href="/produk/{{ id }}">{{ name }}</a> Rp{{ "{:,}".format(price) }}</li>{% endfor %}
</ul></body></html>"""


def create_database() -> None:
    with sqlite3.connect(DATABASE) as connection:
        connection.execute("drop table if exists products")
        connection.execute("create table products (id integer primary key, name text, price int)")
        connection.executemany(
            "insert into products (name, price) values (?, ?)",
            [(f"Sepatu Kulit Wanita {n}", 100_000 + n * 1000) for n in range(200)],
        )


app = Flask(__name__)


@app.route("/")
def index():
    with sqlite3.connect(DATABASE) as connection:
        rows = connection.execute(
            "select id, name, price from products order by id limit 24"
        ).fetchall()
    return render_template_string(PAGE, rows=rows)
