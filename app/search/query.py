"""Searching the catalogue: the one interface pages and the API call.

``search(params)`` answers from the Whoosh index, or, when the index is missing, unreadable or
fails in any other way, from the database (``fallback.py``) with ``result.fallback`` set so
that pages can say so.
"""

from __future__ import annotations

import functools
import heapq
import math

from markupsafe import Markup, escape
from whoosh import highlight

from app.search import engine, facets
from app.search.analysis import english_analyzer, indonesian_analyzer
from app.search.params import MAX_QUERY_CHARS, PAGE_SIZE, SearchItem, SearchParams, SearchResult
from app.search.whoosh_index import generation_key, searcher

MAX_TERMS = 8
TIME_LIMIT_S = 0.5


# -- running a search ------------------------------------------------------------------------

# Where a word is found says how much it tells about the product: its name, then its category
# (with the words attached to it), then who makes it and where, then its description. A word found
# in several fields counts in each ("kopi" in a coffee's name and category, above a coffee
# cup's name). Each word's weights are scaled by its rarity in the catalogue.
FIELD_WEIGHTS = (("name", 3.0), ("category", 2.0), ("description", 1.0), ("maker", 1.5))
ENGLISH_WEIGHT = 1.0
FUZZY_WEIGHT = 1.5  # a close spelling in the name: below an exact name match
SORT_COLUMNS = {
    "newest": ("listed_col", True),
    "price_asc": ("price_col", False),
    "price_desc": ("price_col", True),
}


