"""The words a large generated catalogue is made of: product kinds and qualities per category,
materials, selling points, regencies of East Java, certificates per sector.

Read by ``app.demo.bulk`` (``flask seed-demo --products N``) and by the benchmarks' queries.
"""

from __future__ import annotations

import random

# Category slug -> (kinds of product, qualities); a name is a kind, a quality and a flourish.
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
FLOURISHES = ["", "Premium", "Asli", "Khas", "Klasik"]
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
TOWNS = ["Mojokerto", "Trowulan", "Sooko", "Pacet", "Magetan", "Sidoarjo"]
# Mojokerto (city and regency), Jombang, Sidoarjo, Pasuruan, Surabaya, Malang, ...
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
IKM_NAMES = (
    ["Sumber", "Karya", "Mitra", "Jaya", "Makmur", "Lestari", "Sinar", "Berkah"],
    ["Rejeki", "Abadi", "Sentosa", "Mandiri", "Utama", "Sejahtera"],
)
PARTNERS = [
    ("Toko Oleh-oleh Nusantara", "retailer"),
    ("Galeri Kriya Jawa Timur", "retailer"),
    ("PT Ekspor Alas Kaki Brantas", "exporter"),
    ("Grosir Pasar Turi Sentral", "wholesaler"),
    ("Hotel Majapahit Group", "hospitality"),
    ("Pusat Belanja Batik Sidoarjo", "retailer"),
]


def describe(rng: random.Random, name: str, material: str) -> str:
    return " ".join(
        [
            f"{name} dari {material}, {rng.choice(TRAITS)}.",
            f"Dibuat di {rng.choice(TOWNS)} oleh perajin berpengalaman.",
            f"{rng.choice(TRAITS).capitalize()}, {rng.choice(TRAITS)}.",
        ]
    )


def product_name(rng: random.Random, slug: str) -> str:
    kinds, qualities = WORDS[slug]
    return f"{rng.choice(kinds)} {rng.choice(qualities)} {rng.choice(FLOURISHES)}".strip()
