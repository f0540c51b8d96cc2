"""The OpenAPI document states exactly what the API accepts.

Each query parameter's documented constraints (range, length, pattern, enum, default, whether an
empty value may be sent) are probed just inside and just outside, together with values that no
constraint mentions (0, -1, a letter, a number in other digits): the API must accept exactly
what the document accepts, and refuse the rest with a message on that parameter.
"""

import re
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator, ValidationError, validators

from tests.factories import ListingFactory

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


@pytest.fixture
def parameters(document):
    return document["paths"]["/products"]["get"]["parameters"]


@pytest.fixture
def listed(app, categories):
    return ListingFactory(app).listed(name="Sepatu Wanita Kulit", regency="35.16")


def _ecma_pattern(validator, pattern, instance, schema):
    """``pattern`` as JSON Schema means it (ECMA-262): ``$`` is the end of the text, not also
    the place before a final newline, and ``\\d`` is 0-9 only."""
    if not isinstance(instance, str):
        return
    python = (
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    )
    if not re.search(python, instance, flags=re.ASCII):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


def documented_ok(parameter: dict, raw: str) -> bool:
    """Whether the document says the API accepts ``name=raw``."""
    if not raw.strip():
        return bool(parameter.get("allowEmptyValue"))
    schema = parameter["schema"]
    value: object = raw
    if schema.get("type") == "integer":
        if not re.fullmatch(r"-?[0-9]+", raw):
            return False
        value = int(raw)
    return EcmaValidator(schema).is_valid(value)


def probes(schema: dict) -> set[str]:
    """Values just inside and just outside each constraint, and some no constraint names."""
    values = {"", " ", "x", "0", "-1", "1", "1.5", str(10**12)}
    for option in schema.get("enum", []):
        values |= {str(option), str(option).upper(), f"{option}x", str(option)[:-1]}
    for bound in (schema.get("minimum"), schema.get("maximum")):
        if bound is not None:
            values |= {str(bound - 1), str(bound), str(bound + 1)}
    for key, step in (("maxLength", 1), ("minLength", -1)):
        if key in schema:
            values |= {"a" * schema[key], "a" * (schema[key] + step)}
    if "pattern" in schema:
        for example in schema.get("examples", []):
            values |= {
                example,
                example + "0",
                example[:-1],
                "x" + example[1:],
                example + "\n",
                " " + example,
                example.translate(ARABIC_INDIC),
            }
    if "default" in schema:
        values.add(str(schema["default"]))
    return values


def test_every_parameter_states_its_constraints(parameters):
    for parameter in parameters:
        schema = parameter["schema"]
        assert parameter["in"] == "query" and parameter["description"], parameter["name"]
        assert schema.get("type") in ("integer", "string"), parameter["name"]
        assert {"enum", "minimum", "maxLength", "pattern"} & set(schema), parameter["name"]
        if schema.get("type") == "integer":
            assert {"minimum", "maximum"} <= set(schema), parameter["name"]
        if "pattern" in schema:
            assert schema["examples"], parameter["name"]


def test_the_api_accepts_exactly_what_the_document_says(client, parameters, listed):
    mismatches = []
    for parameter in parameters:
        name = parameter["name"]
        for raw in sorted(probes(parameter["schema"])):
            response = client.get(f"/api/v1/products?{name}={quote(raw)}")
            assert response.status_code in (200, 400), (name, raw)
            accepted = response.status_code == 200
            if accepted != documented_ok(parameter, raw):
                mismatches.append((name, raw, response.status_code))
            elif not accepted:
                assert list(response.json["error"]["fields"]) == [name], (name, raw)
    assert not mismatches, "\n".join(map(repr, mismatches))


def test_an_empty_value_or_a_default_is_the_same_as_none(client, parameters, listed):
    plain = client.get("/api/v1/products").json
    for parameter in parameters:
        name, schema = parameter["name"], parameter["schema"]
        same = [""] if parameter.get("allowEmptyValue") else []
        if "default" in schema:
            same.append(str(schema["default"]))
        for raw in same:
            assert client.get(f"/api/v1/products?{name}={quote(raw)}").json == plain, (name, raw)


def test_the_document_names_what_an_empty_region_means(parameters):
    [region] = [p for p in parameters if p["name"] == "region"]
    assert region["allowEmptyValue"] is True
    assert "empty" in region["description"].lower()
