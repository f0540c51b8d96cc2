import pytest


@pytest.fixture(autouse=True)
def _categories(categories):
    """Every curation test has the taxonomy."""


@pytest.fixture
def scene(curation):
    """A partner (admin, three curators), an open round, and a submitted shoe product."""
    partner, admin, curators = curation.partner()
    round = curation.round(partner, admin)
    owner, product = curation.product()
    submission = curation.submission(round, owner, product)
    return type(
        "Scene",
        (),
        dict(
            partner=partner,
            admin=admin,
            curators=curators,
            round=round,
            owner=owner,
            product=product,
            submission=submission,
        ),
    )
