"""The OpenAPI 3.1 document of the API (served at /api/v1/openapi.json), generated from the
pydantic models in ``app.api.schemas`` that also shape the answers."""

from functools import cache

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from app.api import schemas

ANSWERS = (schemas.ProductList, schemas.Product, schemas.IKM, schemas.Error)
REF = "#/components/schemas/{model}"


class _Generator(GenerateJsonSchema):
    """Without a title on every field (the name says it) or a ``default: null`` on optional ones."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        return json_schema


@cache
def components() -> dict:
    _, found = models_json_schema(
        [(model, "serialization") for model in ANSWERS],
        ref_template=REF,
        schema_generator=_Generator,
    )
    return found["$defs"]


@cache
def parameters(query=schemas.ProductQuery) -> list[dict]:
    """A GET's query parameters, from its pydantic model (``ProductQuery``, ``IKMQuery``): each
    schema states exactly what the API accepts; an empty value is allowed and counts as not
    given."""
    properties = query.model_json_schema(ref_template=REF, schema_generator=_Generator)[
        "properties"
    ]
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "allowEmptyValue": True,
            "description": schema.pop("description"),
            "schema": schema,
        }
        for name, schema in properties.items()
    ]


PATH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json(description: str, model) -> dict:
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _get(summary: str, operation: str, parameters: list, answers: dict) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": operation,
            "parameters": parameters,
            "responses": {str(status): _json(*answer) for status, answer in answers.items()},
        }
    }


def document(server_url: str) -> dict:
    not_found = ("Not listed or not found", schemas.Error)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Etalase API",
            "version": "1.0.0",
            "description": "Curated products of Indonesia's small and medium industries (IKM).",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/products": _get(
                "Search the curated catalogue",
                "listProducts",
                parameters(),
                {
                    200: ("A page of products with facet counts", schemas.ProductList),
                    400: ("Bad parameters, with a message per field", schemas.Error),
                },
            ),
            "/products/{id}": _get(
                "One listed product",
                "getProduct",
                [PATH_ID],
                {200: ("The product", schemas.Product), 404: not_found},
            ),
            "/ikms/{id}": _get(
                "One verified IKM and a page of its curated products",
                "getIKM",
                [PATH_ID, *parameters(schemas.IKMQuery)],
                {
                    200: ("The IKM", schemas.IKM),
                    400: ("A bad page number", schemas.Error),
                    404: not_found,
                },
            ),
        },
        "components": {"schemas": components()},
    }
