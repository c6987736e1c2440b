"""Rasa's calls to the action server carry the shared secret it requires
(actions/caller_check.py): ACTION_SERVER_TOKEN from Rasa's environment, in the X-Action-Token
header of the action endpoint. It is added when the endpoints are read, not written in
endpoints.yml, so that the tools that read the tracker store from those files do not need it."""

from __future__ import annotations

import os
from typing import Any

from rasa.core.utils import AvailableEndpoints

from actions.caller_check import ENV_VARIABLE, HEADER

_original = AvailableEndpoints.read_endpoints.__func__


def _read_endpoints(cls: Any, endpoint_file: str) -> AvailableEndpoints:
    endpoints = _original(cls, endpoint_file)
    secret = os.environ.get(ENV_VARIABLE, "")
    if endpoints.action is not None and secret:
        endpoints.action.headers = {**(endpoints.action.headers or {}), HEADER: secret}
    return endpoints


def apply() -> None:
    AvailableEndpoints.read_endpoints = classmethod(_read_endpoints)
