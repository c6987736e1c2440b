"""Keeps the connections to the action server open between custom actions.

Rasa 3.6 creates a new aiohttp session, with its own connection pool, for every request to
an endpoint (`EndpointConfig.request` enters `self.session()` and closes it), so each custom
action opens a new TCP connection: 11.6% of a Rasa server's CPU under load (py-spy,
docs/benchmarks.md). Here `EndpointConfig.session()` hands out one long-lived session per
endpoint and event loop, configured as Rasa's (headers, basic auth, timeout); leaving its
`async with` no longer closes it. An idle connection is dropped after KEEPALIVE_SECONDS, before
the action server (Sanic, 5 s) closes it, so that a request never goes out on a connection the
server is closing.

The conversation sent with each action (and any other JSON body to an endpoint: NLG server,
callbacks) is serialised with ujson, already locked as Rasa's dependency, about twice as fast
as the standard library, which took 4.4% of the server's CPU (py-spy, docs/benchmarks.md). For
JSON's own types, all that Rasa's payloads hold, it writes the same values; it would also write
a few Python types that `json.dumps` refuses (Decimal, tuple keys), which these payloads never
hold. What ujson refuses (a circular reference) goes through `json.dumps`, which raises as
Rasa's session did.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict

import aiohttp
import ujson
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

KEEPALIVE_SECONDS = 2.0
_SESSIONS = "_pooled_sessions"


class _KeptOpen:
    """`async with` over a shared session, which stays open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def serialise(payload: Any) -> str:
    """The payload as JSON: the same values as `json.dumps` gives, written faster."""
    try:
        return ujson.dumps(payload)
    except (OverflowError, TypeError, ValueError):
        return json.dumps(payload)


def new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """A session configured as Rasa's `EndpointConfig.session()` configures it."""
    auth = (
        aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
        if endpoint.basic_auth
        else None
    )
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        json_serialize=serialise,
    )


def _session(self: EndpointConfig) -> _KeptOpen:
    loop = asyncio.get_running_loop()
    sessions: Dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = vars(self).setdefault(
        _SESSIONS, {}
    )
    for old_loop in [other for other in sessions if other.is_closed()]:
        del sessions[old_loop]
    session = sessions.get(loop)
    if session is None or session.closed:
        session = sessions[loop] = new_session(self)
    return _KeptOpen(session)


def apply() -> None:
    EndpointConfig.session = _session
