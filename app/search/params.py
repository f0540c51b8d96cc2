"""What a search asks and what it answers (plain data, shared by the pages, the API and backends)."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class SearchResult:
    items: list[dict]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False  # matched similar words, not the exact ones
    loosened: bool = False  # no product had every word: these have some of them
    fallback: bool = False  # the index was unavailable: answered from the database
