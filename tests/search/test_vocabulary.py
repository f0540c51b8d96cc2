"""Issue 14's first fixes: doubled words written with a digit, words attached to categories
(app/search/data/concepts.txt), and a rebuild when the office edits a word list."""

import pytest

from app.search.analysis import indonesian_analyzer, spelled_out, terms
from tests.search.conftest import names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("oleh2", ["souvenir"]),  # read as oleh-oleh, then the synonym table
        ("oleh2 khas Mojokerto", ["souvenir", "khas", "mojokerto"]),
        ("kue2", ["kue"]),  # kue-kue: a plain doubling is the word itself
        ("kue-kue", ["kue"]),
        ("Anak2", ["anak"]),
        ("ibu-ibu", ["ibu"]),
        ("sehari-hari", ["sehari-hari"]),  # not a doubling: stays whole
        ("mp2 ps2", ["mp2", "ps2"]),  # two-letter codes are not doublings
        ("sepatu 2 pasang", ["sepatu", "2", "pasang"]),
        ("makanan ringan", ["camilan"]),
        ("kerajinan tangan", ["kerajinan"]),
        ("tenunan", ["tenun"]),
        ("pewarna alami", ["warna", "alam"]),
    ],
)
def test_doublings_and_new_words(text, expected):
    assert terms(indonesian_analyzer(), text) == expected


def test_spelled_out():
    assert spelled_out("oleh2") == "oleh-oleh"
    assert spelled_out("kue2") == "kue-kue"
    assert spelled_out("22") == "22" and spelled_out("a2") == "a2" and spelled_out("kopi") == "kopi"


@pytest.fixture
def shelf(listing):
    listing.listed(category="keripik", name="Keripik Tempe Original", description="Renyah.")
    listing.listed(category="kue-basah", name="Dodol Apel Batu", description="Legit.")
    listing.listed(category="kuningan-cor", name="Arca Buddha Kuningan", description="Antik.")
    listing.listed(category="anyaman", name="Keranjang Bambu", description="Serbaguna.")
    listing.listed(name="Sepatu Pantofel Kulit", description="Kulit sapi.")  # sepatu-wanita


@pytest.mark.parametrize(
    "query, expected",
    [
        # The words of data/concepts.txt belong to every product of their category.
        ("camilan", {"Keripik Tempe Original", "Dodol Apel Batu"}),
        ("snack", {"Keripik Tempe Original", "Dodol Apel Batu"}),
        ("makanan ringan", {"Keripik Tempe Original", "Dodol Apel Batu"}),
        ("kerajinan", {"Arca Buddha Kuningan", "Keranjang Bambu"}),  # the kriya sector
        ("handicraft", {"Arca Buddha Kuningan", "Keranjang Bambu"}),
        ("oleh-oleh", {"Keripik Tempe Original", "Dodol Apel Batu"}),
        ("oleh2", {"Keripik Tempe Original", "Dodol Apel Batu"}),
        ("kue2", {"Dodol Apel Batu"}),  # a kue basah
    ],
)
def test_concepts_find_their_categories(app, shelf, query, expected):
    assert set(names(app, q=query)) == expected


def test_an_edited_word_list_brings_a_rebuild(app, shelf, tmp_path, monkeypatch):
    from app.search import analysis

    runner = app.test_cli_runner()
    quiet = runner.invoke(args=["search", "rebuild", "--if-needed"])
    assert "not rebuilt" in quiet.output, quiet.output

    data = tmp_path / "data"
    data.mkdir()
    for path in analysis.DATA.glob("*.txt"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (data / "concepts.txt").open("a", encoding="utf-8") as concepts:
        concepts.write("sepatu-wanita: fashion\n")
    monkeypatch.setattr(analysis, "DATA", data)
    analysis.clear_caches()
    try:
        rebuilt = runner.invoke(args=["search", "rebuild", "--if-needed"])
        assert "other word lists" in rebuilt.output, rebuilt.output
        assert names(app, q="fashion") == ["Sepatu Pantofel Kulit"]
    finally:
        monkeypatch.undo()
        analysis.clear_caches()
