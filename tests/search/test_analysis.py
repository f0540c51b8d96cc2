import pytest

from app.search.analysis import english_analyzer, indonesian_analyzer, terms
from tests.search.conftest import names, search


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sepatunya", ["sepatu"]),
        ("bersepatu", ["sepatu"]),
        ("Sepatu Wanita Kulit Sapi", ["sepatu", "wanita", "kulit", "sapi"]),
        ("kripik tempe", ["keripik", "tempe"]),
        ("alas kaki", ["sepatu"]),
        ("shoes", ["sepatu"]),
        ("oleh-oleh khas Mojokerto", ["souvenir", "khas", "mojokerto"]),
        ("makanan minuman", ["mamin"]),
        ("brass", ["kuningan"]),
        ("kerajinan dari pengrajin", ["kerajinan", "pengrajin"]),  # not merged into "rajin"
        ("sepatu yang dan untuk", ["sepatu"]),  # stop words
        ("Sandal alas kaki kulit", ["sandal", "sepatu", "kulit"]),  # a phrase mid-text
        ("kulit alas", ["kulit", "alas"]),  # a phrase's first word alone, at the end
        ("alas sandal kaki", ["alas", "sandal", "kaki"]),  # its words apart: no phrase
        ("Camilan food and drink oleh oleh", ["camilan", "mamin", "souvenir"]),  # 3 and 2 words
        ("snack", ["camilan"]),
        ("Sépatu ＫＵＬＩＴ", ["sepatu", "kulit"]),  # accents and full-width letters
        ("p-irt", ["pirt"]),
    ],
)
def test_indonesian_analysis(text, expected):
    assert terms(indonesian_analyzer(), text) == expected


def test_english_analysis():
    assert terms(english_analyzer(), "Women's leather shoes") == ["women", "leather", "shoe"]
    assert terms(english_analyzer(), "Café crème") == ["cafe", "creme"]


@pytest.fixture
def shelf(listing):
    listing.listed(
        name="Sepatu Wanita Kulit Sapi", description="Pantofel dijahit tangan di Mojokerto."
    )
    listing.listed(
        category="keripik", name="Kripik Tempe Pedas", description="Camilan renyah khas Mojokerto."
    )
    listing.listed(
        category="kuningan-cor",
        name="Arca Kuningan Majapahit",
        description="Suvenir oleh-oleh Trowulan.",
    )
    listing.listed(
        category="batik-tulis",
        name="Kain Batik Tulis Sooko",
        description="Pewarna alam, motif Surya.",
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sepatu kulit wanita", "Sepatu Wanita Kulit Sapi"),  # words in another order
        ("sepatunya", "Sepatu Wanita Kulit Sapi"),  # morphology
        ("bersepatu", "Sepatu Wanita Kulit Sapi"),
        ("alas kaki", "Sepatu Wanita Kulit Sapi"),  # synonym phrase
        ("leather shoes", "Sepatu Wanita Kulit Sapi"),  # English
        ("keripik", "Kripik Tempe Pedas"),  # spelling variant
        ("brass", "Arca Kuningan Majapahit"),
        ("souvenir", "Arca Kuningan Majapahit"),
        ("mamin", "Kripik Tempe Pedas"),  # makanan minuman
        ("snack", "Kripik Tempe Pedas"),  # "camilan" in its description
        ("sepato", "Sepatu Wanita Kulit Sapi"),  # typo
        ("batk tulis", "Kain Batik Tulis Sooko"),
    ],
)
def test_queries_find_what_people_mean(app, shelf, query, expected):
    assert expected in names(app, q=query), query


def test_a_typo_says_it_matched_similar_words_and_suggests(app, shelf):
    result = search(app, q="sepato")
    assert result.fuzzy and result.suggestion == "sepatu"


@pytest.mark.parametrize(
    "query, suggestion",
    [
        ("sepato kulit", "sepatu kulit"),
        ("Sepato's", "sepatu's"),  # the rest of the query stays as typed
        ("<b>sepato</b>", "<b>sepatu</b>"),
        ("kripik sepato", "kripik sepatu"),  # "kripik" is known (a variant): kept as typed
    ],
)
def test_did_you_mean_corrects_only_the_unknown_words(app, shelf, query, suggestion):
    assert search(app, q=query).suggestion == suggestion


def test_matches_in_the_name_and_the_maker_are_marked(app, listing):
    listing.listed(name="Sepatu <i>Kulit</i> Sapi")
    [item] = search(app, q="kulit").items
    assert str(item.name_marked) == "Sepatu &lt;i&gt;<mark>Kulit</mark>&lt;/i&gt; Sapi"
    assert item.ikm_name_marked is None  # the maker's name did not match


def test_nothing_unrelated_is_found(app, shelf):
    assert names(app, q="kopi") == []
    assert search(app, q="kopi").suggestion is None or search(app, q="kopi").total == 0


def test_the_name_weighs_more_than_the_description(app, listing):
    listing.listed(
        name="Tas Kulit Selempang",
        category="sepatu-pria",
        description="Cocok dipadukan dengan sepatu.",
    )
    listing.listed(name="Sepatu Pria Derby", category="sepatu-pria", description="Kulit hitam.")
    assert names(app, q="sepatu")[0] == "Sepatu Pria Derby"


def test_highlights_are_escaped(app, listing):
    listing.listed(
        name="Sepatu <b>Tebal</b>", description="Sepatu <script>alert(1)</script> tahan air."
    )
    [item] = search(app, q="sepatu").items
    snippet = str(item.snippet)
    assert "<mark>" in snippet and "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_a_certificate_is_a_word_of_the_products_that_carry_it(app, listing):
    from app.catalog.models import Certificate, Product
    from app.extensions import db
    from tests.factories import CatalogFactory

    certified = listing.listed(category="keripik", name="Keripik Tempe", description="Renyah.")
    listing.listed(category="keripik", name="Keripik Singkong", description="Gurih.")
    with app.app_context():
        ikm = db.session.get(Product, certified.id).ikm
    CatalogFactory(app).certificate(ikm, kind="halal", products=[certified])
    with app.app_context():
        db.session.scalar(db.select(Certificate)).status = "verified"
        db.session.commit()
    listing.reindex(certified.id)
    assert names(app, q="halal") == ["Keripik Tempe"]
    assert names(app, q="keripik halal")[0] == "Keripik Tempe"


@pytest.mark.parametrize(
    "query", ["halal", "snack", "teh", "中文", "[a TO z]", "name:kopi", "sep*"]
)
def test_no_farfetched_suggestion(app, shelf, listing, query):
    """A word with nothing close in the catalogue gets no "did you mean", not a random one."""
    listing.listed(category="batik-tulis", name="Tas Batik Anak", description="Katun.")
    listing.listed(category="batik-tulis", name="Kain Pewarna Alam 250 g", description="Katun.")
    assert search(app, q=query).suggestion is None


def test_when_no_product_has_every_word_those_with_some_are_shown(app, shelf):
    result = search(app, q="keripik batik")
    assert result.loosened and result.total == 2
    assert {item.name for item in result.items} == {
        "Kripik Tempe Pedas",
        "Kain Batik Tulis Sooko",
    }
    exact = search(app, q="keripik tempe")
    assert not exact.loosened and exact.total == 1
    assert search(app, q="kopi teh").total == 0  # nothing has either word


def test_the_loosened_search_says_so(client, shelf):
    from tests.conftest import page_text

    text = page_text(client.get("/katalog?q=keripik+batik"))
    assert "Tidak ada produk yang memuat semua kata" in text and "Kripik Tempe Pedas" in text
