import re
from datetime import timedelta

import pytest

from app.catalog.models import Category
from app.core import clock
from app.curation.models import Round
from app.extensions import db
from tests.conftest import login, page_text

TITLE = f"Kemitraan Produksi Sepatu {clock.today().year}"


def days_from_today(days: int) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


def round_form(app, **overrides):
    today = clock.today()
    with app.app_context():
        from app.curation import rounds
        from app.curation.models import Rubric

        rounds.seed_rubric_templates()
        db.session.commit()
        sectors = {
            c.slug: c.id
            for c in db.session.scalars(db.select(Category).where(Category.parent_id.is_(None)))
        }
        rubric = db.session.scalar(db.select(Rubric.id).filter_by(slug="export-manufacturing"))
    data = {
        "title": TITLE,
        "description": "Sepatu wanita untuk ekspor.",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=14)).isoformat(),
        "review_due_on": (today + timedelta(days=28)).isoformat(),
        "category_ids": [str(sectors["alas-kaki"]), str(sectors["makanan"])],
        "requirements": ["alas-kaki:sni", "makanan:halal", "makanan:pirt|bpom"],
        "curators_per_submission": "2",
        "min_capacity": "50",
        "min_capacity_unit": "kodi",
        "is_blind": "y",
        "feedback_visibility": "comments",
        "pass_threshold": "75",
        "quota": "20",
        "rubric_source": str(rubric),
    }
    data.update(overrides)
    return data


def test_partner_admin_creates_a_round_from_a_template(app, client, curation):
    partner, admin, _ = curation.partner()
    login(client, admin)
    response = client.post(f"/kurasi/mitra/{partner.id}/ronde/baru", data=round_form(app))
    assert response.status_code == 302 and "/rubrik" in response.headers["Location"]
    with app.app_context():
        round = db.session.scalar(db.select(Round))
        assert round.partner_id == partner.id and round.is_blind and round.pass_threshold == 75
        assert round.required_certificates == {
            "alas-kaki": [["sni"]],
            "makanan": [["halal"], ["pirt", "bpom"]],
        }
        assert [c.name for c in round.rubric.criteria][:3] == [
            "Kualitas",
            "Kuantitas",
            "Ketepatan waktu pengiriman",
        ]
        assert not round.rubric.is_template  # a copy: editing it leaves the template alone
        assert (round.min_capacity, round.min_capacity_unit) == (50, "kodi")
    assert TITLE in page_text(client.get(f"/kurasi/mitra/{partner.id}"))


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": " "}, "wajib diisi"),
        ({"closes_on": days_from_today(-1)}, "harus setelah tanggal buka"),
        ({"review_due_on": days_from_today(7)}, "setelah pengajuan ditutup"),
        ({"category_ids": []}, "minimal satu kategori"),
        ({"pass_threshold": "150"}, "antara 0"),
        ({"curators_per_submission": "0"}, "antara 1"),
        ({"opens_on": "besok"}, "tanggal tidak valid"),
        ({"requirements": ["alas-kaki:emas"]}, "bukan pilihan yang valid"),
    ],
)
def test_bad_round_input_is_explained(app, client, curation, overrides, message):
    partner, admin, _ = curation.partner()
    login(client, admin)
    response = client.post(
        f"/kurasi/mitra/{partner.id}/ronde/baru", data=round_form(app, **overrides)
    )
    assert response.status_code == 200 and message in page_text(response).lower(), page_text(
        response
    )[-600:]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Round.id))) == 0


