"""A synthetic catalogue of listed products with realistic Indonesian names and descriptions."""

from __future__ import annotations

import itertools
import random

from sqlalchemy import insert

WORDS = {
    "sepatu-wanita": (
        ["Sepatu", "Pantofel", "Flat Shoes", "Sepatu Hak", "Sneakers"],
        ["Wanita", "Perempuan", "Kerja Wanita"],
    ),
    "sepatu-pria": (
        ["Sepatu", "Sepatu Pantofel", "Sepatu Kerja", "Sneakers", "Sepatu Boot"],
        ["Pria", "Laki-laki", "Kantor Pria"],
    ),
    "sepatu-anak": (["Sepatu", "Sneakers", "Sepatu Sekolah"], ["Anak", "Anak Sekolah", "Balita"]),
    "sandal": (
        ["Sandal", "Sandal Jepit", "Selop", "Sandal Gunung"],
        ["Wanita", "Pria", "Bordir", "Anyam"],
    ),
    "sepatu-keselamatan": (
        ["Sepatu Safety", "Sepatu Keselamatan", "Boots Safety"],
        ["Ujung Baja", "Anti Slip", "Tahan Minyak"],
    ),
    "batik-tulis": (
        ["Kain Batik Tulis", "Batik Tulis", "Selendang Batik"],
        ["Surya Majapahit", "Gringsing", "Mojokerto", "Pewarna Alam"],
    ),
    "batik-cap": (
        ["Kain Batik Cap", "Batik Cap", "Seragam Batik"],
        ["Motif Parang", "Kawung", "Motif Bunga"],
    ),
    "busana-batik": (
        ["Kemeja Batik", "Blus Batik", "Gamis Batik"],
        ["Pria", "Wanita", "Lengan Panjang"],
    ),
    "kuningan-cor": (
        ["Arca Kuningan", "Lampu Kuningan", "Gantungan Kunci Kuningan", "Patung Kuningan"],
        ["Majapahit", "Trowulan", "Antik"],
    ),
    "anyaman": (
        ["Keranjang Anyaman", "Tas Anyaman", "Tempat Tisu Anyaman"],
        ["Bambu", "Pandan", "Rotan"],
    ),
    "kerajinan-kayu": (
        ["Ukiran Kayu", "Kotak Perhiasan Kayu", "Hiasan Dinding"],
        ["Jati", "Mahoni", "Ukir"],
    ),
    "gerabah": (["Gerabah", "Vas Bunga Gerabah", "Cobek Tanah Liat"], ["Hias", "Tradisional"]),
    "keripik": (
        ["Keripik Tempe", "Kripik Singkong", "Keripik Pisang", "Keripik Tahu"],
        ["Original", "Pedas", "Balado", "Daun Jeruk"],
    ),
    "kue-kering": (
        ["Kue Kering", "Onde-onde Ceplus", "Nastar", "Kue Bawang"],
        ["Renyah", "Keju", "Wijen"],
    ),
    "kue-basah": (["Onde-onde", "Kue Lapis", "Wingko"], ["Kacang Hijau", "Pandan", "Kelapa"]),
    "sambal-bumbu": (
        ["Sambal Bawang", "Sambal Terasi", "Bumbu Pecel"],
        ["Pedas", "Khas Mojokerto"],
    ),
    "kopi": (["Kopi Robusta", "Kopi Arabika", "Kopi Bubuk"], ["Arjuna", "Pacet", "Sangrai"]),
    "teh-herbal": (["Teh Rosela", "Teh Jahe", "Wedang Uwuh"], ["Kering", "Celup", "Herbal"]),
    "minuman-siap-saji": (["Sirup Markisa", "Jamu Kunyit", "Sari Kedelai"], ["Botol", "Segar"]),
    "tas": (["Tas Selempang", "Tas Jinjing", "Ransel"], ["Kulit Sapi", "Kulit", "Kanvas"]),
    "dompet-ikat-pinggang": (
        ["Dompet Kulit", "Ikat Pinggang", "Dompet Lipat"],
        ["Pria", "Wanita", "Kulit Asli"],
    ),
    "pakaian-jadi": (["Kaos", "Kemeja", "Seragam Kantor"], ["Katun", "Bordir"]),
    "aksesori": (["Gelang", "Bros", "Kalung"], ["Kuningan", "Manik", "Perak"]),
    "meja-kursi": (["Kursi Teras", "Meja Makan", "Kursi Santai"], ["Jati", "Rotan", "Minimalis"]),
    "lemari-rak": (["Lemari", "Rak Buku", "Bufet"], ["Jati", "Mahoni"]),
    "dekorasi-rumah": (["Cermin Hias", "Lampu Meja", "Hiasan Dinding"], ["Ukir", "Kuningan"]),
    "perkakas": (["Kunci Pas", "Obeng", "Tang"], ["Set", "Baja"]),
    "komponen-logam": (["Baut", "Mur", "Engsel"], ["Baja", "Stainless"]),
}
MATERIALS = [
    "kulit sapi",
    "kulit kambing",
    "katun",
    "bambu",
    "kayu jati",
    "kuningan",
    "rotan",
    "kedelai",
    "singkong",
    "karet",
    "kanvas",
    "tanah liat",
    "baja",
    "pandan",
    "sutra",
]
TRAITS = [
    "dijahit tangan",
    "awet dan nyaman",
    "cocok untuk oleh-oleh",
    "kualitas ekspor",
    "tanpa pengawet",
    "dikemas rapi",
    "pewarna alam",
    "motif khas Majapahit",
    "ringan dan kuat",
    "produksi IKM Mojokerto",
    "tahan lama",
    "renyah dan gurih",
    "harga grosir",
    "ramah lingkungan",
]
REGENCIES = [
    "35.76",
    "35.16",
    "35.15",
    "35.17",
    "35.20",
    "35.78",
    "35.07",
    "35.73",
    "35.25",
    "35.24",
    "35.09",
    "35.10",
]
CERTS_BY_SECTOR = {
    "makanan": ["halal", "pirt"],
    "minuman": ["halal", "bpom"],
    "alas-kaki": ["sni", "hki"],
    "batik": ["hki"],
}


