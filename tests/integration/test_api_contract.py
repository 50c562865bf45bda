"""The OpenAPI documents every status each operation can answer, and every error is JSON {"detail": ...}.

Walks /api/v1/openapi.json: an operation that takes any parameter or body documents 422; one with a code
or id in its path documents 404; one for signed-in users documents 401 and 403; one with a body documents
400 (a body that is not JSON). The schemathesis run (test_api_schemathesis.py) checks the answers.
"""

import pytest

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", path, operation


def documented(operation) -> set[int]:
    return {int(code) for code in operation["responses"]}


def test_every_operation_with_input_documents_422(spec):
    missing = [
        label
        for label, _, operation in operations(spec)
        if (operation.get("parameters") or operation.get("requestBody")) and 422 not in documented(operation)
    ]
    assert not missing


def test_every_operation_with_a_code_or_id_in_its_path_documents_404(spec):
    missing = [label for label, path, op in operations(spec) if "{" in path and 404 not in documented(op)]
    assert not missing


def test_every_private_operation_documents_401_and_403(spec):
    missing = [
        label
        for label, _, operation in operations(spec)
        if operation.get("security") and not {401, 403} <= documented(operation)
    ]
    assert not missing


def test_every_operation_with_a_body_documents_400(spec):
    missing = [
        label
        for label, _, operation in operations(spec)
        if operation.get("requestBody") and 400 not in documented(operation)
    ]
    assert not missing


def test_every_error_answer_is_documented_as_json_with_a_detail(spec):
    schemas = spec["components"]["schemas"]
    for label, _, operation in operations(spec):
        for code, response in operation["responses"].items():
            if int(code) < 400:
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            assert "detail" in schemas[ref]["required"], (label, code, ref)


def test_the_api_is_large_enough_for_these_checks_to_mean_something(spec):
    labels = [label for label, _, _ in operations(spec)]
    assert len(labels) >= 25
    assert "POST /api/v1/exchange/ledger/{code}/redeem" in labels


def test_a_422_answer_matches_its_documented_schema(client, spec, places):
    response = client.get("/api/v1/authorities?limit=0")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == [
        {
            "loc": ["query", "limit"],
            "msg": "Input should be greater than or equal to 1",
            "type": "greater_than_equal",
        }
    ]
    ref = spec["paths"]["/api/v1/authorities"]["get"]["responses"]["422"]["content"]["application/json"][
        "schema"
    ]
    assert ref["$ref"].endswith("/ValidationErrorOut")
