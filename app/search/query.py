"""Searching the catalogue: the one interface pages and the API call.

``search(params)`` answers from the Whoosh index, or, when the index is missing or unreadable,
from the database (``fallback.py``) with ``result.fallback`` set so that pages can say so.
"""

from __future__ import annotations

import logging

from markupsafe import Markup, escape
from whoosh import highlight, query, sorting
from whoosh.collectors import TimeLimit, TimeLimitCollector

from app.search.analysis import english_analyzer, indonesian_analyzer
from app.search.params import SearchParams, SearchResult
from app.search.whoosh_index import IndexUnavailable, base_dir, searcher

log = logging.getLogger("etalase.search")

PAGE_SIZE = 24
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
TIME_LIMIT_S = 0.5
ID_FIELDS = ("name", "category", "description", "maker")
SORTS = {
    "relevance": None,
    "newest": ("listed_at", True),
    "price_asc": ("price", False),
    "price_desc": ("price", True),
}
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


def search(params: SearchParams) -> SearchResult:
    try:
        return _search_index(params)
    except IndexUnavailable as error:
        log.warning("search index unavailable (%s); answering from the database", error)
        from app.search.fallback import search as database_search

        return database_search(params)


# -- building queries ------------------------------------------------------------------------


def _words(text: str) -> list[tuple[str, str]]:
    """(Indonesian term, English term) for each word of the query, at most MAX_TERMS."""
    text = text[:MAX_QUERY_CHARS]
    english = english_analyzer()
    pairs = []
    for token in indonesian_analyzer()(text, chars=True):
        surface = text[token.startchar : token.endchar]
        en_terms = [t.text for t in english(surface)]
        pairs.append((token.text, en_terms[0] if en_terms else token.text))
        if len(pairs) >= MAX_TERMS:
            break
    return pairs


def text_query(text: str, fuzzy: bool = False):
    words = _words(text)
    if not words:
        return query.Every()
    clauses = []
    for term, en_term in words:
        options = [query.Term(name, term) for name in ID_FIELDS] + [query.Term("english", en_term)]
        if fuzzy and len(term) >= 4:
            options += [
                query.FuzzyTerm(name, term, boost=0.5, maxdist=1, prefixlength=1)
                for name in ("name", "description")
            ]
        clauses.append(query.Or(options))
    return query.And(clauses)


def filters(params: SearchParams):
    parts = []
    if params.category is not None:
        parts.append(
            query.Or(
                [
                    query.Term("category_id", str(params.category)),
                    query.Term("sector_id", str(params.category)),
                ]
            )
        )
    if params.certification:
        parts.append(query.Term("certifications", params.certification))
    if params.region:
        parts.append(query.Term("regency", params.region))
    if params.partner is not None:
        parts.append(query.Term("partners", str(params.partner)))
    if params.min_price is not None or params.max_price is not None:
        parts.append(query.NumericRange("price", params.min_price, params.max_price))
    if params.min_order:
        low, high = _bucket(MIN_ORDER_BUCKETS, params.min_order)
        parts.append(query.NumericRange("min_order", low, high))
    return query.And(parts) if parts else None


def combined(wanted, restrict):
    """The filters as required clauses that add nothing to the score.

    (Whoosh's own ``filter=`` miscounts the total when the query matches everything.)
    """
    if restrict is None:
        return wanted
    if isinstance(wanted, query.Every):
        return query.ConstantScoreQuery(restrict, 1.0)
    return query.And([wanted, query.ConstantScoreQuery(restrict, 0.0)])


def _bucket(buckets, key: str) -> tuple[int | None, int | None]:
    for name, low, high in buckets:
        if name == key:
            return low, high
    return None, None


# -- running them ----------------------------------------------------------------------------


