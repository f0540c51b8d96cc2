"""Notifications: a page at a time, in a number of queries that does not grow with their number."""

import re

from app.core.notifications import Notification
from app.extensions import db
from tests.conftest import assert_list_page_is_flat, assert_pages_are_safe, login, page_text


def test_notifications_ask_the_same_for_60_as_for_3(client, sql_statements, bulk, make):
    user = make.user()
    login(client, user)
    response = assert_list_page_is_flat(
        client, sql_statements, "/notifikasi", lambda n: bulk.notifications(user, n), many=60
    )
    first = re.findall(r"Kabar \d{5}", page_text(response))
    second = re.findall(r"Kabar \d{5}", page_text(client.get("/notifikasi?page=2")))
    assert len(first) == 50 and len(second) == 10 and set(first).isdisjoint(second)
    assert first == sorted(first, reverse=True)  # newest first
    assert_pages_are_safe(client, "/notifikasi")


def test_marking_all_as_read_marks_those_on_later_pages_too(app, client, bulk, make):
    user = make.user()
    login(client, user)
    bulk.notifications(user, 60)
    assert client.post("/notifikasi").status_code == 302
    with app.app_context():
        unread = db.session.scalar(
            db.select(db.func.count(Notification.id)).filter_by(user_id=user.id, read_at=None)
        )
    assert unread == 0
    assert 'class="unread"' not in client.get("/notifikasi?page=2").text
