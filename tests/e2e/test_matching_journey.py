"""A buyer asks for 40,000 pairs, no single maker can, a group of two quotes and is accepted."""

import re
from datetime import timedelta

import pytest

from app.core import clock
from tests.e2e.conftest import PHONE, fits_the_screen
from tests.e2e.test_curation_journey import session

pytestmark = pytest.mark.browser

DAYS = 90
# Monthly pairs: in three months 27,000, 18,000 and 9,000; only the first two together make 40,000.
MAKERS = {
    "Sepatu Mojopahit": 9_000,
    "Sepatu Sooko": 6_000,
    "Sepatu Trowulan": 3_000,
}


def _pairs(text: str) -> int:
    """27000 from "27.000 pasang"."""
    return int(re.sub(r"\D", "", text))


@pytest.fixture
def makers(make, catalog, categories):
    owners = {}
    for name, monthly in MAKERS.items():
        owner, ikm = make.ikm_owner(name=name, capacity_monthly=monthly, capacity_unit="pasang")
        catalog.product(
            ikm, name=f"Sepatu Wanita {name[7:]}", capacity_monthly=monthly, min_order_qty=60
        )
        owners[name] = owner
    return owners


@pytest.mark.parametrize("viewport", [PHONE], indirect=False)
def test_forty_thousand_pairs_from_a_group(
    app, browser, live_server, page, make, catalog, makers, frozen_clock
):
    _org, buyer_user = make.buyer(company="PT Ramayana Lestari (demo)")
    delivery = clock.today() + timedelta(days=DAYS)
    category = catalog.category("sepatu-wanita")

    buyer = session(browser, live_server, buyer_user.email, PHONE)
    buyer.locator("#main").get_by_role("link", name="Permintaan saya").click()
    buyer.get_by_role("heading", name="Permintaan saya").wait_for()
    assert fits_the_screen(buyer)
    buyer.get_by_role("link", name="Pasang permintaan").click()
    buyer.get_by_role("heading", name="Pasang permintaan").wait_for()
    assert fits_the_screen(buyer)
    buyer.get_by_label("Apa yang Anda butuhkan?").fill("Sepatu wanita")
    buyer.get_by_label("Kategori").select_option(str(category.id))
    buyer.get_by_label("Spesifikasi").fill("Pantofel kulit sapi, ukuran 36-41, hitam.")
    buyer.get_by_label(re.compile(r"^Jumlah\b")).fill("40000")
    buyer.get_by_label("Satuan", exact=True).select_option("pasang")
    buyer.get_by_label("Tanggal kirim").fill(delivery.isoformat())
    buyer.get_by_label("Pesanan boleh dibagi beberapa IKM").check()
    buyer.get_by_label("Kelompok IKM terbesar").fill("3")
    buyer.get_by_role("button", name="Simpan permintaan").click()
    buyer.get_by_text("Permintaan disimpan sebagai draf.").wait_for()
    assert buyer.get_by_role("heading", name=re.compile("^Sepatu wanita")).is_visible()
    assert fits_the_screen(buyer)
    buyer.get_by_role("button", name="Terbuka untuk penawaran").click()
    buyer.get_by_text("Permintaan dibuka untuk penawaran.").wait_for()
    assert fits_the_screen(buyer)

    # Back to the list: the request is there, and opens.
    buyer.get_by_role("link", name="← Permintaan saya").click()
    buyer.get_by_role("heading", name="Permintaan saya").wait_for()
    buyer.get_by_role("link", name="Sepatu wanita").click()
    buyer.get_by_role("link", name="IKM yang direkomendasikan").wait_for()
    assert buyer.get_by_text("40.000 pasang").first.is_visible()
    assert fits_the_screen(buyer)

    buyer.get_by_role("link", name="IKM yang direkomendasikan").click()
    buyer.get_by_role("heading", name="Kelompok yang diusulkan").wait_for()
    assert fits_the_screen(buyer)
    cards = buyer.locator("ol.recommendations > li")
    assert cards.count() == len(MAKERS)
    assert cards.filter(has_text="tidak sanggup memenuhi semuanya sendiri").count() == len(MAKERS)
    group = buyer.locator(".consortium ul.allocations").first.locator("li")
    assert group.count() == 2
    members = [group.nth(i).get_by_role("link").inner_text() for i in range(2)]
    assert sorted(members) == ["Sepatu Mojopahit", "Sepatu Sooko"]
    shares = [_pairs(group.nth(i).locator("strong").inner_text()) for i in range(2)]
    assert sum(shares) == 40_000
    buyer.get_by_role("button", name="Kirim ke kelompok ini").click()
    buyer.get_by_text("Permintaan dikirim ke 2 IKM.").wait_for()
    assert buyer.get_by_role("heading", name=re.compile("^Penawaran")).is_visible()
    assert fits_the_screen(buyer)

    for index, name in enumerate(members):
        ikm = session(browser, live_server, makers[name].email, PHONE)
        ikm.locator("#main").get_by_role("link", name="Peluang").click()
        ikm.get_by_role("heading", name="Peluang").wait_for()
        assert fits_the_screen(ikm)
        ikm.get_by_role("link", name="Sepatu wanita").click()
        ikm.get_by_role("button", name="Kirim penawaran").wait_for()
        assert ikm.get_by_text("PT Ramayana Lestari (demo)").is_visible()
        assert fits_the_screen(ikm)
        share = ikm.get_by_label("Jumlah yang sanggup Anda penuhi")
        assert share.input_value() == str(shares[index])  # the proposed share is filled in
        ikm.get_by_label("Harga per satuan (Rupiah)").fill(str(230_000 + 5_000 * index))
        ikm.get_by_label("Tanggal kirim").fill((delivery - timedelta(days=7)).isoformat())
        ikm.get_by_label("Catatan").fill(f"Kulit dari Magetan (IKM {index + 1}).")
        ikm.get_by_role("button", name="Kirim penawaran").click()
        ikm.get_by_text("Penawaran Anda dikirim ke pembeli.").wait_for()
        assert ikm.get_by_role("heading", name=re.compile("^Penawaran Anda")).is_visible()
        assert fits_the_screen(ikm)
        ikm.context.close()

    buyer.reload()
    rows = buyer.locator("table.compare tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert (
        buyer.get_by_text("Rp230.000").is_visible() and buyer.get_by_text("Rp235.000").is_visible()
    )
    assert fits_the_screen(buyer)
    accepted = 0
    for name, share in zip(members, shares, strict=True):
        rows.filter(has_text=name).get_by_role("button", name="Terima").click()
        accepted += share
        buyer.get_by_text(f"Diterima {accepted:,} dari 40.000 pasang".replace(",", ".")).wait_for()
        assert buyer.get_by_text("Penawaran diterima.").is_visible()
        assert (
            rows.filter(has_text=name)
            .get_by_text(f"({share:,} diterima)".replace(",", "."))
            .is_visible()
        )
        assert fits_the_screen(buyer)

    assert buyer.locator("h1 .badge").inner_text() == "Sudah dipesan"
    assert buyer.get_by_role("button", name="Terima").count() == 0
    buyer.get_by_role("link", name="← Sepatu wanita").click()
    buyer.get_by_role("heading", name=re.compile("^Sepatu wanita")).wait_for()
    assert buyer.locator("h1 .badge").inner_text() == "Sudah dipesan"
    assert fits_the_screen(buyer)

    # Awarded: the printable summary, on the phone too.
    buyer.get_by_role("link", name="Ringkasan pesanan (siap cetak)").click()
    buyer.get_by_role("heading", name="Siapa memasok apa").wait_for()
    assert buyer.get_by_text("Rp230.000").first.is_visible()
    assert fits_the_screen(buyer)
    buyer.context.close()
