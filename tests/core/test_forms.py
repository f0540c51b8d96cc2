"""The rules every form keeps, whatever part of the site it belongs to.

Control characters: PostgreSQL refuses a NUL in a text column (a 500 there, and garbage in
SQLite), and none of them belongs in a name or a comment. The base classes ``Form`` and
``SubForm`` clean every text field, so these tests walk every form the app defines, then post
control characters to the text fields of the main forms and look at what was stored.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re

import pytest
from sqlalchemy import JSON, String, Text
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField

import app as app_package
from app.core.forms import Form, SubForm
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import PASSWORD

DIRTY = "a\x00b\x01c\x1bd\x7fe\x85f\tg\r\nh\ri\x0bj"
# What may remain: tabs and line breaks in text areas, nothing below 0x20 (or DEL, C1) else.
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_BUT_TAB_AND_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = set(), [Form, SubForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                todo.append(subclass)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def leaf_fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from leaf_fields(entry.form)
                else:
                    yield entry
        else:
            yield field


def is_text(field) -> bool:
    return isinstance(field, StringField) and not isinstance(field, PasswordField)


def test_every_form_of_the_app_is_found():
    names = {c.__name__ for c in every_form_class()}
    assert {"ProductForm", "TierForm", "IKMProfileForm", "RubricForm", "SearchForm"} <= names
    assert len(names) >= 25


@pytest.mark.parametrize("form_class", every_form_class(), ids=lambda c: c.__name__)
def test_every_text_field_of_every_form_drops_control_characters(app, form_class):
    with app.test_request_context(method="POST"):
        blank = form_class(formdata=MultiDict(), meta={"csrf": False})
        names = [f.name for f in leaf_fields(blank) if isinstance(f, StringField)]
        form = form_class(formdata=MultiDict({n: DIRTY for n in names}), meta={"csrf": False})
        for field in leaf_fields(form):
            if isinstance(field, PasswordField):
                assert field.data == DIRTY  # compared exactly as typed, never stored
            elif isinstance(field, TextAreaField):
                assert not CONTROL_BUT_TAB_AND_NEWLINE.search(field.data), field.name
                assert field.data.endswith("f\tg\nh\ni j"), field.name  # breaks as \n
            elif is_text(field) and field.data is not None:
                assert not ANY_CONTROL.search(field.data), field.name


# -- the main forms, end to end ----------------------------------------------------------------


def dirty(value: str) -> str:
    """Control characters around the value and inside it, as a paste or a script sends them."""
    return "\x00\x1b" + value.replace(" ", " \x00\x7f", 1) + "\x00\x08"


SECOND_LINE = "\nbaris\tkedua"  # what dirty_text adds, once cleaned and stripped


def dirty_text(value: str) -> str:
    return "\x00" + value + "\r\n\x00baris\tkedua\x1b\r\n"


def stored_control_characters() -> list[tuple[str, str, str]]:
    """Every text value in the database with a control character other than tab or newline."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for column in columns:
            for value in db.session.scalars(db.select(column).where(column.is_not(None))):
                text = value if isinstance(value, str) else repr(value)
                if CONTROL_BUT_TAB_AND_NEWLINE.search(text) or "\\x00" in text or "\\u0000" in text:
                    found.append((table.name, column.name, text))
    return found