def describe(rng: random.Random, name: str, material: str) -> str:
    sentences = [
        f"{name} dari {material}, {rng.choice(TRAITS)}.",
        f"Dibuat di {rng.choice(['Mojokerto', 'Trowulan', 'Sooko', 'Pacet', 'Magetan', 'Sidoarjo'])} oleh perajin berpengalaman.",
        f"{rng.choice(TRAITS).capitalize()}, {rng.choice(TRAITS)}.",
    ]
    return " ".join(sentences)


def generate(count: int, seed: int = 42, ikms: int | None = None) -> None:
    """Insert ``count`` listed products (with IKMs, partners, rounds, certificates) into the
    database; ``ikms`` IKMs (default: one per 50 products)."""
    from app.catalog.models import Category, Certificate, Product, product_certificates
    from app.catalog.taxonomy import sync_categories
    from app.core import clock
    from app.curation import rounds
    from app.curation.models import Round, Rubric, Submission
    from app.extensions import db
    from app.orgs.models import IKM, Partner

    rng = random.Random(seed)
    now, today = clock.now(), clock.today()
    sync_categories()
    rounds.seed_rubric_templates()
    leaves = {
        c.slug: c
        for c in db.session.scalars(db.select(Category).where(Category.parent_id.is_not(None)))
    }
    db.session.execute(
        insert(Partner),
        [
            {
                "name": f"Mitra Kurasi {i}",
                "kind": "partner",
                "partner_type": "retailer",
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(6)
        ],
    )
    partners = db.session.scalars(db.select(Partner.id)).all()
    rubric = db.session.scalar(db.select(Rubric).filter_by(slug="souvenir-retail"))
    round_ids = []
    for partner_id in partners:
        round = Round(
            partner_id=partner_id,
            title=f"Kurasi {partner_id}",
            opens_on=today,
            closes_on=today,
            review_due_on=today,
            rubric=rounds.copy_rubric(rubric, "bench"),
        )
        db.session.add(round)
        db.session.flush()
        round_ids.append(round.id)
    ikm_count = ikms or max(10, count // 50)
    db.session.execute(
        insert(IKM),
        [
            {
                "name": f"IKM {rng.choice(['Sumber', 'Karya', 'Mitra', 'Jaya', 'Makmur', 'Lestari'])} {rng.choice(['Rejeki', 'Abadi', 'Sentosa', 'Mandiri'])} {i}",
                "kind": "ikm",
                "status": "verified",
                "regency_code": rng.choice(REGENCIES),
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(ikm_count)
        ],
    )
    ikm_ids = db.session.scalars(db.select(IKM.id)).all()
    slugs = list(WORDS)
    rows = []
    for i in range(count):
        slug = rng.choice(slugs)
        kinds, qualities = WORDS[slug]
        name = f"{rng.choice(kinds)} {rng.choice(qualities)} {rng.choice(['', 'Premium', 'Asli', 'Khas', 'Klasik'])}".strip()
        material = rng.choice(MATERIALS)
        rows.append(
            {
                "ikm_id": rng.choice(ikm_ids),
                "category_id": leaves[slug].id,
                "name": f"{name} {i % 997}",
                "description": describe(rng, name, material),
                "materials": material,
                "attributes": [],
                "origin_regency_code": rng.choice(REGENCIES),
                "retail_price": rng.randrange(10, 3000) * 1000,
                "unit": "pcs",
                "min_order_qty": rng.choice([1, 6, 12, 20, 24, 50, 100, 200, 500]),
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, count, 10_000):
        db.session.execute(insert(Product), rows[start : start + 10_000])
    products = db.session.execute(
        db.select(Product.id, Product.ikm_id, Category.slug).join(Category)
    ).all()
    submissions = [
        {
            "round_id": rng.choice(round_ids),
            "product_id": pid,
            "ikm_id": iid,
            "state": "accepted",
            "cycle": 1,
            "snapshot": {},
            "submitted_at": now,
            "published_at": now,
            "conditions": [],
            "created_at": now,
            "updated_at": now,
        }
        for pid, iid, _ in products
    ]
    for start in range(0, len(submissions), 10_000):
        db.session.execute(insert(Submission), submissions[start : start + 10_000])
    parents = {c.slug: c.parent.slug for c in leaves.values()}
    links = []
    for pid, iid, slug in products:
        for kind in CERTS_BY_SECTOR.get(parents[slug], []):
            if rng.random() < 0.4:
                certificate = {
                    "ikm_id": iid,
                    "type": kind,
                    "number": f"{kind}{pid:012d}",
                    "status": "verified",
                    "created_at": now,
                    "updated_at": now,
                }
                links.append((pid, certificate))
    for start in range(0, len(links), 10_000):
        chunk = links[start : start + 10_000]
        db.session.execute(insert(Certificate), [c for _, c in chunk])
    certificate_ids = db.session.execute(db.select(Certificate.id, Certificate.number)).all()
    by_number = {number: cid for cid, number in certificate_ids}
    db.session.execute(
        insert(product_certificates),
        [{"product_id": pid, "certificate_id": by_number[c["number"]]} for pid, c in links],
    )
    db.session.commit()


QUERY_WORDS = [
    "sepatu",
    "sepatu wanita",
    "sepatu kulit",
    "kripik",
    "keripik tempe pedas",
    "batik tulis",
    "kuningan",
    "tas kulit",
    "kopi",
    "kopi arjuna",
    "oleh-oleh",
    "anyaman bambu",
    "sandal",
    "sepatunya",
    "sepato",
    "alas kaki pria",
    "leather shoes",
    "brass",
    "teh rosela",
    "kursi jati",
    "kue kering",
    "onde-onde",
    "selendang batik",
    "dompet kulit",
    "gelang kuningan",
    "sambal",
    "baut baja",
    "lampu kuningan",
    "mamin",
    "seragam batik",
    "ransel kanvas",
    "sneakers anak",
    "keranjang",
    "ukiran kayu",
    "gerabah",
    "kemeja batik pria",
    "tas anyaman",
    "sepatu safety",
    "wingko",
    "jamu kunyit",
]


MIN_ORDER_KEYS = ["1-1", "2-12", "13-50", "51-200", "201-"]


def _phrases(rng: random.Random) -> list[str]:
    """1–3 word queries a shopper might type: the fixed list first, then words of the catalogue
    (a kind of product, with a quality or a material), sometimes mixed across categories."""
    kinds = sorted({kind.lower() for kinds, _ in WORDS.values() for kind in kinds})
    qualities = sorted({q.lower() for _, qualities in WORDS.values() for q in qualities})
    phrases = list(QUERY_WORDS)
    while len(phrases) < 600:
        slug = rng.choice(list(WORDS))
        kind, quality = rng.choice(WORDS[slug][0]).lower(), rng.choice(WORDS[slug][1]).lower()
        words = rng.choice(
            [
                [rng.choice(kinds + qualities + MATERIALS).split()[0]],
                kind.split()[:2],
                [kind.split()[0], quality.split()[0]],
                [kind.split()[0], rng.choice(MATERIALS).split()[0]],
                [kind.split()[0], quality.split()[0], rng.choice(MATERIALS).split()[-1]],
                [rng.choice(kinds).split()[0], rng.choice(qualities).split()[0]],  # mixed
            ]
        )
        phrases.append(" ".join(words[:3]))
    return phrases


def queries(
    categories: dict[str, int],
    partners: list[int],
    count: int = 200,
    seed: int = 7,
    exclude: list[dict] = (),
) -> list[dict]:
    """``count`` distinct searches (none of ``exclude``): 1–3 words, about half with a filter
    (region, category, price range with a sort, certificate, partner, minimum order), a few
    with a filter and no words. Every search counts facets."""
    rng = random.Random(seed)
    phrases = _phrases(rng)
    seen = {_key(params) for params in exclude}
    found: list[dict] = []
    for tried in itertools.count():
        if len(found) == count:
            return found
        params = {"q": phrases[tried] if tried < len(QUERY_WORDS) else rng.choice(phrases)}
        kind = rng.randrange(12)
        if kind == 1:
            params["region"] = rng.choice(REGENCIES)
        elif kind == 2:
            params["category"] = rng.choice(list(categories.values()))
        elif kind == 3:
            low = rng.choice([0, 50_000, 100_000])
            params.update(min_price=low, max_price=low + 400_000, sort="price_asc")
        elif kind == 4:
            params["certification"] = rng.choice(["halal", "sni", "hki", "pirt", "bpom"])
        elif kind == 5:
            params["partner"] = rng.choice(partners)
        elif kind == 6:
            params["min_order"] = rng.choice(MIN_ORDER_KEYS)
        elif kind == 7:
            params["sort"] = rng.choice(["newest", "price_desc"])
        if kind in (1, 4, 5) and rng.random() < 0.25:
            params["q"] = ""  # browsing by a filter alone
        if _key(params) not in seen:
            seen.add(_key(params))
            found.append(params)
    raise AssertionError("unreachable")


def _key(params: dict) -> tuple:
    return tuple(sorted(params.items()))
