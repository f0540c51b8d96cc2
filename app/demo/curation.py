"""Demo curation rounds in every phase, with reviews and published decisions."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.catalog.models import Category, Product
from app.core import clock
from app.curation import assignment, decisions, reviews, rounds, submissions
from app.curation.models import Round, Rubric, Submission
from app.demo.people import DOMAIN
from app.extensions import db
from app.orgs.models import Partner

FOOD = {"makanan": [["halal"], ["pirt", "bpom"]], "minuman": [["halal"], ["pirt", "bpom"]]}

# partner, title, template, sectors, phase, curators per submission, description,
# [(product, [scores per curator], decision, feedback, conditions)]
ROUNDS = [
    (
        "The Keranjang Bali",
        "Kurasi Oleh-oleh Mojokerto {year}",
        "souvenir-retail",
        ["makanan", "minuman", "kriya", "batik", "fashion"],
        "decided",
        2,
        "Produk oleh-oleh dan kerajinan dari Mojokerto untuk gerai The Keranjang Bali di Kuta.",
        [
            (
                "Keripik Tempe Original 250 g",
                [5, 4],
                "accept",
                "Laris di gerai kami; siapkan stok menjelang liburan.",
                [],
            ),
            (
                "Keripik Tempe Pedas Daun Jeruk 250 g",
                [4, 4],
                "accept",
                "",
                ["Cantumkan tanggal kedaluwarsa di kemasan"],
            ),
            (
                "Kopi Robusta Arjuna Bubuk 200 g",
                [5, 5],
                "accept",
                "Aroma kuat, kemasan menarik.",
                [],
            ),
            ("Kopi Arabika Pacet Biji Sangrai 250 g", [4, 3], "accept", "", []),
            (
                "Gantungan Kunci Surya Majapahit Kuningan",
                [5, 4],
                "accept",
                "Cerita Majapahit disukai wisatawan.",
                [],
            ),
            ("Arca Buddha Kuningan Cor 20 cm", [4, 5], "accept", "", []),
            (
                "Kain Batik Tulis Motif Surya Majapahit",
                [5, 5],
                "accept",
                "Motif khas, pewarna alam: nilai jual tinggi.",
                [],
            ),
            ("Selendang Batik Gringsing Pewarna Alam", [4, 4], "accept", "", []),
            (
                "Keranjang Bambu Anyam Serbaguna",
                [3, 4],
                "accept",
                "",
                ["Tambahkan label merek pada keranjang"],
            ),
            ("Tas Selempang Kulit Sapi", [4, 4], "accept", "", []),
            (
                "Dompet Kulit Pria Lipat",
                [2, 3],
                "reject",
                "Harga belum bersaing untuk segmen kami; desain terlalu umum.",
                [],
            ),
            (
                "Tas Anyaman Bambu Wanita",
                [3, 2],
                "revise",
                "Jahitan lapisan kain perlu dirapikan dan tambahkan tutup resleting.",
                [],
            ),
        ],
    ),
    (
        "PT Inti Dragon Suryatama",
        "Kemitraan Produksi Sepatu {year}",
        "export-manufacturing",
        ["alas-kaki"],
        "decided",
        1,
        "Mencari IKM alas kaki untuk pesanan ekspor: mutu, jumlah dan ketepatan waktu.",
        [
            (
                "Sepatu Pantofel Wanita Kulit Sapi",
                [5],
                "accept",
                "Kualitas jahitan sesuai standar ekspor.",
                ["Kirim sampel ukuran 36 dan 41", "Gunakan kardus lima lapis"],
            ),
            ("Sepatu Flat Wanita Suede", [4], "accept", "", []),
            ("Sepatu Safety Kulit Ujung Baja", [5], "accept", "", []),
            (
                "Sepatu Kerja Pria Kulit Hitam",
                [2],
                "reject",
                "Kapasitas belum mencukupi untuk pesanan 20.000 pasang.",
                [],
            ),
            (
                "Sneakers Kanvas Anak",
                [3],
                "revise",
                "Perbaiki kerapian lem sol dan kirim ulang foto detail.",
                [],
            ),
            ("Sandal Kulit Wanita Anyam", [4], "accept", "", []),
        ],
    ),
    (
        "Ramayana",
        "Kurasi Pemasok Sepatu & Fashion {year}",
        "souvenir-retail",
        ["alas-kaki", "fashion", "batik"],
        "decided",
        1,
        "Pemasok sepatu, tas dan busana untuk gerai Ramayana di Jawa Timur dan Bali.",
        [
            ("Sepatu Slip-On Wanita Kulit Domba", [5], "accept", "Nyaman dan ringan.", []),
            ("Sepatu Kets Wanita Putih Kanvas", [4], "accept", "", []),
            ("Sepatu Pantofel Wanita Kulit Sapi", [4], "accept", "", []),
            ("Sepatu Boots Kulit Pria Chelsea", [4], "accept", "", []),
            (
                "Sepatu Sekolah Anak Hitam Tali",
                [4],
                "accept",
                "",
                ["Siapkan stok sebelum tahun ajaran baru"],
            ),
            ("Tas Tangan Wanita Kulit Sintetis", [4], "accept", "", []),
            ("Dompet Wanita Kulit Panjang", [4], "accept", "", []),
            (
                "Koper Kabin Kulit 20 Inci",
                [3],
                "reject",
                "Harga di atas segmen pelanggan kami.",
                [],
            ),
            ("Blus Batik Tulis Wanita Lengan Pendek", [5], "accept", "Motif laris.", []),
            ("Kemeja Tenun Ikat Pria Lengan Pendek", [4], "accept", "", []),
            ("Ikat Pinggang Kulit Sapi Pria", [4], "accept", "", []),
            ("Tas Ransel Kulit Pria", [4], "accept", "", []),
            (
                "Syal Tenun Ikat Kediri",
                [3],
                "revise",
                "Rapikan rumbai dan tambahkan label perawatan kain.",
                [],
            ),
        ],
    ),
    (
        "The Keranjang Bali",
        "Kurasi Pangan & Kriya Jawa Timur {year}",
        "souvenir-retail",
        ["makanan", "minuman", "kriya", "furnitur", "fashion", "batik"],
        "decided",
        2,
        "Makanan, minuman dan kerajinan dari seluruh Jawa Timur untuk gerai di Kuta dan Ubud.",
        [
            ("Keripik Apel Manalagi 100 g", [5, 4], "accept", "Cocok untuk wisatawan.", []),
            ("Sari Apel Batu 12 Gelas", [4, 4], "accept", "", []),
            ("Dodol Apel Batu 250 g", [4, 3], "accept", "", []),
            ("Sambal Bawang Pedas 150 g", [5, 5], "accept", "Rasa kuat, kemasan rapi.", []),
            ("Sambal Cumi Asin 150 g", [4, 4], "accept", "", []),
            ("Bumbu Pecel Kacang 250 g", [4, 4], "accept", "", []),
            ("Keripik Tempe Balado 500 g", [4, 4], "accept", "", []),
            ("Kopi Jahe Merah Instan 10 Sachet", [4, 3], "accept", "", []),
            ("Vas Bunga Keramik Dinoyo Motif Batik", [5, 4], "accept", "", []),
            ("Set Cangkir Kopi Keramik 6 pcs", [4, 4], "accept", "", []),
            (
                "Pot Tanaman Gerabah Terakota",
                [3, 3],
                "reject",
                "Ongkos kirim gerabah ke Bali terlalu tinggi untuk harga jualnya.",
                [],
            ),
            ("Patung Gajah Kuningan Cor 15 cm", [4, 4], "accept", "", []),
            ("Tempat Lilin Kuningan Ukir Majapahit", [4, 5], "accept", "", []),
            ("Tempat Tisu Anyaman Bambu", [4, 4], "accept", "", []),
            ("Tudung Saji Bambu Anyam 50 cm", [3, 4], "accept", "", []),
            ("Nampan Kayu Jati Ukir", [4, 4], "accept", "", []),
            ("Lampu Hias Kayu Jati Meja", [4, 4], "accept", "", []),
            ("Kain Tenun Ikat Kediri Motif Tirta", [5, 4], "accept", "Tenun yang indah.", []),
            ("Taplak Meja Batik Tulis Surya Majapahit", [4, 4], "accept", "", []),
        ],
    ),
    (
        "The Keranjang Bali",
        "Kurasi Batik & Kriya Semester 2",
        "souvenir-retail",
        ["batik", "kriya", "fashion"],
        "review",
        2,
        "Batik, kuningan dan anyaman untuk koleksi akhir tahun.",
        [
            ("Kemeja Batik Tulis Pria", [5, 2], None, "", []),
            ("Lampu Gantung Kuningan Motif Majapahit", [4, None], None, "", []),
            ("Tas Anyaman Bambu Wanita", [None, None], None, "", []),
            ("Dompet Kulit Pria Lipat", [3, 4], None, "", []),
        ],
    ),
    (
        "The Keranjang Bali",
        "Kurasi Oleh-oleh Bali {year}",
        "souvenir-retail",
        ["makanan", "minuman", "kriya"],
        "open",
        2,
        "Gelombang pertama {year}: makanan ringan, minuman dan suvenir kecil di bawah Rp100.000.",
        # Kue Kering (P-IRT still being verified) and Teh Rosela (P-IRT expired) are not eligible:
        # their IKMs see why on the round's page.
        [
            ("Keripik Tempe Pedas Daun Jeruk 250 g", None, None, "", []),
            ("Kopi Robusta Arjuna Bubuk 200 g", None, None, "", []),
            ("Gantungan Kunci Surya Majapahit Kuningan", None, None, "", []),
        ],
    ),
]


# How many days ago each decided round opened; "{year}" in a title and description is the year
# it opened, so the demo reads the same whenever it is made.
OPENED_DAYS_AGO = {
    "Kurasi Oleh-oleh Mojokerto {year}": 400,
    "Kemitraan Produksi Sepatu {year}": 200,
    "Kurasi Pemasok Sepatu & Fashion {year}": 150,
    "Kurasi Pangan & Kriya Jawa Timur {year}": 120,
}


def _user(login: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=f"{login}@{DOMAIN}"))


PARTNER_PEOPLE = {
    "The Keranjang Bali": ("keranjang", ["kurator.keranjang1", "kurator.keranjang2"]),
    "PT Inti Dragon Suryatama": ("intidragon", ["kurator.intidragon"]),
    "Ramayana": ("ramayana", ["kurator.ramayana"]),
}


def seed_curation() -> dict[str, int]:
    rounds.seed_rubric_templates()
    for row in ROUNDS:
        _round(*row)
    return {"curation rounds": db.session.scalar(db.select(db.func.count(Round.id)))}


def _round(
    partner_name, title, template, sectors, phase, per_submission, description, entries
) -> None:
    today = clock.today()
    opened = today - timedelta(days=_opened_days_ago(title, phase))
    title, description = title.format(year=opened.year), description.format(year=opened.year)
    partner = db.session.scalar(db.select(Partner).filter_by(name=partner_name))
    if db.session.scalar(db.select(Round.id).filter_by(partner_id=partner.id, title=title)):
        return
    boss_login, curator_logins = PARTNER_PEOPLE[partner_name]
    boss, curators = _user(boss_login), [_user(c) for c in curator_logins]
    data = rounds.RoundData(
        title=title,
        description=description,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=12),  # open rounds close soon: the homes say so
        review_due_on=today + timedelta(days=35),
        curators_per_submission=per_submission,
        category_ids=list(
            db.session.scalars(db.select(Category.id).where(Category.slug.in_(sectors)))
        ),
        required_certificates={k: v for k, v in FOOD.items() if k in sectors},
        feedback_visibility="comments" if phase == "decided" else "averages",
        pass_threshold=65,
        quota=None if phase == "open" else max(10, len(entries)),
    )
    round_ = rounds.create_round(
        partner, data, db.session.scalar(db.select(Rubric).filter_by(slug=template)), by=boss
    )
    for name, scores, decision, feedback, conditions in entries:
        product = db.session.scalar(db.select(Product).filter_by(name=name))
        owner = product.ikm.memberships[0].user
        submission = submissions.submit_product(round_, product, by=owner)
        if scores is None:
            continue
        for curator, score in zip(curators, scores, strict=False):
            assignment.assign(submission, curator, by=boss)
            if score is not None:
                _review(submission, curator, score, complete=phase == "decided" or score != 4)
        if decision:
            decisions.stage_decision(submission, decision, feedback, conditions, by=boss)
    if phase == "decided":
        decisions.publish_decisions(round_, by=boss)
        _move_to_past(round_, today, days=(today - opened).days)
        round_.closed_at = clock.now()
    elif phase == "review":
        _move_to_past(round_, today, days=(today - opened).days, review_due_in=10)


def _opened_days_ago(title: str, phase: str) -> int:
    if phase == "decided":
        return OPENED_DAYS_AGO.get(title, 120)
    return 40 if phase == "review" else 5


def _review(submission: Submission, curator: User, score: int, complete: bool) -> None:
    from app.curation.permissions import assignment_of

    criteria = submission.round.rubric.criteria
    scores = {
        c.id: max(1, min(c.scale_max, score - (i % 2 if score > 2 else 0)))
        for i, c in enumerate(criteria)
    }
    comments = {
        5: "Sangat menarik dan siap dijual.",
        4: "Bagus; kemasan bisa lebih informatif.",
        3: "Cukup, perlu perbaikan finishing.",
        2: "Belum sesuai standar toko kami.",
    }
    reviews.save_review(
        assignment_of(curator, submission),
        scores,
        comments.get(score, ""),
        "Bandingkan harga dengan pemasok lain.",
        submit=complete,
        by=curator,
    )


def _move_to_past(round_: Round, today, days: int, review_due_in: int | None = None) -> None:
    round_.opens_on = today - timedelta(days=days)
    round_.closes_on = today - timedelta(days=days - 30)
    round_.review_due_on = (
        today + timedelta(days=review_due_in)
        if review_due_in
        else today - timedelta(days=days - 45)
    )
    for submission in round_.submissions:
        submission.submitted_at = clock.now() - timedelta(days=days - 3)
