"""HTTP caching: only anonymous, cookie-free, flash-free answers of public pages may be shared."""

import pytest

from tests.conftest import login
from tests.factories import ListingFactory

PUBLIC = "public, max-age=60"


def directives(response) -> set[str]:
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",") if d.strip()}


def assert_private(response, what):
    assert {"private", "no-store"} <= directives(response), (what, response.headers)
    assert "public" not in directives(response), what


@pytest.fixture
def product(app, categories):
    return ListingFactory(app).listed(name="Sepatu Pantofel Kulit")


def test_an_anonymous_catalogue_page_is_public_and_answers_304(client, product):
    response = client.get("/katalog?q=sepatu")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC
    assert response.headers["ETag"] and "Set-Cookie" not in response.headers
    assert {"cookie", "accept-language"} <= {v.lower() for v in response.vary}
    again = client.get("/katalog?q=sepatu", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == PUBLIC


def test_the_same_pages_logged_in_are_private(client, make, product):
    login(client, make.user())
    for path in ("/", "/katalog?q=sepatu", f"/produk/{product.id}", "/api/v1/products"):
        response = client.get(path)
        assert_private(response, path)
        assert "ETag" not in response.headers, path


def test_the_home_page_after_logout_shows_its_message_privately(client, make):
    login(client, make.user())
    response = client.post("/akun/keluar", follow_redirects=True)
    assert "Anda telah keluar" in response.get_data(as_text=True)
    assert_private(response, "home page with the logout message")


def test_a_message_waiting_for_an_anonymous_visitor_keeps_the_page_private(client):
    login_page = client.get("/dasbor", follow_redirects=True)  # "Please log in to see this page."
    assert "Silakan masuk" in login_page.get_data(as_text=True)
    assert_private(login_page, "login page with a message")


def test_an_answer_that_sets_the_language_cookie_is_private(client):
    response = client.get("/bahasa/en?next=/katalog")
    assert "etalase_lang=en" in response.headers["Set-Cookie"]
    assert_private(response, "language switch")
    # the chosen language is a cookie that every cache keys on (Vary): still public
    assert client.get("/katalog").headers["Cache-Control"] == PUBLIC


def test_an_anonymous_visitor_with_a_session_gets_private_pages(client, product):
    client.get("/akun/masuk")  # the login form puts a CSRF token in the session
    response = client.get("/katalog")
    assert_private(response, "catalogue with a session")


def test_images_and_static_files_keep_their_long_cache(app, client, make):
    login(client, make.user())
    with client.get("/static/css/etalase.css") as response:
        assert response.status_code == 200
        assert "no-store" not in directives(response)
        assert "max-age=31536000" in directives(response)


def _plain_get_routes(app):
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    )


@pytest.mark.parametrize("who", ["admin", "ikm_owner", "anonymous"])
def test_no_answer_of_any_route_is_shared_when_it_is_personal(app, client, make, who, request):
    """Every GET route without arguments: logged in, no answer may be stored anywhere; anonymous,
    an answer is either public (and then sets no cookie) or private."""
    routes = _plain_get_routes(app)
    assert len(routes) > 15
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    for path in routes:
        response = client.get(path)
        if who != "anonymous" or directives(response) != {"public", "max-age=60"}:
            assert_private(response, (who, path, response.status_code))
        else:
            assert "Set-Cookie" not in response.headers, path
