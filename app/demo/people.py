"""Demo accounts and organisations: the office, partners, IKMs and buyers."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont

from app.auth.models import User
from app.auth.services import create_user
from app.core import clock
from app.extensions import db
from app.orgs import regions, services
from app.orgs.models import (
    IKM,
    Buyer,
    BuyerType,
    MemberRole,
    Partner,
    PartnerType,
    VerificationStatus,
)

DEMO_PASSWORD = "etalase-demo-2026"
DOMAIN = "etalase.example"

ADMIN = ("admin", "Rina Wulandari")

PARTNERS = [
    # name, type, regency, description, admin (login, name), curators
    (
        "The Keranjang Bali",
        PartnerType.RETAILER,
        "51.03",
        "Pusat oleh-oleh dan suvenir di Bali yang mengkurasi produk UKM/IKM dari seluruh Jawa Timur.",
        ("keranjang", "Made Suartini"),
        [("kurator.keranjang1", "Komang Ayu Lestari"), ("kurator.keranjang2", "I Gede Wirawan")],
    ),
    (
        "Ramayana",
        PartnerType.RETAILER,
        "31.71",
        "Jaringan department store nasional; mencari pemasok sepatu wanita dan busana.",
        ("ramayana", "Hendra Gunawan"),
        [("kurator.ramayana", "Siti Rahmawati")],
    ),
    (
        "PT Inti Dragon Suryatama",
        PartnerType.EXPORTER,
        "35.76",
        "Pabrik dan eksportir sepatu di Kota Mojokerto yang bermitra dengan IKM alas kaki.",
        ("intidragon", "Budi Santoso"),
        [("kurator.intidragon", "Agus Prasetyo")],
    ),
]

IKMS = [
    # login, owner, IKM name, sector, regency, status, workers, capacity, unit, founded, export, story
    (
        "sumberrejeki",
        "Slamet Riyadi",
        "Sepatu Kulit Sumber Rejeki",
        "alas_kaki",
        "35.76",
        VerificationStatus.VERIFIED,
        18,
        1200,
        "pasang",
        2004,
        True,
        "Kami membuat sepatu kulit sapi wanita dan pria di Kelurahan Miji, Kota Mojokerto, "
        "dengan kulit dari Magetan dan jahitan tangan.",
    ),
    (
        "mojoshoes",
        "Wahyu Hidayat",
        "CV Mojo Shoes Nusantara",
        "alas_kaki",
        "35.16",
        VerificationStatus.VERIFIED,
        45,
        6000,
        "pasang",
        2011,
        True,
        "Sepatu wanita dan sandal untuk pasar ritel nasional; pernah memasok ke pameran Aprisindo.",
    ),
    (
        "prajuritkulon",
        "Nur Hasanah",
        "Sandal Prajurit Kulon",
        "alas_kaki",
        "35.76",
        VerificationStatus.PENDING,
        9,
        150,
        "kodi",
        2016,
        False,
        "Sandal kulit dan sandal jepit bordir dari Prajurit Kulon.",
    ),
    (
        "batikmajapahit",
        "Sri Wahyuni",
        "Batik Tulis Majapahit Sooko",
        "batik",
        "35.16",
        VerificationStatus.VERIFIED,
        12,
        300,
        "pcs",
        2009,
        False,
        "Batik tulis dengan motif Surya Majapahit dan Gringsing, diwarnai dengan pewarna alam.",
    ),
    (
        "batiksurya",
        "Ahmad Fauzi",
        "Batik Cap Surya Kencana",
        "batik",
        "35.76",
        VerificationStatus.PENDING,
        7,
        40,
        "kodi",
        2018,
        False,
        "Batik cap untuk seragam kantor dan sekolah.",
    ),
    (
        "kuningan",
        "Joko Susilo",
        "Kuningan Cor Bejijong",
        "kriya",
        "35.16",
        VerificationStatus.VERIFIED,
        15,
        500,
        "pcs",
        1998,
        True,
        "Pengecoran kuningan turun-temurun di Desa Bejijong, Trowulan: arca, lampu dan suvenir.",
    ),
    (
        "anyaman",
        "Endang Purwati",
        "Anyaman Bambu Jatirejo",
        "kriya",
        "35.16",
        VerificationStatus.VERIFIED,
        22,
        80,
        "lusin",
        2013,
        False,
        "Keranjang, tas dan tempat tisu dari bambu yang dianyam ibu-ibu Jatirejo.",
    ),
    (
        "keripiksri",
        "Sri Utami",
        "Keripik Tempe Bu Sri",
        "makanan_minuman",
        "35.76",
        VerificationStatus.VERIFIED,
        6,
        900,
        "kg",
        2010,
        False,
        "Keripik tempe tipis renyah, oleh-oleh khas Mojokerto, tanpa pengawet.",
    ),
    (
        "ondeonde",
        "Liem Hwa",
        "Onde-Onde Mojopahit",
        "makanan_minuman",
        "35.76",
        VerificationStatus.PENDING,
        10,
        3000,
        "pcs",
        2001,
        False,
        "Onde-onde isi kacang hijau, dibuat setiap pagi.",
    ),
    (
        "kopipacet",
        "Bambang Irawan",
        "Kopi Arjuna Pacet",
        "makanan_minuman",
        "35.16",
        VerificationStatus.VERIFIED,
        8,
        400,
        "kg",
        2015,
        True,
        "Kopi robusta dan arabika dari lereng Arjuna, disangrai di Pacet.",
    ),
    (
        "taskulit",
        "Rudi Hartono",
        "Tas Kulit Magetan Jaya",
        "fashion",
        "35.20",
        VerificationStatus.VERIFIED,
        14,
        600,
        "pcs",
        2007,
        False,
        "Tas, dompet dan ikat pinggang dari kulit samak Magetan.",
    ),
    (
        "mebeljati",
        "Suparman",
        "Mebel Jati Ukir Jombang",
        "furnitur",
        "35.17",
        VerificationStatus.REJECTED,
        11,
        30,
        "set",
        2005,
        True,
        "Kursi dan meja jati ukir untuk rumah dan hotel.",
    ),
    (
        "logamngingas",
        "Heru Cahyono",
        "Kerajinan Logam Ngingas",
        "logam",
        "35.15",
        VerificationStatus.PENDING,
        25,
        2000,
        "pcs",
        2000,
        True,
        "Komponen dan peralatan logam dari sentra industri logam Ngingas, Waru.",
    ),
    (
        "konveksi",
        "Yuliana",
        "Konveksi Seragam Sidoarjo",
        None,
        "35.15",
        VerificationStatus.DRAFT,
        None,
        None,
        None,
        None,
        None,
        None,
    ),
    # Verified IKMs elsewhere in East Java, so that the catalogue's region facet means something.
    (
        "apelkusuma",
        "Lilik Kusumawati",
        "Keripik Apel Kusuma Batu",
        "makanan_minuman",
        "35.79",
        VerificationStatus.VERIFIED,
        14,
        2500,
        "kg",
        2011,
        False,
        "Keripik dan sari apel manalagi dari kebun-kebun di Bumiaji, diolah tanpa pengawet.",
    ),
    (
        "gerabahdinoyo",
        "Samsul Arifin",
        "Keramik Dinoyo Lestari",
        "kriya",
        "35.73",
        VerificationStatus.VERIFIED,
        9,
        3000,
        "pcs",
        1998,
        True,
        "Keramik dan gerabah dari sentra Dinoyo, Kota Malang, dibentuk di meja putar dan dibakar "
        "di tungku sendiri.",
    ),
    (
        "tastanggulangin",
        "Mujiati",
        "Tas Tanggulangin Mulia",
        "fashion",
        "35.15",
        VerificationStatus.VERIFIED,
        22,
        1500,
        "pcs",
        2001,
        True,
        "Tas wanita, koper dan dompet dari sentra kulit Tanggulangin, Sidoarjo.",
    ),
    (
        "tenunkediri",
        "Siti Ruqoyah",
        "Tenun Ikat Bandar Kidul",
        "fashion",
        "35.71",
        VerificationStatus.VERIFIED,
        16,
        400,
        "pcs",
        2008,
        False,
        "Tenun ikat dengan alat tenun bukan mesin (ATBM) dari Kelurahan Bandar Kidul, Kota Kediri.",
    ),
    (
        "sambalning",
        "Ningsih Rahayu",
        "Sambal Bu Ning Suroboyo",
        "makanan_minuman",
        "35.78",
        VerificationStatus.VERIFIED,
        7,
        6000,
        "pcs",
        2016,
        False,
        "Sambal bawang, sambal cumi dan bumbu pecel dalam botol kaca, resep rumahan dari Surabaya.",
    ),
    (
        "jatibojonegoro",
        "Sugeng Widodo",
        "Kriya Jati Bojonegoro Asri",
        "furnitur",
        "35.22",
        VerificationStatus.VERIFIED,
        11,
        250,
        "pcs",
        2006,
        True,
        "Meja akar jati, rak dan peralatan rumah dari sisa kayu jati Perhutani Bojonegoro.",
    ),
]

BUYERS = [
    ("pembeli", "Andi Wijaya", "PT Sinar Retail Nusantara", BuyerType.COMPANY, "31.74"),
    ("dewi", "Dewi Lestari", None, BuyerType.INDIVIDUAL, "35.78"),
]

COLOURS = [
    (158, 63, 30),
    (31, 94, 132),
    (98, 122, 38),
    (132, 52, 102),
    (186, 120, 20),
    (40, 110, 100),
]


def _email(login: str) -> str:
    return f"{login}@{DOMAIN}"


def _user(login: str, name: str, is_admin: bool = False) -> tuple[User, bool]:
    existing = db.session.scalar(db.select(User).filter_by(email=_email(login)))
    if existing:
        return existing, False
    return create_user(_email(login), name, DEMO_PASSWORD, confirmed=True, is_admin=is_admin), True


def seed_people() -> dict[str, int]:
    admin, _ = _user(*ADMIN, is_admin=True)
    for row in PARTNERS:
        _partner(admin, *row)
    for index, row in enumerate(IKMS):
        _ikm(admin, index, *row)
    for row in BUYERS:
        _buyer(*row)
    db.session.flush()
    return {
        "accounts": db.session.scalar(db.select(db.func.count(User.id))),
        "IKMs": db.session.scalar(db.select(db.func.count(IKM.id))),
        "partners": db.session.scalar(db.select(db.func.count(Partner.id))),
    }


def _partner(admin, name, partner_type, regency, description, boss, curators) -> Partner:
    partner = db.session.scalar(db.select(Partner).filter_by(name=name))
    if partner is None:
        partner = services.create_partner(
            name,
            partner_type,
            by=admin,
            description=description,
            email=_email(boss[0]),
            province_code=regency[:2],
            regency_code=regency,
        )
    user, _ = _user(*boss)
    services.add_member(partner, user, MemberRole.PARTNER_ADMIN, by=admin)
    for login, full_name in curators:
        curator, _ = _user(login, full_name)
        services.add_member(partner, curator, MemberRole.CURATOR, by=user)
    return partner


# Where each IKM works, down to the desa or kelurahan and the kecamatan (searchable: "kuningan
# trowulan", "sepatu miji"); the regency's name is added from its code.
ADDRESSES = {
    "Sepatu Kulit Sumber Rejeki": "Jl. Empunala No. 12, Kelurahan Miji, Kecamatan Prajurit Kulon",
    "CV Mojo Shoes Nusantara": "Kawasan Industri Ngoro, Desa Lolawang, Kecamatan Ngoro",
    "Sandal Prajurit Kulon": "Jl. Raya Pulorejo No. 8, Kelurahan Pulorejo, Kecamatan Prajurit Kulon",
    "Batik Tulis Majapahit Sooko": "Dusun Kedungsari, Desa Sooko, Kecamatan Sooko",
    "Batik Cap Surya Kencana": "Jl. Gajah Mada No. 41, Kelurahan Mentikan, Kecamatan Prajurit Kulon",
    "Kuningan Cor Bejijong": "Dusun Bejijong, Desa Bejijong, Kecamatan Trowulan",
    "Anyaman Bambu Jatirejo": "Dusun Sumberagung, Desa Jatirejo, Kecamatan Jatirejo",
    "Keripik Tempe Bu Sri": "Jl. Gunung Gedangan No. 5, Kelurahan Gunung Gedangan, Kecamatan Magersari",
    "Onde-Onde Mojopahit": "Jl. Bhayangkara No. 30, Kelurahan Purwotengah, Kecamatan Magersari",
    "Kopi Arjuna Pacet": "Dusun Sendi, Desa Pacet, Kecamatan Pacet, lereng Gunung Arjuna",
    "Tas Kulit Magetan Jaya": "Jl. Sawo No. 5, Kelurahan Selosari, Kecamatan Magetan",
    "Mebel Jati Ukir Jombang": "Desa Jatiwates, Kecamatan Tembelang",
    "Kerajinan Logam Ngingas": "Desa Ngingas, Kecamatan Waru",
    "Keripik Apel Kusuma Batu": "Jl. Raya Bumiaji No. 3, Desa Bumiaji, Kecamatan Bumiaji",
    "Keramik Dinoyo Lestari": "Jl. MT Haryono Gang IX, Kelurahan Dinoyo, Kecamatan Lowokwaru",
    "Tas Tanggulangin Mulia": "Desa Kludan, Kecamatan Tanggulangin",
    "Tenun Ikat Bandar Kidul": "Jl. Sunan Bonang, Kelurahan Bandar Kidul, Kecamatan Mojoroto",
    "Sambal Bu Ning Suroboyo": "Jl. Rungkut Lor No. 9, Kelurahan Rungkut Kidul, Kecamatan Rungkut",
    "Kriya Jati Bojonegoro Asri": "Desa Jono, Kecamatan Temayang",
}


def _ikm(
    admin,
    index,
    login,
    owner_name,
    name,
    sector,
    regency,
    status,
    workers,
    capacity,
    unit,
    founded,
    export,
    story,
) -> IKM:
    owner, _ = _user(login, owner_name)
    ikm = db.session.scalar(db.select(IKM).filter_by(name=name))
    if ikm is not None:
        return ikm
    ikm = IKM(name=name, status=VerificationStatus.DRAFT)
    db.session.add(ikm)
    db.session.flush()
    services.add_member(ikm, owner, MemberRole.OWNER, by=owner)
    if status == VerificationStatus.DRAFT:
        return ikm
    profile = services.IKMProfile(
        name=name,
        nib=f"91204{index:02d}{7310 + index * 37:06d}"[:13],
        sector=sector,
        province_code=regency[:2],
        regency_code=regency,
        address=f"{ADDRESSES[name]}, {regions.name(regency)}"
        if name in ADDRESSES
        else f"Jl. {['Majapahit', 'Gajah Mada', 'Hayam Wuruk', 'Brawijaya', 'Pahlawan'][index % 5]} "
        f"No. {12 + index * 7}, {regions.name(regency)}",
        whatsapp=f"+6281234567{index:03d}",
        email=_email(login),
        workers=workers,
        capacity_monthly=capacity,
        capacity_unit=unit,
        year_founded=founded,
        has_export_experience=export,
        export_markets="Malaysia, Singapura" if export else None,
        story=story,
        kbli_code="13134" if sector == "batik" else None,
        kbli_edition="2020" if sector == "batik" else None,
    )
    services.save_ikm_profile(ikm, profile, by=owner)
    ikm.submitted_at = clock.now() - timedelta(days=14 - index)
    services.replace_logo(ikm, demo_logo(name, COLOURS[index % len(COLOURS)]), by=owner)
    if status == VerificationStatus.VERIFIED:
        services.verify_ikm(ikm, by=admin)
    elif status == VerificationStatus.REJECTED:
        services.reject_ikm(
            ikm, "NIB tidak sesuai dengan dokumen OSS. Mohon periksa kembali nomor NIB.", by=admin
        )
    return ikm


def _buyer(login, name, company, buyer_type, regency) -> Buyer:
    user, _ = _user(login, name)
    org_name = company or name
    buyer = db.session.scalar(db.select(Buyer).filter_by(name=org_name))
    if buyer is None:
        buyer = Buyer(
            name=org_name,
            buyer_type=buyer_type,
            province_code=regency[:2],
            regency_code=regency,
            region_edition=regions.REGION_EDITION,
        )
        db.session.add(buyer)
        db.session.flush()
    services.add_member(buyer, user, MemberRole.BUYER, by=user)
    return buyer


def demo_logo(name: str, colour: tuple[int, int, int]) -> bytes:
    """A round badge with the IKM's initials, drawn with Pillow."""
    initials = "".join(word[0] for word in name.replace("CV ", "").split()[:2]).upper()
    image = Image.new("RGB", (400, 400), (250, 246, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=colour)
    draw.ellipse((44, 44, 356, 356), outline=(250, 246, 238), width=6)
    font = ImageFont.load_default(size=150)
    draw.text((200, 200), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
