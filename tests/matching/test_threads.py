"""Enquiry threads: a buyer asks an IKM about a product or a request, the IKM replies; unread
counts, notifications after the response, who may see what, and bad input."""

from __future__ import annotations

import pytest

from app.core import clock
from app.core.notifications import Notification
from app.extensions import db
from app.matching.models import EnquiryThread, Recipient, ThreadMessage
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text
from tests.factories import ListingFactory


@pytest.fixture
def listed(app, make, categories):
    """A listed pair of shoes, its IKM and the IKM's owner."""
    owner, ikm = make.ikm_owner(name="Sepatu Kota Mojokerto")
    product = ListingFactory(app).listed(ikm=ikm, name="Pantofel kulit hitam")
    return owner, ikm, product


@pytest.fixture
def buyer_org(make):
    return make.buyer(company="PT Ramayana Lestari (demo)")


def _threads(app):
    with app.app_context():
        return db.session.scalars(db.select(EnquiryThread)).all()


def _messages(app):
    with app.app_context():
        return db.session.scalars(db.select(ThreadMessage).order_by(ThreadMessage.id)).all()


def _ask(client, product, body="Apakah tersedia ukuran 42?"):
    return client.post(f"/permintaan/pesan/produk/{product.id}", data={"body": body})


def test_a_buyer_asks_about_a_product_and_the_ikm_replies(
    app, client, listed, buyer_org, outbox, frozen_clock
):
    owner, ikm, product = listed
    buyer = buyer_org[1]
    assert "Masuk sebagai pembeli untuk bertanya" in page_text(client.get(f"/produk/{product.id}"))
    login(client, buyer)
    page = page_text(client.get(f"/produk/{product.id}"))
    assert "Tanya IKM ini" in page
    assert "Tanya Sepatu Kota Mojokerto" in page_text(
        client.get(f"/permintaan/pesan/produk/{product.id}")
    )
    response = _ask(client, product)
    (thread,) = _threads(app)
    assert response.headers["Location"].endswith(f"/permintaan/pesan/{thread.id}")
    assert "Apakah tersedia ukuran 42?" in page_text(client.get(f"/permintaan/pesan/{thread.id}"))
    # A second visit opens the same thread instead of a new one.
    again = client.get(f"/permintaan/pesan/produk/{product.id}")
    assert f"/permintaan/pesan/{thread.id}" in again.headers["Location"]
    client.post("/akun/keluar")

    assert [m["To"] for m in outbox] == [owner.email]
    assert (
        "Pesan baru dari PT Ramayana Lestari (demo): Pantofel kulit hitam" in outbox[0]["Subject"]
    )
    assert "Apakah tersedia ukuran 42?" in outbox[0].get_content()
    login(client, owner)
    home = page_text(client.get("/dasbor"))
    assert "Pesan (1)" in home and "1 pesan belum dibaca" in home
    inbox = page_text(client.get(f"/permintaan/peluang/{ikm.id}/pesan"))
    assert "Pantofel kulit hitam" in inbox and "1 belum dibaca" in inbox
    client.get(f"/permintaan/pesan/{thread.id}")  # read
    home = page_text(client.get("/dasbor"))
    assert "Pesan (1)" not in home and "belum dibaca" not in home
    reply = client.post(f"/permintaan/pesan/{thread.id}", data={"body": "Ada, sampai 43."})
    assert reply.status_code == 302
    client.post("/akun/keluar")

    login(client, buyer)
    assert "Pesan (1)" in page_text(client.get("/dasbor"))
    assert "1 belum dibaca" in page_text(client.get("/permintaan/pesan"))
    page = page_text(client.get(f"/permintaan/pesan/{thread.id}"))
    assert "Ada, sampai 43." in page and "Sepatu Kota Mojokerto" in page
    assert [m.body for m in _messages(app)] == ["Apakah tersedia ukuran 42?", "Ada, sampai 43."]
    assert all(m.created_at == frozen_clock.current for m in _messages(app))


