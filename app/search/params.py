"""What a search asks and what it answers (plain data, shared by the pages, the API and backends)."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

PAGE_SIZE = 24
MAX_QUERY_CHARS = 200  # longer searches are cut
SORTS = ("relevance", "newest", "price_asc", "price_desc")
# Facet ranges: (key, lowest, highest); None is open-ended.
PRICE_BUCKETS = [
    ("0-49999", 0, 49_999),
    ("50000-99999", 50_000, 99_999),
    ("100000-249999", 100_000, 249_999),
    ("250000-499999", 250_000, 499_999),
    ("500000-999999", 500_000, 999_999),
    ("1000000-", 1_000_000, None),
]
MIN_ORDER_BUCKETS = [
    ("1-1", 1, 1),
    ("2-12", 2, 12),
    ("13-50", 13, 50),
    ("51-200", 51, 200),
    ("201-", 201, None),
]


def bucket(buckets, key: str) -> tuple[int | None, int | None]:
    """The (lowest, highest) of the range named ``key``; (None, None) when there is none."""
    for name, low, high in buckets:
        if name == key:
            return low, high
    return None, None


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    category: int | None = None  # a sector or a kind of product
    certification: str | None = None
    region: str | None = None  # kabupaten/kota code
    partner: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    min_order: str | None = None  # one of MIN_ORDER_BUCKETS' keys
    sort: str = "relevance"
    page: int = 1


@dataclass(frozen=True)
class SearchItem:
    """One product in a result, as its card and the API show it (the index and the database
    fallback build the same)."""

    id: int
    name: str
    price: int
    unit: str
    min_order: int
    ikm_id: int
    ikm_name: str
    regency: str = ""  # kabupaten/kota code
    image: str = ""  # the cover photo's storage key
    certifications: tuple[str, ...] = ()  # verified, valid certificate kinds
    partners: tuple[int, ...] = ()  # partners whose curation lists it
    # Matched words in <mark> (escaped text); None when nothing matched or nothing was marked.
    name_marked: Markup | None = None
    ikm_name_marked: Markup | None = None
    snippet: Markup | None = None  # a marked excerpt of the product's text


@dataclass
class SearchResult:
    items: list[SearchItem]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False  # matched similar words, not the exact ones
    loosened: bool = False  # no product had every word: these have some of them
    fallback: bool = False  # the index was unavailable: answered from the database
