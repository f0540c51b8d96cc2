"""Text analysis for Indonesian product text, with English as a second field.

Both: accents and full-width letters folded to plain ones (``sépatu``, ``ＳＥＰＡＴＵ`` → ``sepatu``).
Indonesian: words (hyphenated ones such as ``oleh-oleh`` stay whole, numbers such as ``0,5`` or
``1/2`` too) → lowercase, a doubling written with a digit spelled out (``oleh2`` → ``oleh-oleh``,
``kue2`` → ``kue-kue``) → a number and its unit read as one quantity (``0,5 kg`` → ``500g``,
``data/units.txt``) → synonyms and spelling variants folded to one form (phrases too:
``sling bag`` reads as ``selempang``; when indexing, a phrase keeps its own words too) → stop
words dropped → Sastrawi stemming (``sepatunya`` → ``sepatu``), cached, with an exception list
for words it over-merges, and the synonym table applied again to the stems; a plain doubling
(``kue-kue``, ``ibu-ibu``) reads as its word, one the synonym table names (``oleh-oleh``) as the
table says. English: Whoosh's stemming analyzer (``shoes`` → ``shoe``).

``concepts()`` (``data/concepts.txt``) attaches words to categories: every product of the
category answers to them (``camilan`` on keripik, ``kerajinan`` on kriya).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter

DATA = Path(__file__).parent / "data"
# Numbers with a decimal comma, thousands dots or a fraction ("0,5", "1.000", "1/2") are one
# word; other words may be hyphenated ("oleh-oleh").
TOKEN_PATTERN = r"\d+(?:[.,/]\d+)+|\w+(?:-\w+)*"  # noqa: S105 - a regular expression
MIN_STEM_LENGTH = 4
# A word doubled by writing "2" after it (chat style): three letters or more, then the digit
# (two-letter codes such as "mp2" or "ps2" stay as they are).
DOUBLED_WITH_DIGIT = re.compile(r"([^\W\d_]{3,})2")


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def synonyms() -> dict[str, str]:
    """Every variant (a word or a phrase) → its group's canonical form."""
    table = {}
    for line in _lines("synonyms.txt"):
        forms = [form.strip().lower() for form in line.split(",") if form.strip()]
        for form in forms:
            table[form] = forms[0]
    return table


@cache
def _phrase_starts() -> dict[str, int]:
    """First word of each phrase in the table → the most words a phrase starting with it has."""
    starts: dict[str, int] = {}
    for key in synonyms():
        words = key.split()
        if len(words) > 1:
            starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


def data_digest() -> str:
    """A short digest of the word lists in ``data/``: an index built with other lists (the
    office added a synonym or a concept) is rebuilt by ``flask search rebuild --if-needed``."""
    digest = hashlib.sha256()
    for path in sorted(DATA.glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def units() -> dict[str, tuple[str, float]]:
    """Unit word → (base unit, factor): "kg" → ("g", 1000)."""
    table = {}
    for line in _lines("units.txt"):
        head, _, words = line.partition(":")
        base, factor = head.split()
        for word in words.split(","):
            if word.strip():
                table[word.strip().lower()] = (base, float(factor))
    return table


GLUED_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)([a-z]+)")
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def number(text: str) -> float | None:
    """``250`` → 250, ``0,5`` and ``1/2`` → 0.5, ``1.000`` (thousands) → 1000; else None."""
    if text.isdigit():
        return float(text)
    if THOUSANDS.fullmatch(text):
        return float(text.replace(".", ""))
    top, slash, bottom = text.partition("/")
    try:
        if slash:
            return float(top) / float(bottom) if float(bottom) else None
        return float(text.replace(",", "."))
    except ValueError:
        return None


def quantity(amount: float, unit: str) -> str | None:
    """One word for an amount in a unit: (0.5, "kg") → ``500g``; None for an unknown unit."""
    found = units().get(unit)
    if found is None:
        return None
    base, factor = found
    value = round(amount * factor, 3)
    if value >= 1e9:
        return None
    return f"{value:.3f}".rstrip("0").rstrip(".") + base  # 1000000g, never 1e+06g


class QuantityFilter(Filter):
    """A number and its unit as one word in the unit's base ("0,5 kg", "500 gram", "500gr" →
    ``500g``; "1 lusin" → ``12pcs``). When indexing, the number also stays a word of its own
    ("keripik 500" still finds "Keripik Tempe 500 g")."""

    def __call__(self, tokens):
        held = None  # a number, waiting to see whether a unit follows
        for token in tokens:
            text = token.text
            if held is not None:
                amount = number(held.text)
                merged = quantity(amount, text) if amount is not None else None
                if merged is not None:
                    word = held.copy()
                    word.text = merged
                    if hasattr(word, "endchar") and hasattr(token, "endchar"):
                        word.endchar = token.endchar
                    yield word
                    if getattr(held, "mode", "") == "index":
                        yield held
                    held = None
                    continue
                yield held
                held = None
            if text[:1].isdigit():
                glued = GLUED_QUANTITY.fullmatch(text)
                if glued and glued[2] in units():
                    amount = number(glued[1])
                    merged = quantity(amount, glued[2]) if amount is not None else None
                    if merged is not None:
                        token.text = merged
                        yield token
                        continue
                if number(text) is not None:
                    held = token.copy()  # the tokenizer reuses its token object
                    continue
            yield token
        if held is not None:
            yield held


