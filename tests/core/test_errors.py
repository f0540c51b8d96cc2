import logging

import pytest
from flask import abort

from app import create_app
from tests.conftest import make_config, page_text

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
)


def test_missing_pages_get_a_friendly_404_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page_text(response)


def test_error_pages_follow_the_chosen_language(client):
    client.set_cookie("etalase_lang", "en")
    response = client.get("/tidak-ada")
    assert "Page not found" in page_text(response)
    assert 'lang="en"' in response.get_data(as_text=True)


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/akun/masuk", "/tidak-ada", "/healthz"):
        response = client.get(path)
        for header in SECURITY_HEADERS:
            assert header in response.headers, (path, header)
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


def test_pages_contain_no_inline_script_or_style(client):
    body = client.get("/akun/daftar").get_data(as_text=True)
    assert "<script>" not in body and " style=" not in body and "onclick" not in body


@pytest.fixture
def failing_app(database_url, tmp_path):
    app = create_app(make_config(database_url, tmp_path, TESTING=False))

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret detail")

    @app.route("/api/v1/missing")
    def api_missing():
        abort(404)

    return app


def test_a_crash_shows_an_incident_number_and_no_traceback(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="etalase"):
        response = failing_app.test_client().get("/boom")
    text = page_text(response)
    assert response.status_code == 500
    assert "secret detail" not in text and "Traceback" not in text
    assert "Nomor insiden" in text
    incident = text.split("Nomor insiden: ")[1].split()[0]
    assert any(incident in record.getMessage() for record in caplog.records)
    for header in SECURITY_HEADERS:
        assert header in response.headers


def test_json_routes_answer_json_errors(failing_app):
    client = failing_app.test_client()
    crash = client.get("/api/v1/boom")
    assert crash.status_code == 500 and crash.json["error"]["incident"]
    assert "secret" not in crash.get_data(as_text=True)
    missing = client.get("/api/v1/missing")
    assert missing.status_code == 404 and missing.json["error"]["status"] == 404


def test_state_changing_requests_without_a_csrf_token_are_refused(client):
    response = client.post(
        "/akun/masuk", data={"email": "a@example.com", "password": "x"}, csrf=False
    )
    assert response.status_code == 400
    assert "Muat ulang" in page_text(response) or "kedaluwarsa" in page_text(response)


def test_an_oversized_request_is_refused_with_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/akun/daftar", data={"full_name": "x" * 5000})
    assert response.status_code == 413
    assert "terlalu besar" in page_text(response)


@pytest.mark.parametrize("query", ["?page=-1", "?next=%00", "?lang=xx", "?" + "a=" + "x" * 5000])
def test_odd_query_strings_never_break_a_page(client, query):
    assert client.get("/" + query).status_code == 200
    assert client.get("/akun/masuk" + query).status_code == 200


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_too_large_for_the_database_is_a_404_on_every_page(app, client, make, number):
    """Every route with an id in its path, GET and POST, anonymous and as an administrator."""
    from app.core.urls import IdConverter

    rules = [
        r
        for r in app.url_map.iter_rules()
        if any(isinstance(c, IdConverter) for c in r._converters.values())
    ]
    assert len(rules) > 20  # the catalogue, organisations, curation, admin, API

    def path_of(rule):
        return "".join(str(number) if is_arg else part for is_arg, part in rule._trace)[1:]

    for as_admin in (False, True):
        if as_admin:
            from tests.conftest import login

            login(client, make.admin())
        for rule in rules:
            for method in {"GET", "POST"} & rule.methods:
                response = client.open(path_of(rule).split("|", 1)[-1], method=method)
                assert response.status_code in (302, 404), (rule.rule, method, as_admin)


@pytest.mark.parametrize("path", ["/api/v1/products", "/katalog"])
def test_a_method_not_allowed_names_the_allowed_methods(client, path):
    response = client.post(path, csrf=False)
    assert response.status_code == 405
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    if path.startswith("/api/"):
        assert response.json["error"]["status"] == 405
    else:
        assert "Tindakan ini tidak diizinkan" in page_text(response)


ODD_TEXT = ["%00", "x.jpg%00.png", "a%0Ab", "%C2%B2", "..%2F..%2Fetc%2Fpasswd", "%FF%FE"]


@pytest.mark.parametrize("value", ODD_TEXT)
def test_odd_text_in_a_path_is_a_404_or_a_redirect_never_a_500(app, client, make, value):
    """Every route with a text part in its path (a media key, a language, a token, an action),
    anonymous and as an administrator; on PostgreSQL a NUL reaching a query is a 500."""
    from werkzeug.routing import IntegerConverter

    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.arguments
        and r.endpoint != "static"
        and any(not isinstance(c, IntegerConverter) for c in r._converters.values())
    ]
    assert {r.endpoint for r in rules} >= {
        "core.media",
        "core.choose_language",
        "auth.confirm_email",
    }

    def path_of(rule):
        parts = []
        for is_arg, part in rule._trace:
            if is_arg:
                integer = isinstance(rule._converters[part], IntegerConverter)
                parts.append("1" if integer else value)
            else:
                parts.append(part)
        return "".join(parts).split("|", 1)[-1]

    for as_admin in (False, True):
        if as_admin:
            from tests.conftest import login

            login(client, make.admin())
        for rule in rules:
            for method in {"GET", "POST"} & rule.methods:
                response = client.open(path_of(rule), method=method)
                assert response.status_code in (302, 400, 404), (rule.rule, method, as_admin)


def test_odd_query_strings_never_break_the_pages_that_query_by_them(app, client, make):
    from tests.conftest import login

    owner, ikm = make.ikm_owner()
    odd = (
        "?q=%00&region=%00&sort=%00&page=%00&category=%00&partner=%C2%B2&min_price=1000000001"
        "&max_price=99999999999999999999&status=%00&arsip=%00&produk=%C2%B2&next=%00"
    )
    pages = ["/katalog", "/api/v1/products", "/"]
    assert all(client.get(page + odd).status_code in (200, 400) for page in pages)
    login(client, owner)
    for page in [f"/kelola/ikm/{ikm.id}/produk", f"/kelola/ikm/{ikm.id}/sertifikat/baru"]:
        assert client.get(page + odd).status_code == 200, page
        assert client.get(page + "?produk=99999999999").status_code == 200, page
    client.post("/akun/keluar")
    login(client, make.admin())
    for page in ["/admin/ikm", "/admin/sertifikat"]:
        assert client.get(page + odd).status_code == 200, page