def _search_index(params: SearchParams) -> SearchResult:
    s = searcher()
    wanted = text_query(params.q)
    restrict = filters(params)
    hits, total = _run(s, wanted, restrict, params)
    fuzzy = False
    if total == 0 and params.q.strip():
        hits, total = _run(s, text_query(params.q, fuzzy=True), restrict, params)
        fuzzy = total > 0
        wanted = text_query(params.q, fuzzy=True)
    pages = max(1, -(-total // PAGE_SIZE))
    items = [_item(hit) for hit in hits]
    facets = _facets(s, wanted, restrict)
    suggestion = _suggest(s, params.q) if params.q.strip() and (total < 3 or fuzzy) else None
    return SearchResult(items, total, min(params.page, pages), pages, facets, suggestion, fuzzy)


class _MarkFormatter(highlight.Formatter):
    """Matched words in <mark>, everything escaped (the text is the IKM's own)."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def _run(s, wanted, restrict, params: SearchParams):
    sort = SORTS.get(params.sort)
    collector = s.collector(
        limit=params.page * PAGE_SIZE,
        sortedby=sorting.FieldFacet(sort[0], reverse=sort[1]) if sort else None,
    )
    timed = TimeLimitCollector(collector, timelimit=TIME_LIMIT_S, use_alarm=False)
    try:
        s.search_with_collector(combined(wanted, restrict), timed)
    except TimeLimit:
        log.warning("search cut short by the time limit: %r", wanted)
    results = timed.results()
    results.fragmenter = highlight.ContextFragmenter(maxchars=120, surround=30)
    results.formatter = _MarkFormatter()
    start = (params.page - 1) * PAGE_SIZE
    return list(results[start : start + PAGE_SIZE]), len(results)


def _item(hit) -> dict:
    fields = hit.fields()
    snippet = hit.highlights("description", top=2) if hit.results.q is not None else ""
    # _MarkFormatter escaped every piece of the text; only its own <mark> tags are markup.
    fields["snippet"] = Markup(snippet) if snippet else None  # noqa: S704
    fields["id"] = int(fields["id"])
    fields["certifications"] = fields.get("certifications", "").split()
    fields["partners"] = [int(p) for p in fields.get("partners", "").split()]
    return fields


_FACET_CACHE: dict[tuple, dict] = {}


def _facets(s, wanted, restrict) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the whole match: computed once per query and index
    generation (not once per page), since broad queries are what make facets slow."""
    key = (str(base_dir()), s.ixreader.generation(), repr(wanted), repr(restrict))
    if key not in _FACET_CACHE:
        if len(_FACET_CACHE) >= 512:
            _FACET_CACHE.clear()
        _FACET_CACHE[key] = _count_facets(s, wanted, restrict)
    return _FACET_CACHE[key]


def _count_facets(s, wanted, restrict) -> dict[str, list[tuple[str, int]]]:
    facets = {
        "category": sorting.FieldFacet("category_id", maptype=sorting.Count),
        "sector": sorting.FieldFacet("sector_id", maptype=sorting.Count),
        "certification": sorting.FieldFacet(
            "certifications", allow_overlap=True, maptype=sorting.Count
        ),
        "region": sorting.FieldFacet("regency", maptype=sorting.Count),
        "partner": sorting.FieldFacet("partners", allow_overlap=True, maptype=sorting.Count),
        "price": sorting.QueryFacet(
            {name: query.NumericRange("price", low, high) for name, low, high in PRICE_BUCKETS},
            maptype=sorting.Count,
        ),
        "min_order": sorting.QueryFacet(
            {
                name: query.NumericRange("min_order", low, high)
                for name, low, high in MIN_ORDER_BUCKETS
            },
            maptype=sorting.Count,
        ),
    }
    results = s.search(combined(wanted, restrict), limit=1, groupedby=facets)
    counted = {}
    for name in facets:
        groups = results.groups(name)
        counted[name] = sorted(
            ((str(k), v) for k, v in groups.items() if k not in (None, "") and v),
            key=lambda item: -item[1],
        )
    return counted


def _suggest(s, text: str) -> str | None:
    """ "Did you mean": each word replaced by the closest name in the index, if any differ."""
    corrector = s.corrector("name")
    words = [term for term, _ in _words(text)]
    corrected = []
    for word in words:
        known = any(s.doc_frequency(name, word) for name in ID_FIELDS)
        found = [] if known else corrector.suggest(word, limit=1, maxdist=2)
        corrected.append(found[0] if found else word)
    return " ".join(corrected) if corrected != words else None
