"""rasa-sdk's plugins: rasa_sdk/plugin.py imports this package by its name when the action
server starts (`rasa run actions`) and calls `init_hooks`. The one plugin here makes the action
server require Rasa's shared secret (actions/caller_check.py)."""

from __future__ import annotations

import sys
from typing import Any

import pluggy

from actions.caller_check import require_shared_secret, shared_secret

hookimpl = pluggy.HookimplMarker("rasa_sdk")


@hookimpl
def attach_sanic_app_extensions(app: Any) -> None:
    require_shared_secret(app, shared_secret())


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(sys.modules[__name__])
