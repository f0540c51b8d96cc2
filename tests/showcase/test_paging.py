"""The IKM and partner pages show their products and rounds a page at a time, in a number of
queries that does not grow with the number of products."""

import re

import pytest

from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, page_text


@pytest.fixture
def stage(curation, make):
    partner, admin, _ = curation.partner(curators=0)
    round = curation.round(partner, admin, required_certificates={})
    _, ikm = make.ikm_owner()
    return partner, round, ikm


def names(response) -> list[str]:
    return re.findall(r"Produk \d{5}", page_text(response))


def test_the_ikm_page_asks_the_same_for_30_products_as_for_3(client, sql_statements, bulk, stage):
    _, round, ikm = stage
    url = f"/ikm/{ikm.id}"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.listed(round, ikm, n)
    )
    first = names(response)
    second = names(client.get(f"{url}?page=2"))
    assert len(first) == 24 and len(second) == 6
    assert set(first).isdisjoint(second) and first == sorted(first)
    assert "Halaman 1 dari 2" in page_text(response)
    assert_pages_are_safe(client, url)


def test_the_partner_page_asks_the_same_for_30_products_as_for_3(
    client, sql_statements, bulk, stage, make
):
    partner, round, ikm = stage
    _, other_ikm = make.ikm_owner()

    def add(n):
        bulk.listed(round, ikm, n - n // 2)
        bulk.listed(round, other_ikm, n // 2)

    url = f"/mitra/{partner.id}"
    response = assert_list_page_is_flat(client, sql_statements, url, add)
    first, second = names(response), names(client.get(f"{url}?page=2"))
    assert len(first) == 24 and len(second) == 6 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, url)


def test_the_partner_page_pages_its_rounds(client, sql_statements, bulk, stage):
    partner, round, _ = stage
    url = f"/mitra/{partner.id}"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.rounds(partner, round, n)
    )
    titles = re.findall(r"Ronde Massal \d{5}|Kurasi Oleh-oleh \d{4}", page_text(response))
    later = re.findall(
        r"Ronde Massal \d{5}|Kurasi Oleh-oleh \d{4}", page_text(client.get(f"{url}?ronde=2"))
    )
    assert len(titles) == 24 and len(later) == 31 - 24 and set(titles).isdisjoint(later)
    assert_pages_are_safe(client, url, arg="ronde")


def test_the_api_gives_an_ikms_products_a_page_at_a_time(client, sql_statements, bulk, stage):
    _, round, ikm = stage
    url = f"/api/v1/ikms/{ikm.id}"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.listed(round, ikm, n), many=55
    )
    first = response.json
    assert len(first["products"]) == 50 and first["products_total"] == 55
    assert (first["page"], first["pages"]) == (1, 2)
    second = client.get(f"{url}?page=2").json
    assert len(second["products"]) == 5 and second["page"] == 2
    assert {p["id"] for p in first["products"]}.isdisjoint(p["id"] for p in second["products"])
    assert client.get(f"{url}?page=9").json["page"] == 2  # past the end: the last page
    for bad in ("0", "-1", "abc", "1.5", "1001"):
        answer = client.get(f"{url}?page={bad}")
        assert answer.status_code == 400 and list(answer.json["error"]["fields"]) == ["page"]


def test_the_ikm_page_counts_its_products_in_the_page_query(client, sql_statements, bulk, stage):
    """The total comes with the page's rows: one statement for both, not a count first; past
    the end it shows the last page; archived products are neither shown nor counted."""
    _, round, ikm = stage
    ids = bulk.listed(round, ikm, 30)
    url = f"/ikm/{ikm.id}"
    response, statements = sql_statements(client.get, url)
    assert "Halaman 1 dari 2" in page_text(response)
    assert not any(s.lstrip().upper().startswith("SELECT COUNT(*)") for s in statements)
    assert sum("OVER ()" in s for s in statements) == 1
    last = client.get(f"{url}?page=9")
    assert "Halaman 2 dari 2" in page_text(last) and len(names(last)) == 6
    from app.catalog.models import Product
    from app.core import clock
    from app.extensions import db

    with client.application.app_context():
        for pid in ids[:7]:
            db.session.get(Product, pid).archived_at = clock.now()
        db.session.commit()
    fewer = client.get(url)
    assert "(23)" in page_text(fewer) and "Halaman" not in page_text(fewer)
    assert len(names(fewer)) == 23