def test_a_buyer_writes_to_each_ikm_a_request_was_sent_to(
    app, client, buyer_org, matching, make, frozen_clock
):
    org, buyer = buyer_org
    found = matching.request(org, buyer, state="open")
    owner, sent_to = make.ikm_owner(name="Sepatu Sooko")
    not_sent = make.ikm_owner()[1]
    with app.app_context():
        db.session.add(Recipient(request_id=found.id, ikm_id=sent_to.id, sent_at=clock.now()))
        db.session.commit()
    login(client, buyer)
    start = f"/permintaan/{found.id}/pesan/{sent_to.id}"
    assert start in client.get(f"/permintaan/{found.id}").get_data(as_text=True)
    assert start in client.get(f"/permintaan/{found.id}/penawaran").get_data(as_text=True)
    assert client.get(f"/permintaan/{found.id}/pesan/{not_sent.id}").status_code == 404
    response = client.post(start, data={"body": "Bisakah kirim contoh dulu?"})
    (thread,) = _threads(app)
    assert thread.request_id == found.id and response.status_code == 302
    assert client.get(start).headers["Location"].endswith(f"/permintaan/pesan/{thread.id}#balas")
    client.post("/akun/keluar")
    login(client, owner)
    opportunity = client.get(f"/permintaan/peluang/{sent_to.id}/{found.id}")
    assert f"/permintaan/pesan/{thread.id}" in opportunity.get_data(as_text=True)
    assert "Bisakah kirim contoh dulu?" in page_text(client.get(f"/permintaan/pesan/{thread.id}"))


@pytest.fixture
def thread(app, client, listed, buyer_org):
    """The buyer's question about the listed product."""
    login(client, buyer_org[1])
    _ask(client, listed[2])
    client.post("/akun/keluar")
    (found,) = _threads(app)
    return found


def test_only_the_two_sides_and_administrators_see_a_thread(
    app, client, thread, make, listed, admin
):
    url = f"/permintaan/pesan/{thread.id}"
    other_buyer = make.buyer(company="PT Lain")[1]
    other_owner = make.ikm_owner()[0]
    staff = make.member(listed[1], "staff")
    for someone in (other_buyer, other_owner):
        login(client, someone)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"body": "Saya juga mau."}).status_code == 404
        assert "Apakah tersedia" not in page_text(client.get("/permintaan/pesan"))
        client.post("/akun/keluar")
    login(client, other_owner)
    assert client.get(f"/permintaan/peluang/{listed[1].id}/pesan").status_code == 404
    client.post("/akun/keluar")
    login(client, staff)  # the IKM's staff are its members too
    assert client.get(url).status_code == 200
    client.post("/akun/keluar")
    login(client, admin)
    page = page_text(client.get(url))
    assert "Apakah tersedia ukuran 42?" in page and "hanya pembeli dan IKM" in page
    assert client.post(url, data={"body": "Dari dinas."}).status_code == 404
    client.post("/akun/keluar")
    assert len(_messages(app)) == 1
    assert "/akun/masuk" in client.get(url).headers["Location"]
    assert "/akun/masuk" in client.get("/permintaan/pesan").headers["Location"]


def test_an_ikm_cannot_start_a_thread_as_a_buyer(app, client, listed, make):
    other_owner, _ = make.ikm_owner()
    login(client, other_owner)
    assert "Tanya IKM ini" not in page_text(client.get(f"/produk/{listed[2].id}"))
    assert _ask(client, listed[2]).status_code == 404
    assert _threads(app) == []


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Tulis pesan terlebih dahulu."),
        ("   \n  ", "Tulis pesan terlebih dahulu."),
        ("x" * 4001, "Pesan terlalu panjang: paling banyak 4000 karakter."),
    ],
)
def test_an_empty_or_too_long_message_is_refused(app, client, thread, listed, body, message):
    login(client, listed[0])
    response = client.post(f"/permintaan/pesan/{thread.id}", data={"body": body})
    assert response.status_code == 200 and message in page_text(response)
    client.post("/akun/keluar")
    assert len(_messages(app)) == 1