def test_the_rubric_is_edited_until_scoring_starts(app, client, scene, curation):
    login(client, scene.admin)
    path = f"/kurasi/ronde/{scene.round.id}/rubrik"
    assert 'value="Kualitas produk"' in client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={
            "criteria-0-name": "Kualitas",
            "criteria-0-guidance": "Jahitan",
            "criteria-0-weight": "3",
            "criteria-0-scale_max": "5",
            "criteria-0-counts": "y",
            "criteria-1-name": "Cerita",
            "criteria-1-guidance": "",
            "criteria-1-weight": "1",
            "criteria-1-scale_max": "10",
            "criteria-1-counts": "",
            "criteria-2-name": "",
            "criteria-2-weight": "",
            "criteria-2-scale_max": "5",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        criteria = db.session.get(Round, scene.round.id).rubric.criteria
        assert [(c.name, c.weight, c.scale_max, c.counts) for c in criteria] == [
            ("Kualitas", 3, 5, True),
            ("Cerita", 1, 10, False),
        ]
    curation.assign(scene.submission, scene.curators[0], scene.admin)
    curation.review(scene.submission, scene.curators[0], submit=False)
    assert "sudah mulai" in page_text(client.get(path)).lower()
    client.post(
        path,
        data={
            "criteria-0-name": "Lain",
            "criteria-0-weight": "1",
            "criteria-0-scale_max": "5",
            "criteria-0-counts": "y",
        },
    )
    with app.app_context():
        assert [c.name for c in db.session.get(Round, scene.round.id).rubric.criteria] == [
            "Kualitas",
            "Cerita",
        ]


def test_a_rubric_needs_a_criterion_that_counts(app, client, scene):
    login(client, scene.admin)
    response = client.post(
        f"/kurasi/ronde/{scene.round.id}/rubrik",
        data={
            "criteria-0-name": "Info",
            "criteria-0-weight": "1",
            "criteria-0-scale_max": "5",
            "criteria-0-counts": "",
        },
        follow_redirects=True,
    )
    assert "minimal satu kriteria" in page_text(response).lower()


def test_rounds_are_the_partners_own(app, client, scene, curation, make):
    _other_partner, other_admin, _ = curation.partner(curators=1)
    owner, _ = make.ikm_owner()
    paths = [
        f"/kurasi/mitra/{scene.partner.id}",
        f"/kurasi/mitra/{scene.partner.id}/ronde/baru",
        f"/kurasi/ronde/{scene.round.id}",
        f"/kurasi/ronde/{scene.round.id}/ubah",
        f"/kurasi/ronde/{scene.round.id}/rubrik",
        f"/kurasi/ronde/{scene.round.id}/statistik",
        f"/kurasi/ronde/{scene.round.id}/hasil.csv",
    ]
    for user in (other_admin, scene.curators[0], owner):
        login(client, user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.email, path)
        for path in (
            f"/kurasi/ronde/{scene.round.id}/terbitkan",
            f"/kurasi/ronde/{scene.round.id}/tutup",
            f"/kurasi/ronde/{scene.round.id}/tugaskan-otomatis",
        ):
            assert client.post(path).status_code == 404
        client.post("/akun/keluar")


def test_the_trade_office_sees_the_figures_but_cannot_run_the_round(client, scene, make):
    login(client, make.admin())
    assert client.get(f"/kurasi/ronde/{scene.round.id}/statistik").status_code == 200
    assert client.get(f"/kurasi/ronde/{scene.round.id}/hasil.csv").status_code == 200
    assert client.get(f"/kurasi/ronde/{scene.round.id}").status_code == 404


def test_phases_follow_the_dates(app, curation):
    from app.curation.rounds import phase

    partner, admin, _ = curation.partner(curators=0)
    opens_on = clock.today() + timedelta(days=9)
    round = curation.round(
        partner,
        admin,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=9),
        review_due_on=opens_on + timedelta(days=19),
    )
    assert phase(round, opens_on - timedelta(days=1)) == "upcoming"
    assert phase(round, opens_on) == "open"
    assert phase(round, opens_on + timedelta(days=9)) == "open"
    assert phase(round, opens_on + timedelta(days=10)) == "review"


@pytest.mark.parametrize("count", [1, 19, 20])
def test_a_rubric_of_up_to_twenty_criteria_shows_each_once_and_saves_as_shown(
    app, client, scene, count
):
    login(client, scene.admin)
    path = f"/kurasi/ronde/{scene.round.id}/rubrik"
    rows = {}
    for i in range(count):
        rows |= {
            f"criteria-{i}-name": f"Kriteria {i + 1}",
            f"criteria-{i}-weight": "1",
            f"criteria-{i}-scale_max": "5",
            f"criteria-{i}-counts": "y",
        }
    assert client.post(path, data=rows).status_code == 302
    page = client.get(path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    # The saved criteria in order, then one empty row while there is room for one.
    assert body.count('class="card criterion"') == min(count + 1, 20)
    first = re.search(r'<input[^>]*name="criteria-0-name"[^>]*>', body).group()
    assert 'value="Kriteria 1"' in first
    if count == 20:
        assert "paling banyak 20 kriteria" in page_text(page)
    # Saving the page as it is shown keeps every criterion.
    assert client.post(path, data=rows).status_code == 302
    with app.app_context():
        criteria = db.session.get(Round, scene.round.id).rubric.criteria
        assert [c.name for c in criteria] == [f"Kriteria {i + 1}" for i in range(count)]
