"""Schemathesis against the app's own OpenAPI, in-process (no network), as admin and as an editor.

Each operation gets a few generated requests (valid ones, invalid ones, and valid ones aimed at
real ids of the seeded installation so handlers are reached past their 404s), bounded by
:data:`EXAMPLES` so the suite stays within CI's time. Checks: no 5xx (schemathesis'
``not_a_server_error``) and every 4xx is ``application/problem+json``. Requests go through the
test client of the already-started app, so its lifespan (engine, worker pool) is the test's.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings, strategies
from schemathesis import Case, CheckContext, CheckFunction, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from tests.security.ids import PATH_KEYS, ROW_RESOURCES, own_ids
from tests.security.seed import Installation
from tests.world import auth

# Deterministic in ``make test`` (the same examples every run, so CI never fails by chance);
# ``MUX_FUZZ_EXAMPLES=200 MUX_FUZZ_RANDOM=1 pytest tests/security/test_fuzz.py`` digs deeper.
EXAMPLES = int(os.environ.get("MUX_FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("MUX_FUZZ_RANDOM") == "1"
PROBLEM = "application/problem+json"
ORDER = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 1, "PUT": 1, "PATCH": 2, "DELETE": 3}


@schemathesis.check
def errors_are_problem_json(
    ctx: CheckContext, response: schemathesis.Response, case: Case
) -> bool | None:
    """Every 4xx answer (except to HEAD, which has no body) is RFC 9457 problem+json."""
    if 400 <= response.status_code < 500 and case.method.upper() != "HEAD":
        media_type = response.headers.get("content-type", [""])[0]
        if media_type != PROBLEM:
            raise AssertionError(
                f"{response.status_code} answered as {media_type!r}, not {PROBLEM}"
            )
    return None


CHECKS: list[CheckFunction] = [not_a_server_error, errors_are_problem_json]


def _send(client: TestClient, case: Case, headers: dict[str, str]) -> Any:
    """Send a generated case through the test client (requests-style kwargs to httpx)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    method, url = kwargs.pop("method"), kwargs.pop("url")
    kwargs.pop("cookies", None)
    if kwargs.get("files") is not None:
        kwargs["files"] = _httpx_files(kwargs["files"])
    data = kwargs.pop("data", None)
    if isinstance(data, bytes | str):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    response = client.request(method, url, **kwargs)
    response.request.read()  # multipart bodies are streamed; schemathesis reads them back
    return response


def _httpx_files(files: Any) -> list[tuple[str, Any]]:
    """Requests accepts any value as a file part; httpx wants bytes (or a file)."""
    items = files.items() if isinstance(files, dict) else files
    out = []
    for name, value in items:
        if isinstance(value, tuple):
            filename, content, *rest = value
            out.append((name, (filename, _as_bytes(content), *rest)))
        else:
            out.append((name, _as_bytes(value)))
    return out


def _as_bytes(value: Any) -> Any:
    if isinstance(value, bytes) or hasattr(value, "read"):
        return value
    return str(value).encode()


def _real_path_parameters(path: str, ids: dict[str, Any]) -> dict[str, Any]:
    parts = path.split("/")
    found = {}
    for index, part in enumerate(parts):
        if part.startswith("{"):
            name = part[1:-1]
            key = ROW_RESOURCES[parts[index - 1]] if name == "row_id" else PATH_KEYS.get(name, name)
            found[name] = ids[key]
    return found


def _strategy(operation: Any, ids: dict[str, Any]) -> strategies.SearchStrategy[Case]:
    variants = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    real = _real_path_parameters(operation.path, ids)
    if real:
        variants.append(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=real)
        )
    return strategies.one_of(variants)


def _fuzz(client: TestClient, operation: Any, ids: dict[str, Any], headers: dict[str, str]):
    failures: list[str] = []

    @given(case=_strategy(operation, ids))
    @settings(
        max_examples=EXAMPLES,
        derandomize=not RANDOM,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        response = _send(client, case, headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:
            summary = f"{case.method} {case.formatted_path}: {response.status_code}"
            failures.append(f"{summary} {response.text[:200]} ({str(exc).splitlines()[0]})")

    run()
    return failures


@pytest.mark.parametrize("username", ["admin", "editor.dki"])
def test_fuzzed_requests_never_crash_and_errors_are_problem_json(
    client: TestClient, installation: Installation, username: str
) -> None:
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    operations.sort(key=lambda op: (ORDER[op.method.upper()], op.path))
    headers = auth(client, installation.world, username)
    ids = own_ids(installation, username)
    # The same app (its lifespan already started by ``client``), answering 500s as responses.
    fuzz_client = TestClient(client.app, raise_server_exceptions=False)
    failures: list[str] = []
    for operation in operations:
        failures += _fuzz(fuzz_client, operation, ids, headers)
    assert len(operations) >= 85
    assert failures == [], "\n".join(sorted(set(failures)))
