"""The demo's role homes: each demo account's /dasbor shows non-zero counts for its role."""

from __future__ import annotations

import re

from tests.conftest import login, page_text
from tests.demo.test_events import DEMO, demo_user


def counts_in(response, section: str) -> list[int]:
    """The counts shown in one section of the home (by its id or class)."""
    html = response.get_data(as_text=True)
    match = re.search(rf"<section[^>]*\b{section}\b[^>]*>(.*?)</section>", html, re.S)
    assert match, f"no section {section}"
    return [int(n) for n in re.findall(r'<strong class="count">(\d+)</strong>', match.group(1))]


def test_each_demo_home_shows_counts_for_its_role(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    login(client, demo_user("admin"), password=DEMO)
    office = client.get("/dasbor")
    ikms, certificates, expiring, closing, events = counts_in(office, "trade-office")
    assert ikms >= 4 and certificates >= 1 and expiring >= 1 and closing >= 1 and events >= 1
    client.post("/akun/keluar")

    login(client, demo_user("kurator.keranjang1"), password=DEMO)
    home = client.get("/dasbor")
    text = page_text(home)
    assert re.search(r"[1-9]\d* ulasan belum dikirim", text), text
    assert "tenggat" in text
    client.post("/akun/keluar")

    login(client, demo_user("ramayana"), password=DEMO)
    home = client.get("/dasbor")
    assert sum(counts_in(home, "partner-rounds")) >= 1
    assert sum(counts_in(home, "buying")) >= 1
    client.post("/akun/keluar")

    login(client, demo_user("sumberrejeki"), password=DEMO)
    text = page_text(client.get("/dasbor"))
    assert "Keputusan kurasi terbaru" in text or "menunggu penawaran Anda" in text, text
    assert re.search(r"[1-9]\d* permintaan menunggu penawaran Anda", text), text
    client.post("/akun/keluar")

    login(client, demo_user("kopipacet"), password=DEMO)
    text = page_text(client.get("/dasbor"))
    assert re.search(r"[1-9]\d* sertifikat habis berlaku dalam 30 hari", text), text
    client.post("/akun/keluar")

    login(client, demo_user("eksportir"), password=DEMO)
    home = client.get("/dasbor")
    assert sum(counts_in(home, "buying")) >= 1
