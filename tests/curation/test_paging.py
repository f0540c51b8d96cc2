"""Curation's lists (the curator's queue, the IKM's rounds and submissions, the products to
submit, a round's ranking and statistics): a page at a time, in a number of queries that does
not grow with the number of rows."""

import re

import pytest

from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


@pytest.fixture
def stage(curation, make):
    partner, admin, curators = curation.partner(curators=1)
    round = curation.round(partner, admin, required_certificates={})
    owner, ikm = make.ikm_owner()
    return type(
        "Stage",
        (),
        dict(partner=partner, admin=admin, curator=curators[0], round=round, owner=owner, ikm=ikm),
    )


def found(response, pattern: str) -> list[str]:
    return re.findall(pattern, page_text(response))


def test_the_review_queue_asks_the_same_for_30_assignments_as_for_3(
    client, sql_statements, bulk, stage
):
    login(client, stage.curator)

    def add(n):
        ids = bulk.submissions(stage.round, stage.ikm, n)
        bulk.assignments(stage.curator, ids, reviewed=n // 3)

    response = assert_list_page_is_flat(client, sql_statements, "/kurasi/tugas", add)
    text = page_text(response)
    assert "Belum dinilai" in text and "Draf" in text
    first = found(response, r"Kiriman \d{5}")
    second = found(client.get("/kurasi/tugas?page=2"), r"Kiriman \d{5}")
    assert len(first) == 24 and len(second) == 6 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, "/kurasi/tugas")


def test_the_queue_shows_work_to_do_before_submitted_reviews(app, client, bulk, stage):
    login(client, stage.curator)
    ids = bulk.submissions(stage.round, stage.ikm, 30)
    bulk.assignments(stage.curator, ids, reviewed=28)  # 28 submitted, a draft, one to do
    first = found(client.get("/kurasi/tugas"), r"Kiriman \d{5}")
    with app.app_context():
        to_do = {f"Kiriman {pid:05d}" for pid in _product_ids(ids[28:])}
    assert set(first[:2]) == to_do


def _product_ids(submission_ids):
    from app.curation.models import Submission
    from app.extensions import db

    return db.session.scalars(
        db.select(Submission.product_id).where(Submission.id.in_(submission_ids))
    ).all()


def test_the_ikm_submissions_ask_the_same_for_60_as_for_3(client, sql_statements, bulk, stage):
    login(client, stage.owner)
    url = f"/kurasi/ikm/{stage.ikm.id}"
    response = assert_list_page_is_flat(
        client,
        sql_statements,
        url,
        lambda n: bulk.submissions(stage.round, stage.ikm, n),
        many=60,
    )
    first = found(response, r"Kiriman \d{5}")
    second = found(client.get(f"{url}?page=2"), r"Kiriman \d{5}")
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, url)


def test_the_open_rounds_ask_the_same_for_30_as_for_3(client, sql_statements, bulk, stage):
    login(client, stage.owner)
    url = f"/kurasi/ikm/{stage.ikm.id}"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.rounds(stage.partner, stage.round, n)
    )
    pattern = r"Ronde Massal \d{5}|Kurasi Oleh-oleh \d{4}"
    first, second = found(response, pattern), found(client.get(f"{url}?ronde=2"), pattern)
    assert len(first) == 24 and len(second) == 7 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, url, arg="ronde")


def test_the_products_to_submit_ask_the_same_for_30_as_for_3(client, sql_statements, bulk, stage):
    login(client, stage.owner)
    url = f"/kurasi/ikm/{stage.ikm.id}/ronde/{stage.round.id}"
    response = assert_list_page_is_flat(
        client, sql_statements, url, lambda n: bulk.products(stage.ikm, n)
    )
    text = page_text(response)
    assert "Ajukan produk ini" in text and "tidak menerima" in text  # eligible and not
    first = found(response, r"Produk \d{5}")
    second = found(client.get(f"{url}?page=2"), r"Produk \d{5}")
    assert len(first) == 24 and len(second) == 6 and set(first).isdisjoint(second)
    assert_pages_are_safe(client, url)


def test_products_already_submitted_say_so_on_the_submit_page(client, bulk, stage, curation):
    login(client, stage.owner)
    product = curation.catalog.product(stage.ikm, photos=1, name="Sepatu Terkirim")
    curation.submission(stage.round, stage.owner, product)
    bulk.products(stage.ikm, 3)
    text = page_text(client.get(f"/kurasi/ikm/{stage.ikm.id}/ronde/{stage.round.id}"))
    assert "Sepatu Terkirim Diajukan: Menunggu penilaian" in text


def test_the_ranking_asks_the_same_for_60_submissions_as_for_3(client, sql_statements, bulk, stage):
    login(client, stage.admin)

    def add(n):
        ids = bulk.submissions(stage.round, stage.ikm, n)
        bulk.assignments(stage.curator, ids, reviewed=n)

    url = f"/kurasi/ronde/{stage.round.id}"
    response = assert_list_page_is_flat(client, sql_statements, url, add, many=60)
    first = found(response, r"Kiriman \d{5}")
    second = found(client.get(f"{url}?page=2"), r"Kiriman \d{5}")
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    ranks = re.findall(r'<td class="rank">(\d+)</td>', client.get(f"{url}?page=2").text)
    assert ranks[0] == "51"  # ranks run on across pages
    assert_pages_are_safe(client, url)


def test_the_statistics_ask_the_same_for_60_submissions_as_for_3(
    client, sql_statements, bulk, stage
):
    login(client, stage.admin)

    def add(n):
        ids = bulk.submissions(stage.round, stage.ikm, n)
        bulk.assignments(stage.curator, ids, reviewed=n)

    url = f"/kurasi/ronde/{stage.round.id}/statistik"
    assert_list_page_is_flat(client, sql_statements, url, add, many=60)
