"""What the engine keeps per Whoosh segment survives a change to the catalogue: after a commit a
search answers right and reads only the new segment (and the deletions); highlighting is done
for the shown page only; the whole catalogue (home page, catalogue before any search) is
answered without visiting every product, with the same items and counts as a full search."""

from unittest import mock

import pytest

from app.catalog import services
from app.catalog.models import Product
from app.core import clock, effects
from app.extensions import db
from tests.search.conftest import names, search


def _segments(app) -> list[tuple]:
    from app.search import engine, whoosh_index

    with app.app_context():
        return [key for key, _, _ in engine.segments(whoosh_index.searcher().ixreader)]


def _offsets(app) -> dict[tuple, int]:
    """Where each segment's documents start in the live index's numbering."""
    from app.search import engine, whoosh_index

    with app.app_context():
        return {key: at for key, _, at in engine.segments(whoosh_index.searcher().ixreader)}


def _change(app, product_id: int, **fields) -> None:
    """What a request that edits a product does: commit, then index once the answer is sent."""
    with app.app_context():
        product = db.session.get(Product, product_id)
        for name, value in fields.items():
            setattr(product, name, value)
        services.product_changed(product)
        db.session.commit()
        effects.run_pending(db.session())


def test_after_a_change_search_is_right_and_reads_only_the_new_segment(app, listing):
    from app.search import engine, facets

    kept = listing.listed(name="Sepatu Kulit Sapi", description="Kulit asli.")
    renamed = listing.listed(name="Sepatu Kanvas", description="Kanvas tebal.")
    gone = listing.listed(name="Sepatu Rajut", description="Rajutan tangan.")
    assert sorted(names(app, q="sepatu")) == ["Sepatu Kanvas", "Sepatu Kulit Sapi", "Sepatu Rajut"]
    before = _segments(app)
    columns = {key: facets._segment_columns[key] for key in before}
    at = _offsets(app)
    postings = {key: engine._segment_terms.get((*key, at[key], "name", "sepatu")) for key in before}
    assert all(found is not None for found in postings.values())
    from app.search import whoosh_index

    ids = {segment_id for _, segment_id in before}
    copies = {  # the terms and postings copied out of each segment
        key: data for key, data in whoosh_index._copies.items() if key[1].split(".")[0] in ids
    }
    assert copies

    _change(app, renamed.id, name="Sepatu Anyaman", description="Anyaman pandan.")
    _change(app, gone.id, archived_at=clock.now())  # no longer listed: only deleted
    read_before = engine.stats["segment_terms_read"]

    found = search(app, q="sepatu")
    read = engine.stats["segment_terms_read"] - read_before
    assert sorted(item.name for item in found.items) == ["Sepatu Anyaman", "Sepatu Kulit Sapi"]
    assert found.total == 2 and sum(n for _, n in found.facets["sector"]) == 2
    assert names(app, q="kanvas") == [] and names(app, q="rajut") == []
    assert names(app, q="anyaman") == ["Sepatu Anyaman"]
    after = _segments(app)
    new = [key for key in after if key not in before]
    assert all(_offsets(app)[key] == at[key] for key in before)  # new segments come after
    assert set(before) <= set(after) and len(new) == 1  # Whoosh merged nothing
    # The old segments' posting lists and columns are the very objects read before the change.
    for key in before:
        assert facets._segment_columns[key] is columns[key]
        assert engine._segment_terms.get((*key, at[key], "name", "sepatu")) is postings[key]
    # Nor were their files copied again: the new readers share the copies made before.
    for key, data in copies.items():
        assert whoosh_index._copies.get(key) is data
    # "sepatu" in the name, category, description and maker fields: of the new segment only.
    assert read == 4
    assert kept.id in {item.id for item in found.items}


def test_only_the_shown_page_is_highlighted(app, listing, monkeypatch):
    from app.search import query

    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for number in range(5):
        listing.listed(name=f"Sepatu Model {number}", description="Sepatu kulit untuk kerja.")
    with mock.patch.object(query, "_marked", wraps=query._marked) as marked:
        found = search(app, q="sepatu", page=2)
    assert found.total == 5 and len(found.items) == 2
    shown = {item.name for item in found.items}
    highlighted = {call.args[0] for call in marked.call_args_list}
    assert {text for text in highlighted if text.startswith("Sepatu Model")} == shown
    assert marked.call_count <= 3 * len(found.items)  # name, maker and excerpt of each
    assert all(item.name_marked is not None for item in found.items)


@pytest.mark.parametrize("sort", ["relevance", "newest", "price_asc", "price_desc"])
def test_the_whole_catalogue_without_visiting_every_product_is_the_full_search(
    app, listing, frozen_clock, monkeypatch, sort
):
    """Equal listing times (a frozen clock) and prices, deletions and several segments: the
    fast path orders and counts as the search over every document does."""
    from app.search import engine, facets, query

    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    made = []
    for number, (category, price) in enumerate(
        [
            ("sepatu-wanita", 50_000),
            ("keripik", 20_000),
            ("sepatu-wanita", 20_000),
            ("keripik", 75_000),
        ]
    ):
        made.append(
            listing.listed(
                name=f"Barang {number}", category=category, retail_price=price, price_tiers=[]
            )
        )
    _change(app, made[1].id, name="Barang Satu")  # a deletion and a new segment
    pages = []
    for page in (1, 2, 3):
        with (
            mock.patch.object(facets, "count", wraps=facets.count) as counted,
            mock.patch.object(engine, "all_docs", wraps=engine.all_docs) as every,
        ):
            fast = search(app, sort=sort, page=page)
        assert not counted.called and not every.called
        with mock.patch.object(query, "_unfiltered", return_value=False):
            query.clear_caches()  # the counts of the fast path are cached under the same query
            full = search(app, sort=sort, page=page)
        query.clear_caches()
        assert [item.id for item in fast.items] == [item.id for item in full.items]
        assert (fast.total, fast.page, fast.pages) == (full.total, full.page, full.pages)
        assert fast.facets == full.facets
        pages.append([item.id for item in fast.items])
    assert sorted(pages[0] + pages[1]) == sorted(product.id for product in made)
    assert pages[2] == pages[1]  # past the last page: the last page
