from hypothesis import assume, given
from hypothesis import strategies as st

from app.curation.scoring import (
    Criterion,
    criterion_averages,
    shortfall_rates,
    summarise,
    weighted_score,
)

criteria_lists = st.lists(
    st.builds(
        Criterion,
        id=st.integers(1, 10_000),
        weight=st.integers(1, 50),
        scale_max=st.sampled_from([3, 4, 5, 7, 10]),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda c: c.id,
)


@st.composite
def rubric_and_scores(draw):
    criteria = draw(criteria_lists)
    scores = {c.id: draw(st.integers(1, c.scale_max)) for c in criteria}
    return criteria, scores


def test_examples():
    criteria = [Criterion(1, 3, 5), Criterion(2, 1, 5)]
    assert weighted_score({1: 5, 2: 5}, criteria) == 100
    assert weighted_score({1: 1, 2: 1}, criteria) == 0
    assert weighted_score({1: 5, 2: 1}, criteria) == 75
    assert weighted_score({1: 3, 2: 3}, criteria) == 50


def test_informational_criteria_do_not_count():
    criteria = [Criterion(1, 1, 5), Criterion(2, 5, 5, counts=False)]
    assert weighted_score({1: 5, 2: 1}, criteria) == 100
    assert weighted_score({1: 5}, [Criterion(1, 1, 5, counts=False)]) is None


@given(rubric_and_scores(), st.integers(2, 20))
def test_weights_are_scale_free(data, factor):
    criteria, scores = data
    scaled = [Criterion(c.id, c.weight * factor, c.scale_max) for c in criteria]
    assert abs(weighted_score(scores, criteria) - weighted_score(scores, scaled)) < 0.011


@given(rubric_and_scores(), st.data())
def test_a_higher_score_on_any_criterion_never_lowers_the_total(data, draw):
    criteria, scores = data
    criterion = draw.draw(st.sampled_from(criteria))
    assume(scores[criterion.id] < criterion.scale_max)
    better = {**scores, criterion.id: scores[criterion.id] + 1}
    assert weighted_score(better, criteria) >= weighted_score(scores, criteria)


@given(rubric_and_scores())
def test_the_total_stays_between_0_and_100(data):
    criteria, scores = data
    assert 0 <= weighted_score(scores, criteria) <= 100


def test_summary_and_disagreement():
    summary = summarise([80, 50, 90])
    assert (summary.count, summary.mean, summary.median, summary.spread) == (3, 73.3, 80, 40)
    assert summary.disagrees
    assert not summarise([70, 75]).disagrees
    assert summarise([]).mean is None


def test_averages_and_shortfalls_per_criterion():
    criteria = [Criterion(1, 1, 5), Criterion(2, 1, 5)]
    reviews = [{1: 5, 2: 1}, {1: 3, 2: 2}]
    assert criterion_averages(reviews, criteria) == {1: 0.75, 2: 0.125}
    assert shortfall_rates(reviews, criteria) == {1: 0.0, 2: 1.0}
