"""The programme figures: each table against a small world counted by hand, the filters, the
downloads, who may see them, bad input, and a statement count that does not grow."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.core import clock
from app.extensions import db
from tests.conftest import login, page_text
from tests.factories import CatalogFactory, CurationFactory, pirt_number


def _set(app, model, row_id, **values):
    with app.app_context():
        row = db.session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


@pytest.fixture
def world(app, make, categories, frozen_clock):
    """Hand-counted:

    - IKMs: shoes A (verified, Kota Mojokerto 35.76, 1000 pasang a month), shoes B (pending,
      35.76), food C (verified, Kabupaten Mojokerto 35.16, 500 pcs), food D (verified, 35.76,
      200 pcs), and one draft without a profile;
    - certificates: C halal and P-IRT verified; D halal only claimed, BPOM verified but expired;
    - curation (a retailer's round): A's two products, one accepted and one not (published), C's
      one accepted but not yet published; two reviews of A's first product, scoring every
      criterion 2 and 4 of 5 (one of two in the lower half); a submission made 400 days ago;
    - trade: an exporter partner asks for 2,000 pasang of women's shoes and accepts A's quote
      for 1,500 at Rp100,000; a retail buyer asks for 300 pcs of keripik and accepts C's quote
      at Rp10,000; D's quote on it is declined.
    """
    from app.catalog.models import Category, Certificate
    from app.curation.models import Submission
    from app.matching.models import BuyerRequest, Quote, Recipient
    from app.orgs.models import IKM, PartnerType

    today = clock.today()
    owner_a, a = make.ikm_owner(name="Sepatu A", sector="alas_kaki", regency_code="35.76")
    _, b = make.ikm_owner(status="pending", name="Sepatu B", regency_code="35.76")
    owner_c, c = make.ikm_owner(
        name="Keripik C",
        sector="makanan_minuman",
        regency_code="35.16",
        capacity_monthly=500,
        capacity_unit="pcs",
    )
    _, d = make.ikm_owner(
        name="Kue D",
        sector="makanan_minuman",
        regency_code="35.76",
        capacity_monthly=200,
        capacity_unit="pcs",
    )
    make.ikm(status="draft")
    catalog = CatalogFactory(app)
    catalog.certificate(c, "halal", number="ID35110000000000001", status="verified")
    catalog.certificate(c, "pirt", number=pirt_number(), status="verified")
    catalog.certificate(d, "halal", number="ID35110000000000002", status="claimed")
    expired = catalog.certificate(d, "bpom", number="MD 224510001234", status="verified")
    _set(app, Certificate, expired.id, valid_until=today - timedelta(days=1))

    curation = CurationFactory(app)
    partner, lead, (first, second) = curation.partner(curators=2)
    round_ = curation.round(partner, lead, title="Kurasi Uji", required_certificates={})
    _, shoe1 = curation.product(ikm=a, name="Pantofel A1")
    _, shoe2 = curation.product(ikm=a, name="Pantofel A2")
    _, chips = curation.product(ikm=c, category="keripik", name="Keripik tempe C")
    _, old = curation.product(ikm=a, name="Pantofel lama")
    s1 = curation.submission(round_, owner_a, shoe1)
    s2 = curation.submission(round_, owner_a, shoe2)
    s3 = curation.submission(round_, owner_c, chips)
    s4 = curation.submission(round_, owner_a, old)
    for curator, score in ((first, 2), (second, 4)):
        curation.assign(s1, curator, lead)
        curation.review(s1, curator, score=score)
    now = clock.now()
    _set(app, Submission, s1.id, state="accepted", published_at=now)
    _set(app, Submission, s2.id, state="rejected", published_at=now)
    _set(app, Submission, s3.id, state="accepted", published_at=None)
    _set(app, Submission, s4.id, submitted_at=now - timedelta(days=400))

    exporter = make.partner(name="Eksportir Sepatu", partner_type=PartnerType.EXPORTER)
    retailer, _ = make.buyer(company="Toko Oleh-oleh")
    with app.app_context():
        shoes = db.session.scalar(db.select(Category.id).filter_by(slug="sepatu-wanita"))
        keripik = db.session.scalar(db.select(Category.id).filter_by(slug="keripik"))

        def request(org, category, quantity, unit):
            found = BuyerRequest(
                buyer_org_id=org.id,
                title=f"Permintaan {quantity}",
                category_id=category,
                quantity=quantity,
                unit=unit,
                delivery_on=today + timedelta(days=60),
                state="open",
                opened_at=now,
            )
            db.session.add(found)
            db.session.flush()
            return found

        def quote(found, ikm, quantity, price, state):
            db.session.add(Recipient(request_id=found.id, ikm_id=ikm.id, sent_at=now))
            db.session.add(
                Quote(
                    request_id=found.id,
                    ikm_id=ikm.id,
                    state=state,
                    unit_price=price,
                    quantity=quantity,
                    delivery_on=found.delivery_on,
                    accepted_quantity=quantity if state == "accepted" else None,
                    decided_at=now,
                )
            )

        export = request(exporter, shoes, 2000, "pasang")
        quote(export, a, 1500, 100_000, "accepted")
        chips_request = request(retailer, keripik, 300, "pcs")
        quote(chips_request, c, 300, 10_000, "accepted")
        quote(chips_request, d, 300, 12_000, "declined")
        db.session.commit()
        assert db.session.get(IKM, b.id).status == "pending"
    return {"partner": partner, "lead": lead, "curator": first, "owner": owner_a}


def _tables(app, **args):
    from app.admin import figures, filters

    with app.test_request_context():
        chosen, problems = filters.parse(args)
        assert problems == []
        return {t.slug: t for t in figures.all_figures(chosen)}


def _rows(table, *keys):
    index = [[c.key for c in table.columns].index(k) for k in keys]
    return [tuple(row[i] for i in index) for row in table.rows]


def test_ikms_by_sector_region_and_state(app, world):
    tables = _tables(app)
    by_sector = dict(
        (row[0], row[1:])
        for row in _rows(tables["ikm-per-sektor"], "sector", "total", "verified", "pending")
    )
    assert by_sector["Alas kaki"] == (2, 1, 1)
    assert by_sector["Makanan dan minuman"] == (2, 2, 0)
    assert by_sector["(tidak diisi)"] == (1, 0, 0)  # the draft, without a profile
    by_region = {
        r[0]: r[1:] for r in _rows(tables["ikm-per-wilayah"], "region", "total", "verified")
    }
    assert by_region["Kota Mojokerto"] == (3, 2)
    assert by_region["Kabupaten Mojokerto"] == (1, 1)


def test_certification_coverage_of_food_ikms(app, world):
    coverage = dict(
        (row[0], row[1:])
        for row in _rows(_tables(app)["cakupan-sertifikat"], "certificate", "ikms", "share")
    )
    assert coverage["Halal (BPJPH)"] == (1, 0.5)  # C; D's is only claimed
    assert coverage["BPOM"] == (0, 0.0)  # D's has expired
    assert coverage["P-IRT atau BPOM"] == (1, 0.5)
    assert coverage["Halal dan (P-IRT atau BPOM)"] == (1, 0.5)


def test_curation_by_round_and_the_criteria_where_ikms_fall_short(app, world):
    tables = _tables(app)
    (row,) = _rows(
        tables["kurasi-per-ronde"], "round", "submitted", "accepted", "rejected", "pass_rate"
    )
    # Three submissions in the period (not the one of 400 days ago); C's acceptance is not
    # published, so one of two published decisions passed.
    assert row == ("Kurasi Uji", 3, 1, 1, 0.5)
    criteria = _rows(tables["kriteria-kurang"], "scored", "short", "short_share", "mean")
    assert criteria and all(r == (2, 1, 0.5, 0.5) for r in criteria)


def test_trade_by_month_capacity_and_exports(app, world):
    tables = _tables(app)
    month = f"{clock.today():%Y-%m}"
    months = {
        r[0]: r[1:]
        for r in _rows(
            tables["permintaan-per-bulan"],
            "month",
            "requests",
            "quotes",
            "accepted",
            "accepted_value",
        )
    }
    assert months[month] == (2, 3, 2, 1500 * 100_000 + 300 * 10_000)
    assert len(months) == 12 or len(months) == 13  # every month of the period, even empty ones
    capacity = {
        (r[0], r[1]): r[2:]
        for r in _rows(
            tables["kapasitas-permintaan"], "sector", "unit", "ikms", "capacity", "demand"
        )
    }
    assert capacity[("Alas kaki", "pasang")] == (1, 1000, 2000)  # B is not verified
    assert capacity[("Makanan dan minuman", "pcs")] == (2, 700, 300)
    exports = _rows(tables["ekspor-per-asal"], "region", "sector", "orders", "value")
    assert exports == [("Kota Mojokerto", "Alas kaki", 1, 150_000_000)]  # not the retailer's


def test_filters_by_sector_region_and_period(app, world):
    food = _tables(app, sektor="makanan_minuman")
    assert [r[0] for r in food["ikm-per-sektor"].rows] == ["Makanan dan minuman"]
    assert _rows(food["kurasi-per-ronde"], "submitted") == [(1,)]
    assert food["ekspor-per-asal"].rows == ()
    town = _tables(app, wilayah="35.76")
    assert _rows(town["ikm-per-wilayah"], "region", "total") == [("Kota Mojokerto", 3)]
    # Kota Mojokerto's food IKM is D, whose certificates do not count.
    assert _rows(town["cakupan-sertifikat"], "ikms")[0] == (0,)
    footwear = _tables(app, wilayah="35.76", sektor="alas_kaki")
    assert _rows(footwear["kurasi-per-ronde"], "submitted", "accepted") == [(2, 1)]
    month = f"{clock.today():%Y-%m}"
    trade = {
        r[0]: r[1:]
        for r in _rows(footwear["permintaan-per-bulan"], "month", "requests", "accepted")
    }
    assert trade[month] == (1, 1)
    earlier = clock.today() - timedelta(days=60)
    past = _tables(app, dari=(earlier - timedelta(days=30)).isoformat(), sampai=earlier.isoformat())
    assert past["kurasi-per-ronde"].rows == ()
    assert sum(r[1] for r in past["permintaan-per-bulan"].rows) == 0
    # Stock figures stand whatever the period.
    assert past["ikm-per-sektor"].rows == _tables(app)["ikm-per-sektor"].rows


@pytest.mark.parametrize(
    "query",
    [
        "dari=2026-13-01",
        "sampai=kemarin",
        "dari=2026-05-01&sampai=2026-04-01",
        "sektor=sepatu",
        "wilayah=99.99",
        "dari=1900-01-01",
        "dari=2000-01-01&sampai=2030-01-01",
    ],
)
def test_bad_filters_say_so_and_show_no_figures(app, client, world, query):
    login(client, make_admin(app))
    response = client.get(f"/admin/angka?{query}")
    assert response.status_code == 400
    text = page_text(response)
    assert "Filter ini tidak dapat dipakai" in text
    assert "IKM menurut sektor" not in text
    assert client.get(f"/admin/angka/angka.xlsx?{query}").status_code == 400


def make_admin(app):
    from tests.factories import Factory

    return Factory(app).admin()


def test_the_office_sees_the_page_with_charts_and_downloads(app, client, world):
    login(client, make_admin(app))
    response = client.get("/admin/angka?wilayah=35.76&sektor=alas_kaki")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<svg") >= 5
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    text = page_text(response)
    assert "Kurasi Uji" in text and "Kota Mojokerto" in text
    csv_response = client.get("/admin/angka/kurasi-per-ronde.csv?wilayah=35.76&sektor=alas_kaki")
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1:4] == ["Kurasi Uji", "2", "1"]
    assert client.get("/admin/angka/tidak-ada.csv").status_code == 404
    xlsx = client.get("/admin/angka/angka.xlsx?wilayah=35.76")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_pdf_report_or_what_to_install(app, client, world):
    login(client, make_admin(app))
    response = client.get("/admin/angka/laporan.pdf?sektor=alas_kaki")
    if response.status_code == 503:  # a machine without Pango: the page says what to install
        assert "libpango" in page_text(response)
    else:
        assert response.status_code == 200 and response.data[:4] == b"%PDF"


def test_only_the_office_sees_programme_figures(app, client, world, make):
    for user in (world["lead"], world["curator"], world["owner"]):
        login(client, user)
        assert client.get("/admin/angka").status_code == 404
        assert client.get("/admin/angka/angka.xlsx").status_code == 404
        client.post("/akun/keluar")
    assert client.get("/admin/angka").status_code in (302, 404)


def test_a_partner_admin_sees_its_own_partner_s_figures_only(app, client, world, make):
    partner = world["partner"]
    login(client, world["lead"])
    response = client.get(f"/kurasi/mitra/{partner.id}/angka")
    assert response.status_code == 200
    assert "Kurasi Uji" in page_text(response)
    assert client.get(f"/kurasi/mitra/{partner.id}/angka/kurasi-per-ronde.csv").status_code == 200
    other = make.partner(name="Mitra Lain")
    assert client.get(f"/kurasi/mitra/{other.id}/angka").status_code == 404
    client.post("/akun/keluar")
    login(client, world["curator"])  # a curator of the same partner is not its admin
    assert client.get(f"/kurasi/mitra/{partner.id}/angka").status_code == 404
    assert client.get(f"/kurasi/mitra/{partner.id}/angka?dari=x").status_code == 404


def test_the_page_s_statements_do_not_grow_with_the_data(app, client, world, make, sql_statements):
    from tests.conftest import assert_list_page_is_flat

    login(client, make_admin(app))

    def add(n):
        for i in range(n):
            make.ikm_owner(name=f"Tambahan {i}", sector="batik", regency_code="35.15")

    assert_list_page_is_flat(client, sql_statements, "/admin/angka", add, few=1, many=4)


def test_figures_are_kept_for_their_cache_time(app, world, make):
    from app.admin import figures, filters

    app.config["FIGURES_CACHE_SECONDS"] = 60
    with app.test_request_context():
        chosen, _ = filters.parse({"sektor": "batik"})
        before = figures.all_figures(chosen)
    make.ikm_owner(name="Batik Baru", sector="batik")
    with app.test_request_context():
        assert figures.all_figures(chosen) is before
    app.config["FIGURES_CACHE_SECONDS"] = 0
    with app.test_request_context():
        assert figures.all_figures(chosen)[0].rows != before[0].rows
