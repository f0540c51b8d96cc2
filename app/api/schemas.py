"""The shapes of the API: the answers are built through these models and the OpenAPI document is
generated from them, so the two cannot drift. ``ProductQuery`` states the query parameters with
the ranges, patterns, choices and defaults that ``SearchForm`` enforces (the form stays the
validator, for its messages in the user's language; tests/api/test_openapi.py probes both)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel
from pydantic.json_schema import SkipJsonSchema

from app.catalog.models import CertificateStatus, CertificateType
from app.core.paging import ROWS as PRODUCT_REFS
from app.search import MIN_ORDER_BUCKETS, PAGE_SIZE, SORTS
from app.showcase.forms import MAX_ID, MAX_PAGE, MAX_PRICE, MAX_QUERY_CHARS, REGION_PATTERN

CertificateKind = Literal[tuple(kind.value for kind in CertificateType)]
ShownCertificateState = Literal[
    tuple(s.value for s in CertificateStatus if s != CertificateStatus.REJECTED)
]
FacetName = Literal[
    "category", "sector", "certification", "region", "partner", "price", "min_order"
]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]


class Answer(BaseModel):
    """Base of every answer: a field the model does not name is an error, never sent."""

    model_config = ConfigDict(extra="forbid")


class Region(Answer):
    code: Annotated[str, Field(examples=["35.16"], description="Kemendagri kabupaten/kota code")]
    name: str


class IKMRef(Answer):
    id: int
    name: str
    url: Url
    region: Region


class CurationBadge(Answer):
    partner_id: int
    partner_name: str
    round: str | None


class _ProductFields(Answer):
    id: int
    name: str
    url: Url
    image: Url | None
    price: Annotated[int, Field(description="Rupiah per unit")]
    unit: str
    minimum_order: int
    ikm: IKMRef
    certifications: Annotated[
        list[CertificateKind], Field(description="Types of verified, current certificates")
    ]
    curation_badges: Annotated[
        list[CurationBadge], Field(description="One for each round that accepted the product")
    ]


class ProductSummary(_ProductFields):
    snippet: Annotated[
        str | None,
        Field(description="Where the words of q occur, each marked <mark>…</mark>; HTML"),
    ]


class FacetValue(Answer):
    value: str
    label: str
    count: int


class Facets(RootModel[dict[FacetName, list[FacetValue]]]):
    """Counts per value of category, sector, certification, region, partner, price and
    min_order. Filter by a sector with category=<its value>. A facet whose own filter is in use
    is counted without it, so each count is what choosing that value instead would find. Empty
    when the index was unavailable (fallback)."""


class ProductList(Answer):
    items: Annotated[list[ProductSummary], Field(description=f"At most {PAGE_SIZE} a page")]
    total: int
    page: int
    pages: int
    facets: Facets
    suggestion: Annotated[str | None, Field(description="A spelling of q the index knows")]
    fuzzy: Annotated[
        bool, Field(description="No exact match: the items matched words spelt similarly")
    ]
    loosened: Annotated[
        bool,
        Field(
            description="No product had every word of q: the items have the words that say"
            " what the product is (a word the catalogue does not know is never dropped)"
        ),
    ]
    fallback: Annotated[
        bool,
        Field(description="The index was unavailable: answered from the database, no facets"),
    ]


class Certificate(Answer):
    """A certificate a buyer may see: verified, being verified (claimed) or expired. A refused
    claim is never shown."""

    type: CertificateKind
    state: ShownCertificateState
    valid_until: date | None


class PriceTier(Answer):
    min_quantity: int
    unit_price: Annotated[int, Field(description="Rupiah per unit")]


class Product(_ProductFields):
    """One listed product."""

    description: str
    category: str
    materials: str | None
    price_tiers: list[PriceTier]
    capacity_monthly: int | None
    lead_time_days: int | None
    photos: list[Url]
    certificates: list[Certificate]


class ProductRef(Answer):
    id: int
    name: str
    url: Url


class IKM(Answer):
    """One verified IKM and its listed products."""

    id: int
    name: str
    url: Url
    sector: str | None
    region: Region
    verified: bool
    story: str | None
    logo: Url | None
    founded: int | None
    products: Annotated[
        list[ProductRef],
        Field(description=f"One page of its listed products ({PRODUCT_REFS} each)"),
    ]
    products_total: Annotated[int, Field(description="How many products it has listed")]
    page: Annotated[int, Field(description="The page of products shown, from 1")]
    pages: Annotated[int, Field(description="How many pages of products there are")]


class IKMQuery(BaseModel):
    """The query parameter of GET /ikms/{id}."""

    page: Annotated[
        int, Field(ge=1, le=MAX_PAGE, description=f"Page of its products ({PRODUCT_REFS} each)")
    ] = 1


class ErrorBody(Answer):
    status: int
    message: Annotated[str, Field(description="In the language asked for (Accept-Language)")]
    fields: dict[str, list[str]] | SkipJsonSchema[None] = Field(
        None, description="Per parameter, what is wrong with it"
    )
    incident: str | SkipJsonSchema[None] = Field(
        None, description="The number to quote when reporting a failure"
    )


class Error(Answer):
    error: ErrorBody


def _optional(kind, description: str, **constraints):
    """A parameter that may be left out (or sent empty): the document states only the value."""
    return Annotated[
        Annotated[kind, Field(**constraints)] | SkipJsonSchema[None],
        Field(description=description),
    ]


class ProductQuery(BaseModel):
    """The query parameters of GET /products. Each may be left out; an empty or blank value
    counts as not given; of a repeated parameter the first counts; others are ignored."""

    q: Annotated[
        str,
        Field(
            max_length=MAX_QUERY_CHARS,
            description="Words to search; Indonesian word forms, synonyms and typos are understood",
        ),
    ] = ""
    category: _optional(int, "A category id: a sector or a kind of product", ge=1, le=MAX_ID) = None
    certification: _optional(
        CertificateKind, "Has a verified, current certificate of this type"
    ) = None
    region: _optional(
        str,
        "Kemendagri kabupaten/kota code; empty means any region",
        pattern=REGION_PATTERN,
        examples=["35.16"],
    ) = None
    partner: _optional(int, "Curated by this partner (its id)", ge=1, le=MAX_ID) = None
    min_price: _optional(int, "Lowest retail price (Rupiah)", ge=0, le=MAX_PRICE) = None
    max_price: _optional(
        int, "Highest retail price (Rupiah); not below min_price", ge=0, le=MAX_PRICE
    ) = None
    min_order: _optional(
        Literal[tuple(key for key, _, _ in MIN_ORDER_BUCKETS)],
        "Minimum order range, in units (a key of the min_order facet)",
    ) = None
    sort: Annotated[Literal[tuple(SORTS)], Field(description="Order of the results")] = "relevance"
    page: Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"Page ({PAGE_SIZE} items each)")] = 1