def test_a_message_of_the_longest_length_is_kept(app, client, thread, listed):
    login(client, listed[0])
    assert (
        client.post(f"/permintaan/pesan/{thread.id}", data={"body": "y" * 4000}).status_code == 302
    )
    assert len(_messages(app)[-1].body) == 4000


def test_a_product_that_is_not_listed_cannot_be_asked_about(
    app, client, buyer_org, catalog, make, categories
):
    ikm = make.ikm_owner()[1]
    draft = catalog.product(ikm, name="Belum dikurasi")
    login(client, buyer_org[1])
    for product_id in (draft.id, 987654):
        response = client.post(
            f"/permintaan/pesan/produk/{product_id}", data={"body": "Halo"}, follow_redirects=True
        )
        assert response.status_code == 200
        assert "Produk ini tidak ada di katalog." in page_text(response)
    assert _threads(app) == [] and _messages(app) == []


def test_a_first_message_too_long_saves_no_thread(app, client, listed, buyer_org):
    login(client, buyer_org[1])
    response = _ask(client, listed[2], body="z" * 5000)
    assert response.status_code == 200
    assert "paling banyak 4000 karakter" in page_text(response)
    assert _threads(app) == []


def test_markup_in_a_message_is_shown_as_text(app, client, thread, listed, outbox):
    login(client, listed[0])
    client.post(f"/permintaan/pesan/{thread.id}", data={"body": "<script>alert(1)</script>"})
    body = client.get(f"/permintaan/pesan/{thread.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_the_other_side_is_told_after_the_response(app, client, thread, listed, buyer_org, outbox):
    outbox.clear()
    login(client, listed[0])
    response = client.post(
        f"/permintaan/pesan/{thread.id}", data={"body": "Ada, sampai 43."}, buffered=False
    )
    assert response.status_code == 302
    assert outbox == []  # nothing was sent in the request's own time
    with app.app_context():  # the note in the site was committed with the message
        texts = db.session.scalars(
            db.select(Notification.text).filter_by(user_id=buyer_org[1].id)
        ).all()
    assert texts == ["Pesan baru dari Sepatu Kota Mojokerto: Pantofel kulit hitam"]
    response.get_data()
    response.close()
    assert [m["To"] for m in outbox] == [buyer_org[1].email]
    assert "Ada, sampai 43." in outbox[0].get_content()


def test_the_inboxes_and_a_thread_ask_the_database_as_often_for_many_rows(
    app, client, listed, buyer_org, make, bulk, sql_statements
):
    owner, ikm, product = listed
    org, buyer = buyer_org

    def add_threads(n):
        buyers = [make.buyer() for _ in range(n)]
        with app.app_context():
            for other, _user in buyers:
                thread = EnquiryThread(
                    buyer_org_id=other.id,
                    ikm_id=ikm.id,
                    subject="",
                    created_at=clock.now(),
                    last_message_at=clock.now(),
                )
                db.session.add(thread)
                db.session.flush()
                for who in (other.id, ikm.id, other.id):
                    db.session.add(
                        ThreadMessage(
                            thread_id=thread.id,
                            sender_org_id=who,
                            author_id=_user.id,
                            body="Halo",
                            created_at=clock.now(),
                        )
                    )
            db.session.commit()

    login(client, owner)
    url = f"/permintaan/peluang/{ikm.id}/pesan"
    response = assert_list_page_is_flat(client, sql_statements, url, add_threads)
    assert "2 belum dibaca" in page_text(response)
    assert_pages_are_safe(client, url)
    client.post("/akun/keluar")

    login(client, buyer)
    client.post(f"/permintaan/pesan/produk/{product.id}", data={"body": "Pertama"})
    (thread,) = [t for t in _threads(app) if t.buyer_org_id == org.id]

    def add_messages(n):
        with app.app_context():
            for i in range(n):
                db.session.add(
                    ThreadMessage(
                        thread_id=thread.id,
                        sender_org_id=ikm.id if i % 2 else org.id,
                        author_id=owner.id if i % 2 else buyer.id,
                        body=f"Pesan {i}",
                        created_at=clock.now(),
                    )
                )
            db.session.commit()

    assert_list_page_is_flat(
        client, sql_statements, f"/permintaan/pesan/{thread.id}?page=1", add_messages
    )

    def add_buyer_threads(n):
        with app.app_context():
            for ikm_id in bulk.ikms(n, status="verified"):
                added = EnquiryThread(
                    buyer_org_id=org.id,
                    ikm_id=ikm_id,
                    subject="",
                    created_at=clock.now(),
                    last_message_at=clock.now(),
                )
                db.session.add(added)
                db.session.flush()
                db.session.add(
                    ThreadMessage(
                        thread_id=added.id,
                        sender_org_id=ikm_id,
                        author_id=owner.id,
                        body="Halo",
                        created_at=clock.now(),
                    )
                )
            db.session.commit()

    response = assert_list_page_is_flat(
        client, sql_statements, "/permintaan/pesan", add_buyer_threads
    )
    assert page_text(response).count("1 belum dibaca") >= 30
    assert_pages_are_safe(client, f"/permintaan/pesan/{thread.id}")


def test_a_partner_that_orders_may_ask_too(app, client, listed, make):
    from app.orgs.models import MemberRole

    partner_admin, partner = make.partner_with(MemberRole.PARTNER_ADMIN)
    login(client, partner_admin)
    assert _ask(client, listed[2]).status_code == 302
    (thread,) = _threads(app)
    assert thread.buyer_org_id == partner.id


def test_the_demo_has_threads_with_unread_messages_on_both_sides(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        subjects = {t.buyer.name: t for t in db.session.scalars(db.select(EnquiryThread))}
    assert subjects["CV Jati Ekspor Nusantara"].ikm.name == "Kuningan Cor Bejijong"
    assert subjects["CV Jati Ekspor Nusantara"].request_id is not None
    assert subjects["Ramayana"].product_id is not None
    for login_name in ("eksportir", "sumberrejeki"):
        demo_user = type("U", (), {"email": f"{login_name}@etalase.example"})
        login(client, demo_user, password="etalase-demo-2026")
        assert "Pesan (1)" in page_text(client.get("/dasbor")), login_name
        client.post("/akun/keluar")
    # A second seed-demo adds no thread nor message: tests/core/test_cli.py counts them.


def test_the_unread_count_in_the_navigation_is_one_query(
    app, client, thread, listed, sql_statements
):
    login(client, listed[0])
    response, statements = sql_statements(client.get, "/dasbor")
    assert "Pesan (1)" in page_text(response)
    assert len([s for s in statements if "thread_messages" in s]) == 1


def test_someone_in_two_buying_organisations_chooses_which_one_asks(
    app, client, listed, buyer_org, make
):
    from app.orgs.models import MemberRole

    buyer = buyer_org[1]
    _, partner = make.partner_with(MemberRole.PARTNER_ADMIN)
    make.member(partner, MemberRole.CURATOR, user=buyer)
    login(client, buyer)
    url = f"/permintaan/pesan/produk/{listed[2].id}"
    assert "Atas nama" in page_text(client.get(url))
    refused = client.post(url, data={"body": "Halo", "organisation_id": "987654"})
    assert refused.status_code == 200 and _threads(app) == []
    client.post(url, data={"body": "Halo", "organisation_id": str(partner.id)})
    (thread,) = _threads(app)
    assert thread.buyer_org_id == partner.id
