"""Searching the catalogue: the one interface pages and the API call.

``search(params)`` answers from the Whoosh index, or, when the index is missing or unreadable,
from the database (``fallback.py``) with ``result.fallback`` set so that pages can say so.
"""

from __future__ import annotations

import heapq
import logging

from markupsafe import Markup, escape
from whoosh import highlight, query
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Results

from app.search import facets
from app.search.analysis import english_analyzer, indonesian_analyzer
from app.search.facets import MIN_ORDER_BUCKETS, PRICE_BUCKETS  # noqa: F401 - part of this interface
from app.search.params import SearchParams, SearchResult
from app.search.whoosh_index import IndexUnavailable, base_dir, searcher

log = logging.getLogger("etalase.search")

PAGE_SIZE = 24
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
TIME_LIMIT_S = 0.5
ID_FIELDS = ("name", "category", "description")
SORTS = {
    "relevance": None,
    "newest": ("listed_at", True),
    "price_asc": ("price", False),
    "price_desc": ("price", True),
}


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


def text_query(text: str, s=None):
    """Every word must match some field. A word the index does not know at all (a typo) may
    match close spellings in product names instead (edit distance 1)."""
    words = _words(text)
    if not words:
        return query.Every(), False
    clauses, fuzzy = [], False
    for term, en_term in words:
        options = [query.Term(name, term) for name in ID_FIELDS] + [query.Term("english", en_term)]
        if s is not None and len(term) >= 4 and not _known(s, term, en_term):
            options.append(query.FuzzyTerm("name", term, maxdist=1, prefixlength=2))
            fuzzy = True
        clauses.append(query.Or(options))
    return query.And(clauses), fuzzy


def _known(s, term: str, en_term: str) -> bool:
    return any(s.doc_frequency(name, term) for name in ID_FIELDS) or bool(s.doc_frequency("english", en_term))


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
    wanted, fuzzy = text_query(params.q, s)
    whole = combined(wanted, filters(params))
    hits, docnums = _run(s, whole, params)
    total = len(docnums)
    pages = max(1, -(-total // PAGE_SIZE))
    items = [_item(hit) for hit in hits]
    suggestion = _suggest(s, params.q) if fuzzy else None
    return SearchResult(items, total, min(params.page, pages), pages, _facets(s, whole, docnums), suggestion,
                        fuzzy=fuzzy and total > 0)


class _MarkFormatter(highlight.Formatter):
    """Matched words in <mark>, everything escaped (the text is the IKM's own)."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def _run(s, whole, params: SearchParams):
    """One pass over the matches: the page of hits, and every match's number for the facets."""
    sort = SORTS.get(params.sort)
    timed = TimeLimitCollector(s.collector(limit=None, scored=sort is None), timelimit=TIME_LIMIT_S, use_alarm=False)
    try:
        s.search_with_collector(whole, timed)
    except TimeLimit:
        log.warning("search cut short by the time limit: %r", whole)
    everything = timed.results()
    docnums = [docnum for _, docnum in everything.top_n]
    wanted = params.page * PAGE_SIZE
    if sort is not None:
        values = facets.sort_column(s, sort[0])
        pick = heapq.nlargest if sort[1] else heapq.nsmallest
        ranked = pick(wanted, docnums, key=values.__getitem__)
    else:
        ranked = docnums[:wanted]
    start = (params.page - 1) * PAGE_SIZE
    page = Results(s, whole, [(0.0, docnum) for docnum in ranked[start:start + PAGE_SIZE]])
    page.fragmenter = highlight.ContextFragmenter(maxchars=120, surround=30)
    page.formatter = _MarkFormatter()
    return page[0:PAGE_SIZE], docnums  # slicing, not list(): this Results has no collector


def _item(hit) -> dict:
    fields = hit.fields()
    snippet = hit.highlights("description", text=hit.get("summary", ""), top=2)
    # _MarkFormatter escaped every piece of the text; only its own <mark> tags are markup.
    fields["snippet"] = Markup(snippet) if snippet else None  # noqa: S704
    fields["id"] = int(fields["id"])
    fields["certifications"] = fields.get("certifications", "").split()
    fields["partners"] = [int(p) for p in fields.get("partners", "").split()]
    return fields


_FACET_CACHE: dict[tuple, dict] = {}


def _facets(s, whole, docnums: list[int]) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the whole match, once per query and index generation."""
    key = (str(base_dir()), s.ixreader.generation(), repr(whole))
    if key not in _FACET_CACHE:
        if len(_FACET_CACHE) >= 512:
            _FACET_CACHE.clear()
        _FACET_CACHE[key] = facets.count(s, docnums)
    return _FACET_CACHE[key]


def _suggest(s, text: str) -> str | None:
    """"Did you mean": each unknown word replaced by the closest product-name word, if any."""
    corrector = s.corrector("name")
    words = [term for term, _ in _words(text)]
    corrected = []
    for term, en_term in _words(text):
        found = [] if _known(s, term, en_term) else corrector.suggest(term, limit=1, maxdist=2)
        corrected.append(found[0] if found else term)
    return " ".join(corrected) if corrected != words else None
