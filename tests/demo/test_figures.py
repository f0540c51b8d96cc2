"""The issue's walk for the demo administrator: the home's queue, a verification worked from
it, the figures filtered to Kota Mojokerto's footwear, a table exported, the PDF report."""

from __future__ import annotations

import csv
import io
import re

from tests.conftest import login, page_text
from tests.demo.test_events import DEMO, demo_user


def test_the_demo_administrator_s_walk(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(client, demo_user("admin"), password=DEMO)
    home = client.get("/dasbor")
    assert home.status_code == 200
    queue_link = re.search(r'href="(/admin/ikm)"', home.get_data(as_text=True))
    queue = client.get(queue_link.group(1))
    first = re.search(r'href="/admin/ikm/(\d+)"', queue.get_data(as_text=True))
    assert first, "the demo has IKMs waiting for verification"
    ikm_id = first.group(1)
    assert client.post(f"/admin/ikm/{ikm_id}/verifikasi").status_code == 302
    assert "Terverifikasi" in page_text(client.get(f"/admin/ikm/{ikm_id}"))

    figures = client.get("/admin/angka?wilayah=35.76&sektor=alas_kaki")
    assert figures.status_code == 200
    html = figures.get_data(as_text=True)
    assert html.count('<div class="chart"') >= 6  # every chart with something to draw
    text = page_text(figures)
    assert "Kota Mojokerto" in text and "PT Inti Dragon Suryatama" in text

    exported = client.get("/admin/angka/ekspor-per-asal.csv?wilayah=35.76&sektor=alas_kaki")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][:3] == ["Kota Mojokerto", "Alas kaki", "2"]  # the exporter's two orders

    report = client.get("/admin/angka/laporan.pdf?wilayah=35.76&sektor=alas_kaki")
    if report.status_code == 503:  # no Pango on this machine: the page says what to install
        assert "libpango" in page_text(report)
    else:
        assert report.status_code == 200 and report.data[:4] == b"%PDF"