@cache
def concepts() -> dict[str, str]:
    """Category slug → the words attached to it (a line ``keripik: camilan, oleh-oleh``)."""
    table: dict[str, list[str]] = {}
    for line in _lines("concepts.txt"):
        slug, _, words = line.partition(":")
        found = table.setdefault(slug.strip().lower(), [])
        found.extend(word.strip().lower() for word in words.split(",") if word.strip())
    return {slug: ", ".join(words) for slug, words in table.items()}


def spelled_out(word: str) -> str:
    """``oleh2`` → ``oleh-oleh``: a doubling written with a digit, as a hyphenated word."""
    if word.endswith("2"):
        doubled = DOUBLED_WITH_DIGIT.fullmatch(word)
        if doubled:
            return f"{doubled[1]}-{doubled[1]}"
    return word


@cache
def stop_words() -> frozenset[str]:
    return frozenset(word for line in _lines("stopwords_id.txt") for word in line.split())


@cache
def stem_exceptions() -> frozenset[str]:
    return frozenset(_lines("stem_exceptions.txt"))


class _WordSet:
    """Sastrawi's dictionary, with set lookups: its own keeps a list and scans 30,000 words a time."""

    def __init__(self, words):
        self.words = frozenset(word for word in words if word.strip())

    def contains(self, word: str) -> bool:
        return word in self.words

    def count(self) -> int:
        return len(self.words)


@cache
def _sastrawi():
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(_WordSet(StemmerFactory().get_words_from_file()))


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """The Indonesian stem of one lowercase word, folded through the synonym table; cached."""
    found = _STEMS.get(word)
    if found is None:
        table = synonyms()
        first, hyphen, rest = word.partition("-")
        if word in table:
            found = table[word]
        elif hyphen and first == rest:  # a plain doubling (kue-kue): the word itself
            found = stem(first)
        elif len(word) < MIN_STEM_LENGTH or not word.isalpha() or word in stem_exceptions():
            found = word
        else:
            stemmed = _sastrawi().stem(word) or word
            found = table.get(stemmed, stemmed)
        if len(_STEMS) < 200_000:  # bounded: queries can bring any word
            _STEMS[word] = found
    return found


class PhraseSynonymFilter(Filter):
    """Replace a synonym of one or more words by its canonical form (one token).

    When indexing, a phrase also keeps its own words: "Tas Tangan Wanita" answers "tas tangan"
    (and "handbag", its synonym) as one thing, and still answers "tas" and "tangan" alone. A
    query's phrase is only the phrase: "alas kaki" asks for footwear, not for everything with
    "kaki" in it.
    """

    # The table is read from the module, not stored on the filter: Whoosh pickles the schema
    # (with its analyzers) into the index, and the data belongs in the data file.
    def __call__(self, tokens):
        table, starts = synonyms(), _phrase_starts()
        window = []  # tokens that may begin a phrase, held until it is known
        for token in tokens:
            if not window and token.text not in starts:  # most words: no copy, no waiting
                token.text = table.get(token.text, token.text)
                yield token
                continue
            window.append(token.copy())  # the tokenizer reuses its token object
            while window and len(window) >= starts.get(window[0].text, 1):
                yield from self._take(window, table, starts)
        while window:
            yield from self._take(window, table, starts)

    @staticmethod
    def _take(window, table, starts):
        for size in range(min(starts.get(window[0].text, 1), len(window)), 0, -1):
            phrase = " ".join(t.text for t in window[:size])
            if phrase in table:
                words = window[:size]
                first, last = words[0].copy(), words[-1]
                first.text = table[phrase]
                if hasattr(first, "endchar") and hasattr(last, "endchar"):
                    first.endchar = last.endchar
                del window[:size]
                found = [first]
                if size > 1 and getattr(first, "mode", "") == "index":
                    found += words
                return found
        return [window.pop(0)]


def fold(text: str) -> str:
    """Plain letters: compatibility forms (full-width, ligatures) decomposed, accents dropped."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FoldFilter(Filter):
    """Lowercase and folded, and a doubling written with a digit spelled out (one filter rather
    than three: analysis is most of a rebuild)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = spelled_out(fold(token.text.lower()))
            yield token


class StopStemFilter(Filter):
    """Whoosh's StopFilter (stop words dropped, or only marked when highlighting asks to keep
    them) and the Indonesian stemmer, in one pass."""

    def __call__(self, tokens):
        stops = stop_words()
        for token in tokens:
            if token.text and token.text not in stops:
                token.stopped = False
                token.text = stem(token.text)
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


@cache  # one shared instance: each call of an analyzer makes its own tokens
def indonesian_analyzer():
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | FoldFilter()
        | QuantityFilter()
        | PhraseSynonymFilter()
        | StopStemFilter()
    )


@cache
def english_analyzer():
    """Whoosh's StemmingAnalyzer (``shoes`` → ``shoe``), with the same folding."""
    return RegexTokenizer() | FoldFilter() | StopFilter() | StemFilter()


def clear_caches() -> None:
    """Forget the stems of words seen so far and the tables read from ``data/``; Sastrawi's own
    dictionary stays loaded: it is the stemmer itself, read once per process like an import
    (some 85 ms), not something learned from the index or from queries."""
    _STEMS.clear()
    for cached in (
        synonyms,
        units,
        concepts,
        _phrase_starts,
        stop_words,
        stem_exceptions,
        indonesian_analyzer,
        english_analyzer,
    ):
        cached.cache_clear()


def terms(analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text)]
