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
        ("alas kaki", ["alas kaki"]),  # the sector: sepatu and sandal, not sepatu alone
        ("shoes", ["sepatu"]),
        ("oleh-oleh khas Mojokerto", ["souvenir", "khas", "mojokerto"]),
        ("makanan minuman", ["mamin"]),
        ("brass", ["kuningan"]),
        ("kerajinan yang rajin", ["kerajinan", "rajin"]),  # not merged into "rajin"
        ("sepatu yang dan untuk", ["sepatu"]),  # stop words
        ("Sandal alas kaki kulit", ["sandal", "alas kaki", "kulit"]),  # a phrase mid-text
        ("kulit alas", ["kulit", "alas"]),  # a phrase's first word alone, at the end
        ("alas sandal kaki", ["alas", "sandal", "kaki"]),  # its words apart: no phrase
        ("Camilan food and drink oleh oleh", ["camilan", "mamin", "souvenir"]),  # 3 and 2 words
        ("snack", ["camilan"]),
        ("Sépatu ＫＵＬＩＴ", ["sepatu", "kulit"]),  # accents and full-width letters
        ("p-irt", ["pirt"]),
        # Quantities: a number and its unit are one word, in the unit's base (data/units.txt).
        ("Keripik Tempe 500 g", ["keripik", "tempe", "500g"]),
        ("keripik 0,5 kg", ["keripik", "500g"]),
        ("dodol 1/4 kilo", ["dodol", "250g"]),
        ("sambal 150gr", ["sambal", "150g"]),
        ("cangkir 1 lusin", ["cangkir", "12pcs"]),
        ("sirup 1 liter", ["sirup", "1000ml"]),
        ("harga 25.000 per 2 kodi", ["harga", "25.000", "40pcs"]),
        ("ukuran 40", ["ukur", "40"]),  # a number without a unit stays a number
        ("oleh2 tanpa pengawet", ["souvenir", "tanpa", "awet"]),  # "tanpa" says something
        ("bersertifikat halal", ["halal"]),  # words that name no product
        ("pengrajin bambu", ["bambu"]),
    ],
)
def test_indonesian_analysis(text, expected):
    assert terms(indonesian_analyzer(), text) == expected


def test_when_indexing_a_phrase_and_a_quantity_keep_their_own_words():
    """A product named "Tas Tangan Wanita 2 kg" answers "tas tangan" (and "handbag") as one
    thing, and still "tas", "tangan" and the bare number."""
    found = [t.text for t in indonesian_analyzer()("Tas Tangan Wanita 2 kg", mode="index")]
    assert found == ["tas tangan", "tas", "tangan", "wanita", "2000g", "2"]
    assert terms(indonesian_analyzer(), "handbag") == ["tas tangan"]


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


def test_when_no_product_has_every_word_those_that_are_what_was_asked_for_are_shown(app, shelf):
    # "pedas" is a word of the catalogue that names no kind of product: dropped, the shoes
    # remain, and the page says the search was loosened.
    result = search(app, q="sepatu pedas")
    assert result.loosened and [item.name for item in result.items] == ["Sepatu Wanita Kulit Sapi"]
    exact = search(app, q="keripik tempe")
    assert not exact.loosened and exact.total == 1


@pytest.mark.parametrize(
    "query",
    [
        "keripik batik",  # two kinds of product: neither is what was asked for
        "kulit pedas",  # only a material would be left
        "sepatu luwak",  # a word the catalogue does not know is what the buyer wants
        "pedas sepatu",  # the first word (the thing itself in Indonesian) is never dropped
        "kopi teh",  # nothing has either word
    ],
)
def test_a_search_is_not_loosened_into_something_else(app, shelf, query):
    result = search(app, q=query)
    assert result.total == 0 and not result.loosened


def test_a_description_adds_to_an_answer_but_does_not_make_one_alone(app, listing):
    listing.listed(
        category="keripik",
        name="Keripik Tempe Original",
        description="Digoreng dengan minyak kelapa, tanpa pengawet.",
        materials="Kedelai, tepung beras",
    )
    listing.listed(
        category="anyaman", name="Tas Ransel Pandan", description="Dengan kantong laptop 14 inci."
    )
    for nothing in ("laptop", "beras", "minyak goreng", "tepung beras"):
        assert search(app, q=nothing).total == 0, nothing
    assert names(app, q="tas laptop") == ["Tas Ransel Pandan"]
    assert names(app, q="tanpa pengawet") == ["Keripik Tempe Original"]  # side by side
    assert names(app, q="camilan") == ["Keripik Tempe Original"]  # a kind (concepts.txt)
    # Once another product has the word in its name, descriptions that say it answer too.
    listing.listed(category="keripik", name="Keripik Minyak Kelapa", description="Gurih.")
    assert names(app, q="minyak") == ["Keripik Minyak Kelapa", "Keripik Tempe Original"]


def test_the_loosened_search_says_so(client, shelf):
    from tests.conftest import page_text

    text = page_text(client.get("/katalog?q=sepatu+pedas"))
    assert "Tidak ada produk yang memuat semua kata" in text and "Sepatu Wanita Kulit" in text
