"""The product taxonomy: sector > kind of product, with the certificates a kind usually needs.

This is the living source: ``flask catalog sync-categories`` (run by ``seed-demo`` too) brings
the ``categories`` table in line with it. The first migration seeded the same list.
"""

FOOD_NEEDS = [["halal"], ["pirt", "bpom"]]

# slug, Indonesian name, English name, required certificates, children
TAXONOMY = [
    (
        "alas-kaki",
        "Alas kaki",
        "Footwear",
        [],
        [
            ("sepatu-wanita", "Sepatu wanita", "Women's shoes", []),
            ("sepatu-pria", "Sepatu pria", "Men's shoes", []),
            ("sepatu-anak", "Sepatu anak", "Children's shoes", []),
            ("sandal", "Sandal", "Sandals", []),
            ("sepatu-keselamatan", "Sepatu keselamatan", "Safety shoes", [["sni"]]),
        ],
    ),
    (
        "batik",
        "Batik",
        "Batik",
        [],
        [
            ("batik-tulis", "Batik tulis", "Hand-drawn batik", []),
            ("batik-cap", "Batik cap", "Stamped batik", []),
            ("busana-batik", "Busana batik", "Batik clothing", []),
        ],
    ),
    (
        "kriya",
        "Kriya",
        "Crafts",
        [],
        [
            ("kuningan-cor", "Kuningan cor", "Cast brass", []),
            ("anyaman", "Anyaman", "Weaving", []),
            ("kerajinan-kayu", "Kerajinan kayu", "Woodcraft", []),
            ("gerabah", "Gerabah", "Pottery", []),
        ],
    ),
    (
        "makanan",
        "Makanan",
        "Food",
        FOOD_NEEDS,
        [
            ("keripik", "Keripik", "Chips", []),
            ("kue-kering", "Kue kering", "Cookies", []),
            ("kue-basah", "Kue basah", "Traditional cakes", []),
            ("sambal-bumbu", "Sambal dan bumbu", "Sambal and spices", []),
        ],
    ),
    (
        "minuman",
        "Minuman",
        "Drinks",
        FOOD_NEEDS,
        [
            ("kopi", "Kopi", "Coffee", []),
            ("teh-herbal", "Teh dan minuman herbal", "Tea and herbal drinks", []),
            ("minuman-siap-saji", "Sirup dan minuman siap saji", "Syrups and ready drinks", []),
        ],
    ),
    (
        "fashion",
        "Fashion",
        "Fashion",
        [],
        [
            ("tas", "Tas", "Bags", []),
            ("dompet-ikat-pinggang", "Dompet dan ikat pinggang", "Wallets and belts", []),
            ("pakaian-jadi", "Pakaian jadi", "Garments", []),
            ("aksesori", "Aksesori", "Accessories", []),
        ],
    ),
    (
        "furnitur",
        "Furnitur",
        "Furniture",
        [],
        [
            ("meja-kursi", "Meja dan kursi", "Tables and chairs", []),
            ("lemari-rak", "Lemari dan rak", "Cabinets and shelves", []),
            ("dekorasi-rumah", "Dekorasi rumah", "Home decor", []),
        ],
    ),
    (
        "logam",
        "Logam",
        "Metalwork",
        [],
        [
            ("perkakas", "Perkakas", "Tools", []),
            ("komponen-logam", "Komponen logam", "Metal components", []),
        ],
    ),
]


def rows():
    """(slug, parent slug, name_id, name_en, position, required) for every category."""
    for position, (slug, name_id, name_en, needs, children) in enumerate(TAXONOMY):
        yield slug, None, name_id, name_en, position, needs
        for child_position, (child, child_id, child_en, child_needs) in enumerate(children):
            yield child, slug, child_id, child_en, child_position, child_needs


def sync_categories() -> int:
    """Insert or update categories to match TAXONOMY; returns how many were added."""
    from app.catalog.models import Category
    from app.extensions import db

    existing = {c.slug: c for c in db.session.scalars(db.select(Category))}
    added = 0
    for slug, parent, name_id, name_en, position, needs in rows():
        category = existing.get(slug)
        if category is None:
            category = existing[slug] = Category(slug=slug)
            db.session.add(category)
            added += 1
        category.parent = existing[parent] if parent else None
        category.name_id, category.name_en = name_id, name_en
        category.position, category.required_certificates = position, needs
    db.session.flush()
    return added
