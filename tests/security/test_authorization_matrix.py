"""The authorisation matrix: every ``/api/v1`` operation in the app's own OpenAPI, called as each
role and without a token, with ids of the caller's own objects and of objects outside its scope.

What must hold for every call:

* no 5xx, and every error body is ``application/problem+json``;
* without a token: 401 (except the public operations in :data:`PUBLIC`);
* an agency editor or operator, given ids outside their scope (another operator's mux, another
  agency on the same mux), never gets a 2xx; a list filtered by such an id comes back empty;
* an agency editor or operator never changes a staff-only resource: writes answer 403 or 404,
  except the writes the README's role table grants them (:data:`EDITOR_WRITES`,
  :data:`OPERATOR_WRITES`).

The operations come from ``create_app(settings).openapi()``, so a new endpoint joins the matrix
without anybody adding it here; :func:`test_every_operation_has_a_request_recipe` fails when a
new write operation needs a request body this file does not know how to make.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from mux_scheduler.app import create_app
from mux_scheduler.core.settings import Settings
from tests.security.ids import (
    PATH_KEYS,
    ROW_RESOURCES,
    Ids,
    foreign_ids,
    neighbour_ids,
    own_ids,
)
from tests.security.seed import DAY, EDITORS, Installation
from tests.world import auth

PROBLEM = "application/problem+json"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = ["anonymous", "admin", "programmer", *EDITORS, "operator.tvri"]

# Operations anyone may call: logging in, and the tus capability discovery (tus 1.0 clients
# send OPTIONS before they authenticate).
PUBLIC = {("POST", "/api/v1/auth/token"), ("OPTIONS", "/api/v1/uploads")}

# Writes an agency editor may make on their own agency's objects (README, "Roles").
EDITOR_WRITES = {
    ("POST", "/api/v1/me/tokens"),
    ("DELETE", "/api/v1/me/tokens/{token_id}"),
    ("POST", "/api/v1/assets"),
    ("PATCH", "/api/v1/assets/{asset_id}"),
    ("DELETE", "/api/v1/assets/{asset_id}"),
    ("POST", "/api/v1/assets/{asset_id}/submit"),
    ("POST", "/api/v1/uploads"),
    ("PATCH", "/api/v1/uploads/{upload_id}"),
    ("DELETE", "/api/v1/uploads/{upload_id}"),
}
# Writes operator staff may make: their own tokens, and as-run logs of their own channels.
OPERATOR_WRITES = {
    ("POST", "/api/v1/me/tokens"),
    ("DELETE", "/api/v1/me/tokens/{token_id}"),
    ("POST", "/api/v1/channels/{channel_id}/as-run"),
}
# Path parameters that are not object ids: the same value is used in every context.
NOT_IDS = {"broadcast_date", "format_key", "key"}
# Reference data every signed-in user may read: technical profiles are the operators' published
# specifications that editors conform their files to (``TechnicalProfile`` is scoped to everyone).
SHARED = {("GET", "/api/v1/profiles/{row_id}")}
# List filters that name an object: given a foreign id, the list must come back empty.
QUERY_IDS = {
    "agency_id": "agency",
    "operator_id": "operator",
    "multiplex_id": "mux",
    "channel_id": "channel",
    "asset_id": "asset",
    "agency": "agency",  # /reports/airings
    "campaign": "campaign",
}
ORDER = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 1, "PUT": 1, "PATCH": 2, "DELETE": 3}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    query: tuple[str, ...]  # query parameter names

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def has_ids(self) -> bool:
        names = [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
        return any(name not in NOT_IDS for name in names)


def _operations(settings: Settings) -> list[Operation]:
    spec = create_app(settings).openapi()
    found = []
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            query = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            found.append(Operation(method.upper(), path, query))
    return sorted(found, key=lambda op: (ORDER[op.method], op.path))


# --- one request per operation ------------------------------------------------------------

Recipe = Callable[[Ids], dict[str, Any]]
TUS = {"Tus-Resumable": "1.0.0"}


def _json(body: Callable[[Ids], Any]) -> Recipe:
    return lambda ids: {"json": body(ids)}


def _upload_asset(ids: Ids) -> dict[str, Any]:
    return {
        "files": {"file": ("spot.mp4", io.BytesIO(b"not really a video"), "video/mp4")},
        "data": {"title": "Matrix spot", "kind": "ilm", "agency_id": str(ids["agency"])},
    }


def _as_run(ids: Ids) -> dict[str, Any]:
    return {
        "content": b"date,time,title\n",
        "headers": {"Content-Type": "text/csv"},
        "params": {"file_name": "asrun.csv"},
    }


RECIPES: dict[tuple[str, str], Recipe] = {
    ("POST", "/api/v1/auth/token"): lambda ids: {
        "data": {"username": "admin", "password": "not-the-password"}
    },
    ("POST", "/api/v1/me/tokens"): _json(lambda ids: {"name": "matrix"}),
    ("POST", "/api/v1/users"): _json(
        lambda ids: {
            "username": "matrix-user",
            "password": "0123456789abcdef",
            "role": "agency_editor",
            "agency_id": ids["agency"],
        }
    ),
    ("PATCH", "/api/v1/users/{user_id}"): _json(lambda ids: {"full_name": "Renamed"}),
    ("POST", "/api/v1/agencies"): _json(lambda ids: {"name": "Badan Baru", "short_name": "BB"}),
    ("PATCH", "/api/v1/agencies/{row_id}"): _json(lambda ids: {"name": "Badan Lain"}),
    ("POST", "/api/v1/operators"): _json(lambda ids: {"name": "Op Baru", "slug": "op-baru"}),
    ("PATCH", "/api/v1/operators/{row_id}"): _json(lambda ids: {"name": "Op Lain"}),
    ("POST", "/api/v1/multiplexes"): _json(
        lambda ids: {
            "operator_id": ids["operator"],
            "name": "MUX Baru",
            "service_area": "Bandung",
            "uhf_channel": 35,
        }
    ),
    ("PATCH", "/api/v1/multiplexes/{row_id}"): _json(lambda ids: {"service_area": "Bogor"}),
    ("POST", "/api/v1/profiles"): _json(lambda ids: {"name": "Profil Baru"}),
    ("PATCH", "/api/v1/profiles/{row_id}"): _json(lambda ids: {"name": "Profil Lain"}),
    ("POST", "/api/v1/channels"): _json(
        lambda ids: {
            "multiplex_id": ids["mux"],
            "profile_id": ids["profile"],
            "name": "Kanal Baru",
            "slug": "kanal-baru",
            "lcn": 50,
            "service_id": 5001,
        }
    ),
    ("PATCH", "/api/v1/channels/{row_id}"): _json(lambda ids: {"name": "Kanal Lain"}),
    ("POST", "/api/v1/leases"): _json(
        lambda ids: {
            "channel_id": ids["channel"],
            "agency_id": ids["agency"],
            "valid_from": "2027-01-01",
        }
    ),
    ("PATCH", "/api/v1/leases/{row_id}"): _json(lambda ids: {"share_percent": 40}),
    ("POST", "/api/v1/assets"): _upload_asset,
    ("PATCH", "/api/v1/assets/{asset_id}"): _json(lambda ids: {"title": "Judul Baru"}),
    ("POST", "/api/v1/assets/{asset_id}/approve"): _json(lambda ids: {}),
    ("POST", "/api/v1/assets/{asset_id}/reject"): _json(lambda ids: {"comment": "Bukan siaran"}),
    ("POST", "/api/v1/uploads"): lambda ids: {
        "headers": {**TUS, "Upload-Length": "10", "Upload-Metadata": "title U3BvdA=="}
    },
    ("PATCH", "/api/v1/uploads/{upload_id}"): lambda ids: {
        "content": b"0123456789",
        "headers": {
            **TUS,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    },
    ("DELETE", "/api/v1/uploads/{upload_id}"): lambda ids: {"headers": TUS},
    ("HEAD", "/api/v1/uploads/{upload_id}"): lambda ids: {"headers": TUS},
    ("POST", "/api/v1/channels/{channel_id}/rules"): _json(
        lambda ids: {"name": "Matrix", "spec": {"kind": "filler_pool"}}
    ),
    ("PATCH", "/api/v1/channels/{channel_id}/rules/{rule_id}"): _json(
        lambda ids: {"name": "Matrix lain"}
    ),
    ("POST", "/api/v1/campaigns"): _json(
        lambda ids: {
            "name": "Matrix",
            "asset_ids": [ids["asset"]],
            "valid_from": DAY.isoformat(),
            "valid_until": DAY.isoformat(),
            "target_per_day": 1,
            "channel_ids": [ids["channel"]],
        }
    ),
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): _json(lambda ids: {"name": "Matrix lain"}),
    ("PATCH", "/api/v1/channels/{channel_id}/playlists/{broadcast_date}/items/{item_id}"): _json(
        lambda ids: {"action": "remove"}
    ),
    ("POST", "/api/v1/inserts"): _json(
        lambda ids: {
            "asset_id": ids["asset"],
            "channel_ids": [ids["channel"]],
            "placement": {"mode": "next_break"},
            "reason": "Matrix insert",
        }
    ),
    ("POST", "/api/v1/export-formats"): _json(
        lambda ids: {
            "key": "matrix",
            "label": "Matrix",
            "output_type": "text",
            "file_name_pattern": "{channel}_{date}.txt",
            "source": "{{ channel.name }}",
        }
    ),
    ("POST", "/api/v1/channels/{channel_id}/as-run"): _as_run,
    ("GET", "/api/v1/multiplexes/{multiplex_id}/schedule"): lambda ids: {
        "params": {"date": DAY.isoformat()}
    },
    ("GET", "/api/v1/reports/airings"): lambda ids: {
        "params": {"from": DAY.isoformat(), "to": DAY.isoformat(), "agency": ids["agency"]}
    },
}
# Operations whose every parameter has a usable default: called without a recipe.
NO_BODY = {"GET", "HEAD", "OPTIONS", "DELETE"}


def _url(op: Operation, ids: Ids) -> str:
    parts = op.path.split("/")
    out = []
    for index, part in enumerate(parts):
        if part.startswith("{"):
            name = part[1:-1]
            key = ROW_RESOURCES[parts[index - 1]] if name == "row_id" else PATH_KEYS.get(name, name)
            part = str(ids[key])
        out.append(part)
    return "/".join(out)


def _needs_recipe(op: Operation, spec: dict[str, Any]) -> bool:
    operation = spec["paths"][op.path][op.method.lower()]
    required = [p for p in operation.get("parameters", []) if p.get("required")]
    has_body = operation.get("requestBody", {}).get("required", False)
    return has_body or any(p["in"] != "path" for p in required)


def call(
    client: TestClient,
    op: Operation,
    ids: Ids,
    headers: dict[str, str],
    params: dict[str, Any] | None = None,
) -> Response:
    kwargs = RECIPES[op.key](ids) if op.key in RECIPES else {}
    kwargs["headers"] = {**headers, **kwargs.get("headers", {})}
    kwargs["params"] = {**kwargs.get("params", {}), **(params or {})}
    response: Response = client.request(op.method, _url(op, ids), **kwargs)
    return response


def _filtered(op: Operation, ids: Ids) -> Iterator[tuple[str, Any]]:
    for name in op.query:
        if name in QUERY_IDS:
            yield name, ids[QUERY_IDS[name]]


# --- assertions -----------------------------------------------------------------------------


def _describe(who: str, op: Operation, context: str, response: Response) -> str:
    return f"{who} {op.method} {op.path} ({context}): {response.status_code} {response.text[:300]}"


def _check_shape(who: str, op: Operation, context: str, response: Response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append("5xx: " + _describe(who, op, context, response))
    error = response.status_code >= 400 and op.method != "HEAD"
    if error and response.headers.get("content-type") != PROBLEM:
        problems.append("not problem+json: " + _describe(who, op, context, response))
    return problems


def _may_write(role: str, op: Operation) -> bool:
    if role in ("admin", "programmer") or op.key in PUBLIC:
        return True
    allowed = OPERATOR_WRITES if role == "operator.tvri" else EDITOR_WRITES
    return op.key in allowed


@pytest.fixture
def operations(settings: Settings) -> list[Operation]:
    return _operations(settings)


def test_every_operation_has_a_request_recipe(settings: Settings) -> None:
    spec = create_app(settings).openapi()
    missing = [
        op.key
        for op in _operations(settings)
        if _needs_recipe(op, spec) and op.key not in RECIPES and op.key not in PUBLIC
    ]
    assert missing == [], f"add a request recipe to RECIPES for {missing}"
    assert len(_operations(settings)) >= 85  # the whole API, not an empty spec


def test_anonymous_calls_get_401_problem_json(
    client: TestClient, installation: Installation, operations: list[Operation]
) -> None:
    ids = own_ids(installation, "admin")
    problems = []
    for op in operations:
        response = call(client, op, ids, {})
        problems += _check_shape("anonymous", op, "own", response)
        if op.key not in PUBLIC and response.status_code != 401:
            problems.append("not 401: " + _describe("anonymous", op, "own", response))
        if op.key not in PUBLIC and "Bearer" not in response.headers.get("www-authenticate", ""):
            problems.append("no WWW-Authenticate: " + _describe("anonymous", op, "", response))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_role_against_every_operation(
    client: TestClient,
    installation: Installation,
    operations: list[Operation],
    role: str,
) -> None:
    headers = auth(client, installation.world, role)
    staff = role in ("admin", "programmer")
    contexts = {"foreign": foreign_ids(installation)}
    if role in EDITORS:
        contexts["neighbour"] = neighbour_ids(installation, role)
    contexts["own"] = own_ids(installation, role)
    problems: list[str] = []
    for op in operations:
        for context, ids in contexts.items():
            if context != "own" and not op.has_ids and not any(_filtered(op, ids)):
                continue
            params = dict(_filtered(op, ids)) if context != "own" else {}
            response = call(client, op, ids, headers, params)
            problems += _check_shape(role, op, context, response)
            ok = 200 <= response.status_code < 300
            if staff:
                continue
            if context == "own":
                refused = response.status_code in (403, 404)
                if op.method in WRITES and not _may_write(role, op) and not refused:
                    problems.append("staff-only write: " + _describe(role, op, context, response))
            elif op.has_ids and ok and op.key not in SHARED:
                problems.append("reached: " + _describe(role, op, context, response))
            elif params and ok and _rows(response):
                problems.append("listed: " + _describe(role, op, context, response))
    assert problems == [], "\n".join(problems)


def _rows(response: Response) -> list[Any]:
    """The rows of a filtered list: a JSON array, or the airings a report counts per agency and
    per campaign (its ``days`` are the caller's own channels' days, whatever the filter)."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return [response.text] if response.text.strip() else []
    body = response.json()
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return [*body.get("agencies", []), *body.get("campaigns", [])]
    return []
