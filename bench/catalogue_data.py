"""The benchmarks' catalogue and searches: the catalogue is the product's own generator
(``app.demo.bulk``, also behind ``flask seed-demo --products N``); the searches are made of its
words."""

from __future__ import annotations

import itertools
import random

from app.demo.words import MATERIALS, REGENCIES, WORDS


def generate(count: int, seed: int = 42, ikms: int | None = None) -> None:
    """Insert ``count`` listed products (with IKMs, partners, rounds, certificates) and commit;
    ``ikms`` IKMs (default: one per 50 products)."""
    from app.demo import bulk
    from app.extensions import db

    bulk.generate(count, seed, ikms=ikms)
    db.session.commit()
    bulk.analyze()
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
