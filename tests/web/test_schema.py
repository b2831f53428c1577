"""Schemathesis against the OpenAPI spec: generated requests (as an admin, by bearer token)
never make a server error, and every status answered is one the spec documents.

(Driven through Hypothesis directly: schemathesis's pytest plugin does not run under
pytest 9.)"""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from ladder.app import accounts
from tests.web.conftest import ADMIN


def test_api_conforms(app: FastAPI) -> None:
    token = accounts.create_token(app.state.workspace, ADMIN)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/v1/orgs",
        "/api/v1/orgs/{code}/results",
        "/api/v1/orgs/{code}/uploads",
        "/api/v1/orgs/{code}/reports",
    }
    calls = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, status_code_conformance],
            )

        check()
    assert calls >= len(operations)
