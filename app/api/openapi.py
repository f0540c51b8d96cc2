"""The OpenAPI 3.1 document of the API (served at /api/v1/openapi.json, checked by the tests)."""

from app.catalog.forms import MAX_RUPIAH
from app.search.query import MIN_ORDER_BUCKETS, SORTS

MAX_ID_PARAMETER = 10**9  # as the search form checks it

NULLABLE_STRING = {"type": ["string", "null"]}

COMPONENTS = {
    "Region": {
        "type": "object",
        "required": ["code", "name"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "examples": ["35.16"]},
            "name": {"type": "string"},
        },
    },
    "IKMRef": {
        "type": "object",
        "required": ["id", "name", "region", "url"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "url": {"type": "string"},
            "region": {"$ref": "#/components/schemas/Region"},
        },
    },
    "CurationBadge": {
        "type": "object",
        "required": ["partner_id", "partner_name"],
        "additionalProperties": False,
        "properties": {
            "partner_id": {"type": "integer"},
            "partner_name": {"type": "string"},
            "round": NULLABLE_STRING,
        },
    },
    "ProductSummary": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "name",
            "url",
            "image",
            "price",
            "unit",
            "minimum_order",
            "ikm",
            "certifications",
            "curation_badges",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "url": {"type": "string"},
            "image": NULLABLE_STRING,
            "price": {"type": "integer", "description": "Rupiah per unit"},
            "unit": {"type": "string"},
            "minimum_order": {"type": "integer"},
            "ikm": {"$ref": "#/components/schemas/IKMRef"},
            "certifications": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Types of verified, current certificates",
            },
            "curation_badges": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/CurationBadge"},
            },
            "snippet": NULLABLE_STRING,
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
        },
    },
    "ProductList": {
        "type": "object",
        "required": ["items", "total", "page", "pages", "facets"],
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProductSummary"}},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "facets": {
                "type": "object",
                "description": (
                    "Counts per value of category, sector, certification, region, partner, price "
                    "and min_order. Filter by a sector with category=<its value>. A facet whose "
                    "own filter is in use is counted without it, so each count is what choosing "
                    "that value instead would find."
                ),
                "additionalProperties": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FacetValue"},
                },
            },
            "suggestion": NULLABLE_STRING,
            "fuzzy": {
                "type": "boolean",
                "description": "No exact match: the items matched words spelt similarly",
            },
            "loosened": {
                "type": "boolean",
                "description": "No product had every word of q: the items have some of them",
            },
            "fallback": {
                "type": "boolean",
                "description": "The index was unavailable: answered from the database, no facets",
            },
        },
    },
    "Certificate": {
        "type": "object",
        "required": ["type", "state", "valid_until"],
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string"},
            "state": {"enum": ["claimed", "verified", "rejected", "expired"]},
            "valid_until": NULLABLE_STRING,
        },
    },
    "IKM": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "url", "sector", "region", "verified", "story", "products"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "url": {"type": "string"},
            "sector": NULLABLE_STRING,
            "region": {"$ref": "#/components/schemas/Region"},
            "verified": {"type": "boolean"},
            "story": NULLABLE_STRING,
            "logo": NULLABLE_STRING,
            "founded": {"type": ["integer", "null"]},
            "products": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "url": {"type": "string"},
                    },
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    "incident": {"type": "string"},
                },
            }
        },
    },
}


_PRODUCT_EXTRA = {
    "description": {"type": "string"},
    "category": {"type": "string"},
    "materials": NULLABLE_STRING,
    "price_tiers": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["min_quantity", "unit_price"],
            "additionalProperties": False,
            "properties": {"min_quantity": {"type": "integer"}, "unit_price": {"type": "integer"}},
        },
    },
    "capacity_monthly": {"type": ["integer", "null"]},
    "lead_time_days": {"type": ["integer", "null"]},
    "photos": {"type": "array", "items": {"type": "string"}},
    "certificates": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}},
}
COMPONENTS["Product"] = {
    "type": "object",
    "additionalProperties": False,
    "required": [*COMPONENTS["ProductSummary"]["required"], *_PRODUCT_EXTRA],
    "properties": {**COMPONENTS["ProductSummary"]["properties"], **_PRODUCT_EXTRA},
}


def _param(name, schema, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PARAMETERS = [
    _param(
        "q",
        {"type": "string", "maxLength": 200},
        "Words to search; Indonesian word forms, synonyms and typos are understood",
    ),
    _param(
        "category",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID_PARAMETER},
        "A category id (a sector or a kind of product)",
    ),
    _param(
        "certification",
        {"enum": ["halal", "hki", "sni", "pirt", "bpom", "other"]},
        "Has a verified, current certificate of this type",
    ),
    _param(
        "region",
        {"type": "string", "pattern": "^[0-9]{2}[.][0-9]{2}$"},
        "Kemendagri kabupaten/kota code",
    ),
    _param(
        "partner",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID_PARAMETER},
        "Curated by this partner",
    ),
    _param(
        "min_price",
        {"type": "integer", "minimum": 0, "maximum": MAX_RUPIAH},
        "Lowest retail price (Rupiah)",
    ),
    _param(
        "max_price",
        {"type": "integer", "minimum": 0, "maximum": MAX_RUPIAH},
        "Highest retail price (Rupiah)",
    ),
    _param("min_order", {"enum": [key for key, _, _ in MIN_ORDER_BUCKETS]}, "Minimum order range"),
    _param("sort", {"enum": list(SORTS)}, "Order of the results"),
    _param("page", {"type": "integer", "minimum": 1, "maximum": 1000}, "Page (24 items each)"),
]


PATH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json(schema_name):
    return {
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}
    }


def document(server_url: str) -> dict:
    not_found = {"description": "Not listed or not found", **_json("Error")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Etalase API",
            "version": "1.0.0",
            "description": "Curated products of Indonesia's small and medium industries (IKM).",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/products": {
                "get": {
                    "summary": "Search the curated catalogue",
                    "operationId": "listProducts",
                    "parameters": PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "A page of products with facet counts",
                            **_json("ProductList"),
                        },
                        "400": {
                            "description": "Bad parameters, with a message per field",
                            **_json("Error"),
                        },
                    },
                }
            },
            "/products/{id}": {
                "get": {
                    "summary": "One listed product",
                    "operationId": "getProduct",
                    "parameters": [PATH_ID],
                    "responses": {
                        "200": {"description": "The product", **_json("Product")},
                        "404": not_found,
                    },
                }
            },
            "/ikms/{id}": {
                "get": {
                    "summary": "One verified IKM and its curated products",
                    "operationId": "getIKM",
                    "parameters": [PATH_ID],
                    "responses": {
                        "200": {"description": "The IKM", **_json("IKM")},
                        "404": not_found,
                    },
                }
            },
        },
        "components": {"schemas": COMPONENTS},
    }