def _words(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(Indonesian term, English term, where it is in the text) for each word of the query, at
    most MAX_TERMS."""
    text = text[:MAX_QUERY_CHARS]
    english = english_analyzer()
    found = []
    for token in indonesian_analyzer()(text, chars=True):
        surface = text[token.startchar : token.endchar]
        en_terms = [t.text for t in english(surface)]
        found.append(
            (token.text, en_terms[0] if en_terms else token.text, (token.startchar, token.endchar))
        )
        if len(found) >= MAX_TERMS:
            break
    return found


class _Word:
    """The documents one query word reaches, per field (sets of document numbers)."""

    def __init__(self, reader, term, en_term, span, deadline: engine.Deadline):
        self.term = term
        self.span = span
        found = {name: engine.docs(reader, name, term) for name, _ in FIELD_WEIGHTS}
        self.fields = [(found[name], weight) for name, weight in FIELD_WEIGHTS]
        self.in_name, self.description = found["name"], found["description"]
        self.in_text = (found["description"], found["maker"])  # the summary and the maker
        # A word of some category's name or attached words names a kind of product.
        self.kind = bool(found["category"])
        # The English field repeats the name; a word that reads the same in both analyses
        # ("sepatu", "batik") would only find there what the Indonesian fields found already.
        english = engine.docs(reader, "english", en_term) if en_term != term else set()
        self.fields.append((english, ENGLISH_WEIGHT))
        self.exact = any(found for found, _ in self.fields)  # found as typed, in some field
        self.near: list[str] = []
        if not self.exact and len(term) >= 4 and term.isalpha() and not deadline.passed():
            self.near = _near(reader, term)
            nearby: set[int] = set()
            for candidate in self.near:
                nearby |= engine.docs(reader, "name", candidate)
            self.fields.append((nearby, FUZZY_WEIGHT))
        self.all = set().union(*(found for found, _ in self.fields))
        self.weight = 1.0  # its rarity, set by search() once the catalogue's size is known

    @functools.cached_property
    def strong(self) -> set[int]:
        """Where the word is found other than the description: in what the product is, or who
        makes it where; or anywhere, for a word that names a kind of product (a description
        calling a brass statue "suvenir" makes it one). See _matching."""
        if self.kind:
            return self.all
        # By identity: the description's own set (an empty one adds nothing either way).
        others = (found for found, _ in self.fields if found is not self.description)
        return set().union(*others)

    def scored(self, docset: set[int]) -> dict[float, set[int]]:
        """Those of ``docset`` holding this word, grouped by its score in each: the sum of the
        weights of the fields it is found in, times the word's rarity."""
        parts = {0.0: docset & self.all}
        for found, weight in self.fields:
            if not found:
                continue
            split: dict[float, set[int]] = {}
            for score, members in parts.items():
                inside = members & found
                if inside:
                    key = round(score + weight * self.weight, 6)
                    split.setdefault(key, set()).update(inside)
                    members = members - inside
                if members:
                    split.setdefault(score, set()).update(members)
            parts = split
        return parts


def _near(reader, term: str) -> list[str]:
    """Product-name words one letter off ``term`` (one added, dropped or changed, keeping the
    first letter: "spatu" → "sepatu"), or with two neighbouring letters swapped ("robusat" →
    "robusta"), which Whoosh counts as two."""
    found = [
        t.decode() if isinstance(t, bytes) else t
        for t in reader.terms_within("name", term, 1, prefix=1)
    ][:20]
    swapped = {term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(len(term) - 1)}
    found += sorted(t for t in swapped - {term, *found} if engine.docs(reader, "name", t))
    return found


MAX_PHRASE_CHECKS = 300


def _matching(s, words: list[_Word]) -> set[int]:
    """Products holding every word. A description adds products to an answer but does not make
    one alone: when no product has the words other than in its description, only those where
    they stand side by side there answer. So "pedas" finds the sambal whose description says
    it is spicy (other products have "pedas" in their names), "jahitan tangan" and "tanpa
    pengawet" are found in descriptions, but "beras" is not answered by chips made with rice
    flour, "laptop" by a bag with a laptop pocket ("tas laptop" still finds it), "minyak
    goreng" by chips "digoreng dengan minyak", nor "tepung beras" by chips with rice flour
    among their materials. Beyond MAX_PHRASE_CHECKS such products, the rest are kept unread:
    so many descriptions saying the words is itself an answer."""
    found = set.intersection(*(word.all for word in words))
    if not found or any(word.kind for word in words):  # a kind's word counts anywhere
        return found
    if not found.isdisjoint(set().union(*(word.strong for word in words))):
        return found
    if len(words) < 2 or any(word.near for word in words):
        return set()
    wanted = [word.term for word in words]
    checked = sorted(found)[:MAX_PHRASE_CHECKS]
    side_by_side = {d for d in checked if _has_phrase(_phrase_text(s.stored_fields(d)), wanted)}
    return side_by_side | (found - set(checked))


def _phrase_text(fields: dict) -> str:
    """The description and attributes, without the materials: "tepung beras" among a chip's
    materials does not make it rice flour."""
    summary, materials = fields.get("summary") or "", fields.get("materials") or ""
    return summary.replace(materials, " ") if materials else summary


def _has_phrase(text: str, wanted: list[str]) -> bool:
    terms = [token.text for token in indonesian_analyzer()(text)]
    n = len(wanted)
    return any(terms[i : i + n] == wanted for i in range(len(terms) - n + 1))


def _kept_when_loosened(words: list[_Word]) -> list[_Word] | None:
    """The words a loosened search still requires, or None when it must not loosen.

    Only words the catalogue knows that do not name a kind of product may be dropped, and never
    the first (Indonesian puts the thing first: "meja kopi" is a table, "sepatu biru" shoes). A
    word the catalogue does not know at all ("luwak", "bola") is what the buyer asks for, so it
    stays, and what remains must still name a kind of product: "susu sapi" does not become
    "sapi", a leather, nor "kopi luwak" any coffee.
    """
    kept = [w for i, w in enumerate(words) if i == 0 or not w.exact or w.kind]
    if len(kept) == len(words) or not any(w.kind for w in kept):
        return None
    return kept


def search(params: SearchParams) -> SearchResult:
    """Answer from the Whoosh index; raises IndexUnavailable when there is none to read."""
    s = searcher()
    reader = s.reader()
    deadline = engine.Deadline(TIME_LIMIT_S)
    words = [_Word(reader, *found, deadline) for found in _words(params.q)]
    if not words and _unfiltered(params):
        return _browse(s, reader, params)
    candidates = engine.all_docs(reader) if not words else _matching(s, words)
    matched = candidates
    docnums = list(_filtered(s, reader, matched, params))
    loosened = False
    kept = _kept_when_loosened(words) if not docnums and len(words) > 1 else None
    if kept:  # no product has every word: those with the words that say what it is
        wider = _matching(s, kept)
        docnums = list(_filtered(s, reader, wider, params))
        matched, loosened = wider, bool(docnums)
    deleted, size = engine.deleted_and_size(reader)
    live = (size - len(deleted)) or 1
    for word in words:  # rarer words weigh more ("kulit" is on every bag and shoe)
        word.weight = math.log(1 + live / (1 + len(word.all)))
    ranked = _rank(s, docnums, words, params)
    total = len(docnums)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(params.page, pages)
    start = (page - 1) * PAGE_SIZE
    terms = {w.term for w in words} | {t for w in words for t in w.near}
    items = [_item(s, docnum, terms, words) for docnum in ranked[start : start + PAGE_SIZE]]
    fuzzy = any(w.near for w in words)
    suggestion = (
        _suggest(s, words, params.q) if fuzzy or (params.q.strip() and total == 0) else None
    )
    key = (*generation_key(reader), repr(params.q), repr(_filter_key(params)))
    counts = _facets(
        s, key, docnums, _active(params), lambda skip: _filtered(s, reader, matched, params, skip)
    )
    return SearchResult(
        items,
        total,
        page,
        pages,
        counts,
        suggestion,
        fuzzy=fuzzy and total > 0,
        loosened=loosened,
    )


def _browse(s, reader, params: SearchParams) -> SearchResult:
    """The whole catalogue (the home page's newest products and sector counts, the catalogue
    before any search): the same answer as matching every document, without visiting each.
    The first page comes from each segment's order by the sort column, kept once; the counts
    from each segment's counts, less its deleted documents."""
    deleted, size = engine.deleted_and_size(reader)
    total = size - len(deleted)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(params.page, pages)
    field, descending = SORT_COLUMNS.get(params.sort) or SORT_COLUMNS["newest"]
    ranked = facets.newest(s, field, descending, page * PAGE_SIZE)
    start = (page - 1) * PAGE_SIZE
    items = [_item(s, docnum, set(), []) for docnum in ranked[start : start + PAGE_SIZE]]
    key = (*generation_key(reader), "", repr(_filter_key(params)))
    if key not in _FACET_CACHE:
        if len(_FACET_CACHE) >= 512:
            _FACET_CACHE.clear()
        _FACET_CACHE[key] = facets.count_all(s)
    return SearchResult(items, total, page, pages, _FACET_CACHE[key])


def _unfiltered(params: SearchParams) -> bool:
    return (
        params.category is None
        and not params.certification
        and not params.region
        and params.partner is None
        and params.min_price is None
        and params.max_price is None
        and not params.min_order
    )


def _filter_key(params: SearchParams) -> tuple:
    return (
        params.category,
        params.certification,
        params.region,
        params.partner,
        params.min_price,
        params.max_price,
        params.min_order,
    )


def _active(params: SearchParams) -> list[str]:
    """The facets whose own filter is in use (category drills down, so it is not one of them)."""
    active = {
        "certification": params.certification,
        "region": params.region,
        "partner": params.partner,
        "price": params.min_price is not None or params.max_price is not None,
        "min_order": params.min_order,
    }
    return [name for name, value in active.items() if value]


def _filtered(
    s, reader, candidates: set[int], params: SearchParams, skip: str | None = None
) -> set[int]:
    """``candidates`` narrowed by every filter but ``skip`` (a facet's name)."""
    if params.category is not None:
        value = str(params.category)
        candidates = candidates & (
            engine.docs(reader, "category_id", value) | engine.docs(reader, "sector_id", value)
        )
    for name, field, value in (
        ("certification", "certifications", params.certification),
        ("region", "regency", params.region),
        ("partner", "partners", None if params.partner is None else str(params.partner)),
    ):
        if value and skip != name:
            candidates = candidates & engine.docs(reader, field, value)
    if (params.min_price is not None or params.max_price is not None) and skip != "price":
        prices = facets.sort_column(s, "price_col")
        low = params.min_price if params.min_price is not None else 0
        high = params.max_price if params.max_price is not None else float("inf")
        candidates = {d for d in candidates if low <= prices[d] <= high}
    if params.min_order and skip != "min_order":
        buckets = facets.columns_for(s)["min_order"]
        candidates = {d for d in candidates if buckets[d] == params.min_order}
    return candidates


def _rank(s, docnums: list[int], words: list[_Word], params: SearchParams) -> list[int]:
    wanted = params.page * PAGE_SIZE
    sort = SORT_COLUMNS.get(params.sort) or (None if words else SORT_COLUMNS["newest"])
    if sort is not None:
        values = facets.sort_column(s, sort[0])
        pick = heapq.nlargest if sort[1] else heapq.nsmallest
        # Equal values in document order, as facets.newest gives them.
        return pick(wanted, sorted(docnums), key=values.__getitem__)
    return _by_score(docnums, words, wanted, facets.sort_column(s, "rank_col").__getitem__)


def _by_score(docnums: list[int], words: list[_Word], wanted: int, order) -> list[int]:
    """The ``wanted`` best: products with more of the words first (a loosened search), then by
    score (the sum of each word's field weights times its rarity), then by ``order`` (the
    ``rank_col``: curation, completeness, date).

    Documents are grouped by score with set operations (in C) rather than scored one by one:
    each word splits the candidates by the fields holding it, and those splits combine into a
    handful of groups. Only the best groups are then ordered.
    """
    everything = set(docnums)
    groups: dict[tuple[int, float], set[int]] = {(0, 0.0): everything}
    for word in words:
        parts = word.scored(everything)
        split: dict[tuple[int, float], set[int]] = {}
        for (count, score), members in groups.items():
            rest = members
            for part_score, part in parts.items():
                inside = rest & part
                if inside:
                    key = (count + 1, round(score + part_score, 6))
                    split.setdefault(key, set()).update(inside)
                    rest = rest - inside
                if not rest:
                    break
            if rest:  # a loosened query: this word is not in these documents
                split.setdefault((count, score), set()).update(rest)
        groups = split
    ranked: list[int] = []
    for key in sorted(groups, reverse=True):
        need = wanted - len(ranked)
        if need <= 0:
            break
        ranked.extend(heapq.nlargest(need, groups[key], key=order))
    return ranked


class _MarkFormatter(highlight.Formatter):
    """Matched words in <mark>, everything escaped (the text is the IKM's own)."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def _marked(text: str, terms: frozenset[str], fragmenter: str) -> Markup | None:
    """The matched words of ``text`` in <mark>; None when nothing in it matched. ``fragmenter``:
    "whole" (a name) or "context" (an excerpt of the summary)."""
    if not terms or not text:
        return None
    return _highlighted(text, terms, fragmenter)


@functools.lru_cache(maxsize=4096)
def _highlighted(text: str, terms: frozenset[str], fragmenter: str) -> Markup | None:
    """Highlighting, kept for the texts that come back page after page: a maker's name is on
    every card of its products, and shoppers repeat the same words. Whoosh analyses the whole
    text again for each (a tenth of a search's time)."""
    fragments = (
        highlight.WholeFragmenter()
        if fragmenter == "whole"
        else highlight.ContextFragmenter(maxchars=120, surround=30)
    )
    marked = highlight.highlight(
        text, terms, indonesian_analyzer(), fragments, _MarkFormatter(), top=2
    )
    # _MarkFormatter escaped every piece of the text; only its own <mark> tags are markup.
    return Markup(marked) if marked else None  # noqa: S704


def _item(s, docnum: int, terms: set[str], words: list[_Word]) -> SearchItem:
    fields = s.stored_fields(docnum)
    return SearchItem(
        id=int(fields["id"]),
        name=fields["name"],
        price=fields["price"],
        unit=fields["unit"],
        min_order=fields["min_order"],
        ikm_id=int(fields["ikm_id"]),
        ikm_name=fields["ikm_name"],
        regency=fields.get("regency", ""),
        image=fields.get("image", ""),
        certifications=tuple(fields.get("certifications", "").split()),
        partners=tuple(int(p) for p in fields.get("partners", "").split()),
        **_marks(fields, docnum, frozenset(terms), words),
    )


def _marks(fields: dict, docnum: int, terms: frozenset[str], words: list[_Word]) -> dict:
    """The item's name, maker and an excerpt of its text with the matched words marked."""
    # Highlighting analyses the text again: skip it where the index says no word is. Words
    # matched by similar spelling (near) are only known for the name, so they always look.
    fuzzy = any(w.near for w in words)
    in_name = fuzzy or any(docnum in w.in_name for w in words)
    in_text = fuzzy or any(docnum in part for w in words for part in w.in_text)
    return {
        "name_marked": _marked(fields["name"], terms, "whole") if in_name else None,
        "ikm_name_marked": _marked(fields["ikm_name"], terms, "whole") if in_text else None,
        "snippet": _marked(fields.get("summary") or "", terms, "context") if in_text else None,
    }


_FACET_CACHE: dict[tuple, dict] = {}


def _facets(
    s, key: tuple, docnums: list[int], active: list[str], without
) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the whole match, once per query and index generation.

    A facet whose own filter is in use is counted without that filter (``without(name)``), so
    each of its values counts what choosing it instead would show: with "halal" chosen, "SNI (4)"
    leads to 4 products, not to the few that are both halal and SNI.
    """
    if key not in _FACET_CACHE:
        if len(_FACET_CACHE) >= 512:
            _FACET_CACHE.clear()
        counted = facets.count(s, docnums)
        for name in active:
            counted[name] = facets.count(s, list(without(name)), only=name)[name]
        _FACET_CACHE[key] = counted
    return _FACET_CACHE[key]


def clear_caches() -> None:
    """Forget the facet counts and highlights of past queries (``app.search.clear_caches``)."""
    _FACET_CACHE.clear()
    _highlighted.cache_clear()


def _suggest(s, words: list[_Word], text: str) -> str | None:
    """ "Did you mean": the query as typed, with each word unknown to the index replaced by the
    closest product-name word, when one is close: one letter off for words of up to five
    letters (so "halal" never turns into "alam"), two for longer ones. Numbers, symbols and
    words under three letters are left alone."""
    corrector = s.corrector("name")
    suggestion, changed = text, False
    for word in reversed(words):  # from the end, so that earlier positions stay valid
        if word.exact:
            continue
        if len(word.term) < 3 or not word.term.isalpha():
            continue
        maxdist = 1 if len(word.term) <= 5 else 2
        found = corrector.suggest(word.term, limit=1, maxdist=maxdist)
        if found:
            start, end = word.span
            suggestion = suggestion[:start] + found[0] + suggestion[end:]
            changed = True
    return " ".join(suggestion.split()) if changed else None
