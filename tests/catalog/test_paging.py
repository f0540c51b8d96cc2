"""The IKM's product and certificate lists: a page at a time, in a number of queries that does
not grow with the number of products or certificates."""

import re

from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def names(response, pattern=r"Produk \d{5}") -> list[str]:
    return re.findall(pattern, page_text(response))


def test_the_product_list_asks_the_same_for_30_products_as_for_3(
    client, sql_statements, bulk, make
):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    url = f"/kelola/ikm/{ikm.id}/produk"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.products(ikm, n, photos=2)
    )
    text = page_text(response)
    assert "Foto (2)" in text and "Siap dikurasi" in text  # photos and readiness per card
    first, second = names(response), names(client.get(f"{url}?page=2"))
    assert len(first) == 24 and len(second) == 6 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, url)


def test_the_archive_is_paged_and_its_pager_stays_in_the_archive(client, bulk, make):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    bulk.products(ikm, 3, name="Aktif")
    bulk.products(ikm, 26, archived=True, name="Arsip")
    url = f"/kelola/ikm/{ikm.id}/produk"
    archive = client.get(f"{url}?arsip=1")
    assert len(names(archive, r"Arsip \d{5}")) == 24 and not names(archive, r"Aktif \d{5}")
    assert f"{url}?arsip=1&amp;page=2" in archive.get_data(as_text=True)
    assert len(names(client.get(f"{url}?arsip=1&page=2"), r"Arsip \d{5}")) == 2
    assert len(names(client.get(url), r"Aktif \d{5}")) == 3
    assert_pages_are_safe(client, f"{url}?arsip=1")


def test_the_certificate_list_asks_the_same_for_30_certificates_as_for_3(
    client, sql_statements, bulk, make
):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    covered = bulk.products(ikm, 2, certificates=0)
    url = f"/kelola/ikm/{ikm.id}/sertifikat"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.certificates(ikm, n, products=covered)
    )
    numbers = re.findall(r"ID351100\d{11}", page_text(response))
    later = re.findall(r"ID351100\d{11}", page_text(client.get(f"{url}?page=2")))
    assert len(numbers) == 24 and len(later) == 6 and set(numbers).isdisjoint(later)
    assert "Produk" in page_text(response)  # which products each covers
    assert_pages_are_safe(client, url)