def _register(app, client, make, curation):
    data = {
        "account_type": "ikm",
        "full_name": dirty("Sri Wahyuni"),
        "organisation_name": dirty("Batik Sekar Jagad"),
        "email": dirty("sri@example.com"),
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return "/akun/daftar", data, ("users", "full_name", "Sri Wahyuni")


def _product(app, client, make, curation):
    from tests.catalog.test_products import product_form

    owner, ikm = make.ikm_owner()
    login(client, owner)
    data = product_form(app)
    for name in ("name", "materials", "attributes-0-label", "attributes-0-value", "hs_code"):
        data[name] = dirty(data[name])
    data["description"] = dirty_text(data["description"])
    return (
        f"/kelola/ikm/{ikm.id}/produk/baru",
        data,
        ("products", "name", "Sepatu Pantofel Wanita Kulit Sapi"),
    )


def _certificate(app, client, make, curation):
    from tests.catalog import files

    owner, ikm = make.ikm_owner()
    login(client, owner)
    data = {
        "type": "other",
        "title": dirty("ISO 9001"),
        "number": dirty("QMS 2024 0012"),
        "issuer": dirty("Lembaga Sertifikasi"),
        "standard": dirty("ISO 9001:2015"),
        "issued_on": "",
        "valid_until": "",
        "document": (io.BytesIO(files.pdf()), "iso.pdf"),
    }
    return (
        f"/kelola/ikm/{ikm.id}/sertifikat/baru",
        data,
        ("certificates", "issuer", "Lembaga Sertifikasi"),
    )


def _profile(app, client, make, curation):
    from app.orgs.models import VerificationStatus
    from tests.orgs.test_ikm_profile import profile_form

    owner, ikm = make.ikm_owner(status=VerificationStatus.DRAFT)
    login(client, owner)
    data = profile_form()
    for name in ("name", "nib", "kbli_code", "address", "whatsapp", "email", "export_markets"):
        data[name] = dirty(data[name])
    data["story"] = dirty_text(data["story"])
    return (
        f"/organisasi/{ikm.id}/profil",
        data,
        ("organisations", "address", "Jl. Majapahit 12, Miji"),
    )


def _round(app, client, make, curation):
    from tests.curation.test_rounds import TITLE, round_form

    partner, admin, _ = curation.partner()
    login(client, admin)
    data = round_form(app)
    data["title"] = dirty(data["title"])
    data["description"] = dirty_text(data.get("description") or "Untuk toko oleh-oleh")
    return (
        f"/kurasi/mitra/{partner.id}/ronde/baru",
        data,
        ("rounds", "title", TITLE),
    )


def _scene(curation):
    partner, admin, curators = curation.partner()
    round = curation.round(partner, admin)
    owner, product = curation.product()
    submission = curation.submission(round, owner, product)
    return admin, curators, round, submission


def _rubric(app, client, make, curation):
    admin, _, round, _ = _scene(curation)
    login(client, admin)
    data = {
        "criteria-0-name": dirty("Kualitas jahitan"),
        "criteria-0-guidance": dirty_text("Rapi, kuat"),
        "criteria-0-weight": "2",
        "criteria-0-scale_max": "5",
        "criteria-0-counts": "y",
    }
    return (
        f"/kurasi/ronde/{round.id}/rubrik",
        data,
        ("rubric_criteria", "guidance", "Rapi, kuat" + SECOND_LINE),
    )


def _review(app, client, make, curation):
    from app.curation.models import Round

    admin, curators, round, submission = _scene(curation)
    curation.assign(submission, curators[0], admin)
    login(client, curators[0])
    with app.app_context():
        criteria = db.session.get(Round, round.id).rubric.criteria
        data = {f"score_{c.id}": "3" for c in criteria}
    data |= {
        "comment": dirty_text("Jahitan rapi"),
        "private_note": dirty_text("Harga tinggi"),
        "action": dirty("submit"),
    }
    return (
        f"/kurasi/pengajuan/{submission.id}/ulasan",
        data,
        ("reviews", "comment", "Jahitan rapi" + SECOND_LINE),
    )


def _decision(app, client, make, curation):
    admin, curators, _, submission = _scene(curation)
    for curator in curators[:2]:
        curation.assign(submission, curator, admin)
        curation.review(submission, curator)
    login(client, admin)
    data = {
        "decision": "accept",
        "reason": dirty_text("Produk bagus"),
        "conditions": dirty_text("Tambahkan berat bersih"),
    }
    return (
        f"/kurasi/pengajuan/{submission.id}/keputusan",
        data,
        ("submissions", "decision_reason", "Produk bagus" + SECOND_LINE),
    )


def _conflict(app, client, make, curation):
    admin, curators, _, submission = _scene(curation)
    curation.assign(submission, curators[0], admin)
    login(client, curators[0])
    data = {"reason": dirty_text("Kenal dekat pemiliknya")}
    saved = ("curator_conflicts", "reason", "Kenal dekat pemiliknya" + SECOND_LINE)
    return f"/kurasi/pengajuan/{submission.id}/konflik", data, saved


def _partner(app, client, make, curation):
    login(client, make.admin())
    data = {
        "name": dirty("The Keranjang Bali"),
        "partner_type": "retailer",
        "email": dirty("halo@keranjang.example"),
        "website": dirty("https://keranjang.example"),
        "province_code": "51",
        "regency_code": "51.03",
        "description": dirty_text("Pusat oleh-oleh"),
    }
    return "/admin/mitra/baru", data, ("organisations", "name", "The Keranjang Bali")


def _invitation(app, client, make, curation):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    data = {"email": dirty("rina@example.com"), "role": "staff", "next": dirty("/dasbor")}
    return f"/organisasi/{ikm.id}/undang", data, ("invitations", "email", "rina@example.com")


def _reject_ikm(app, client, make, curation):
    from app.orgs.models import VerificationStatus

    _, ikm = make.ikm_owner(status=VerificationStatus.PENDING)
    login(client, make.admin())
    data = {"reason": dirty_text("NIB tidak cocok")}
    return (
        f"/admin/ikm/{ikm.id}/tolak",
        data,
        ("organisations", "status_reason", "NIB tidak cocok" + SECOND_LINE),
    )


def _reject_certificate(app, client, make, curation):
    from tests.factories import CatalogFactory

    _, ikm = make.ikm_owner()
    certificate = CatalogFactory(app).certificate(ikm)
    login(client, make.admin())
    data = {"reason": dirty_text("Dokumen buram")}
    return (
        f"/admin/sertifikat/{certificate.id}/tolak",
        data,
        ("certificates", "status_reason", "Dokumen buram" + SECOND_LINE),
    )


def _login(app, client, make, curation):
    user = make.user(email="budi@example.com")
    return "/akun/masuk", {"email": dirty(user.email), "password": PASSWORD}, None


def _forgot_password(app, client, make, curation):
    make.user(email="budi@example.com")
    return "/akun/lupa-sandi", {"email": dirty("budi@example.com")}, None


SCENARIOS = [
    _register,
    _product,
    _certificate,
    _profile,
    _round,
    _rubric,
    _review,
    _decision,
    _conflict,
    _partner,
    _invitation,
    _reject_ikm,
    _reject_certificate,
    _login,
    _forgot_password,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.strip("_"))
def test_control_characters_in_the_main_forms_are_dropped_before_saving(
    app, client, make, curation, categories, scenario
):
    path, data, saved = scenario(app, client, make, curation)
    response = client.post(path, data=data)
    assert response.status_code in (200, 302)
    with app.app_context():
        assert stored_control_characters() == []
        if saved is not None:  # saved, cleaned, not refused
            assert response.status_code == 302
            table, column, value = saved
            stored = db.session.scalars(db.text(f"SELECT {column} FROM {table}")).all()
            assert value in stored


# -- numbers within what their columns hold -------------------------------------------------


def test_every_number_field_is_bounded_within_its_integer_column(app):
    from wtforms import IntegerField
    from wtforms.validators import NumberRange

    from app.core.forms import INTEGER_COLUMN_MAX, NumberField

    with app.test_request_context(method="POST"):
        for form_class in every_form_class():
            for field in leaf_fields(form_class(formdata=MultiDict(), meta={"csrf": False})):
                if not isinstance(field, IntegerField):
                    continue
                assert isinstance(field, NumberField), field.name  # refuses what no column holds
                for rule in (v for v in field.validators if isinstance(v, NumberRange)):
                    assert -INTEGER_COLUMN_MAX <= rule.min <= rule.max <= INTEGER_COLUMN_MAX


def _product_numbers(app, client, make, curation):
    from tests.catalog.test_products import product_form

    owner, ikm = make.ikm_owner()
    login(client, owner)
    return f"/kelola/ikm/{ikm.id}/produk/baru", product_form(app, shelf_life_days="")


def _profile_numbers(app, client, make, curation):
    from app.orgs.models import VerificationStatus
    from tests.orgs.test_ikm_profile import profile_form

    owner, ikm = make.ikm_owner(status=VerificationStatus.DRAFT)
    login(client, owner)
    return f"/organisasi/{ikm.id}/profil", profile_form()


def _certificate_numbers(app, client, make, curation):
    from tests.catalog import files

    owner, ikm = make.ikm_owner()
    login(client, owner)
    data = {
        "type": "hki",
        "number": "IDM000123456",
        "issuer": "DJKI",
        "document": (io.BytesIO(files.pdf()), "merek.pdf"),
    }
    return f"/kelola/ikm/{ikm.id}/sertifikat/baru", data


def _round_numbers(app, client, make, curation):
    from tests.curation.test_rounds import round_form

    partner, admin, _ = curation.partner()
    login(client, admin)
    return f"/kurasi/mitra/{partner.id}/ronde/baru", round_form(app)


def _rubric_numbers(app, client, make, curation):
    admin, _, round, _ = _scene(curation)
    login(client, admin)
    data = {
        "criteria-0-name": "Kualitas",
        "criteria-0-weight": "1",
        "criteria-0-scale_max": "5",
        "criteria-0-counts": "y",
    }
    return f"/kurasi/ronde/{round.id}/rubrik", data


NO_TIERS = {f"price_tiers-{i}-{name}": "" for i in (0, 1) for name in ("min_qty", "unit_price")}
NO_SECOND_TIER = {"price_tiers-1-min_qty": "", "price_tiers-1-unit_price": ""}

# (form, field, the largest value it takes, other fields it then needs, table of its column)
NUMBER_LIMITS = [
    (_product_numbers, "retail_price", 1_000_000_000, {}, "products"),
    (
        _product_numbers,
        "price_tiers-0-unit_price",
        1_000_000_000,
        {"retail_price": "1000000000", **NO_SECOND_TIER},
        "price_tiers",
    ),
    (_product_numbers, "price_tiers-0-min_qty", 100_000_000, NO_SECOND_TIER, "price_tiers"),
    (_product_numbers, "min_order_qty", 100_000_000, NO_TIERS, "products"),
    (_product_numbers, "capacity_monthly", 100_000_000, {}, "products"),
    (_product_numbers, "lead_time_days", 365, {}, "products"),
    (_product_numbers, "weight_grams", 1_000_000, {}, "products"),
    (_product_numbers, "length_cm", 1000, {}, "products"),
    (_product_numbers, "width_cm", 1000, {}, "products"),
    (_product_numbers, "height_cm", 1000, {}, "products"),
    (_product_numbers, "shelf_life_days", 3650, {}, "products"),
    (_profile_numbers, "workers", 100_000, {}, "organisations"),
    (_profile_numbers, "capacity_monthly", 100_000_000, {}, "organisations"),
    (_profile_numbers, "year_founded", None, {}, "organisations"),  # None: this year
    (_certificate_numbers, "nice_class", 45, {}, "certificates"),
    (_round_numbers, "curators_per_submission", 5, {}, "rounds"),
    (_round_numbers, "max_per_curator", 10_000, {}, "rounds"),
    (_round_numbers, "min_capacity", 100_000_000, {}, "rounds"),
    (_round_numbers, "pass_threshold", 100, {}, "rounds"),
    (_round_numbers, "quota", 100_000, {}, "rounds"),
    (_rubric_numbers, "criteria-0-weight", 100, {}, "rubric_criteria"),
]


@pytest.mark.parametrize(
    "form, name, limit, needs, table",
    NUMBER_LIMITS,
    ids=[f"{f.__name__.strip('_')}-{n}" for f, n, *_ in NUMBER_LIMITS],
)
def test_one_more_than_a_number_field_takes_is_explained_and_the_limit_is_saved(
    app, client, make, curation, categories, form, name, limit, needs, table
):
    from app.core import clock

    limit = limit or clock.today().year
    column = name.rsplit("-", 1)[-1]
    path, data = form(app, client, make, curation)

    def stored() -> list:
        with app.app_context():
            return db.session.scalars(db.text(f"SELECT {column} FROM {table}")).all()

    def post(value):
        sent = {**data, **needs, name: str(value)}
        if "document" in sent:  # a file is read once
            from tests.catalog import files

            sent["document"] = (io.BytesIO(files.pdf()), "merek.pdf")
        return client.post(path, data=sent)

    too_large = post(limit + 1)
    assert too_large.status_code == 200
    assert any(
        word in page_text(too_large) for word in ("harus antara", "maksimal", "tahun antara")
    ), name
    assert limit + 1 not in stored()
    saved = post(limit)
    assert saved.status_code == 302, page_text(saved)
    assert limit in stored()
