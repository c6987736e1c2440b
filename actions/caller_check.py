"""The action server answers only Rasa: every call but the health check carries the shared
secret ACTION_SERVER_TOKEN in the X-Action-Token header (Rasa sends it from the action
endpoint's `headers` in endpoints.yml), so that the server can sit on a cluster network."""

from __future__ import annotations

import hmac
import os
from typing import Any, Mapping

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

HEADER = "X-Action-Token"
ENV_VARIABLE = "ACTION_SERVER_TOKEN"
OPEN_PATHS = frozenset({"/health"})


def shared_secret(environ: Mapping[str, str] = os.environ) -> str:
    secret = environ.get(ENV_VARIABLE, "")
    if not secret:
        raise RuntimeError(f"{ENV_VARIABLE} is empty: run `make env` to generate it in .env.")
    return secret


def require_shared_secret(app: Any, secret: str) -> None:
    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(HEADER, "")
        if hmac.compare_digest(given.encode(), secret.encode()):
            return None
        return response.json({"error": "unauthorized"}, status=401)

    app.register_middleware(check, "request")
