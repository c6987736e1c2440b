"""The HTTP API token from the environment, never on the command line, and accepted in an
`Authorization: Bearer` header as well as in Rasa's `?token=` parameter.

Rasa 3.6 reads the token only from `--auth-token`, which any local user sees through `ps`.
`metastases-rasa` adds RASA_AUTH_TOKEN to its own arguments, inside the process, when the HTTP
API is enabled.
"""

from __future__ import annotations

import hmac
from functools import wraps
from inspect import isawaitable
from typing import Any, Callable, List

import rasa.server
from sanic.request import Request

ENV_VARIABLE = "RASA_AUTH_TOKEN"
_original = rasa.server.requires_auth


def with_token_from(environ: Any, argv: List[str]) -> List[str]:
    """`argv` with `--auth-token` from the environment when the API is on and none is given."""
    token = environ.get(ENV_VARIABLE, "")
    given = any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv)
    if token and "--enable-api" in argv and not given:
        return [*argv, "--auth-token", token]
    return argv


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _requires_auth(app: Any, token: str | None = None) -> Callable[[Any], Any]:
    rasa_check = _original(app, token)

    def decorator(handler: Any) -> Any:
        checked = rasa_check(handler)

        @wraps(handler)
        async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
            bearer = _bearer(request)
            if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
                result = handler(request, *args, **kwargs)
                return await result if isawaitable(result) else result
            return await checked(request, *args, **kwargs)

        return decorated

    return decorator


def apply() -> None:
    rasa.server.requires_auth = _requires_auth
