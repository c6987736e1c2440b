"""Rasa's socket.io channel, open only to the configured web origins.

Rasa 3.6 disables python-socketio's origin check (`cors_allowed_origins=[]`) and relies on
Sanic's CORS headers, which a WebSocket connection ignores: any website could open a
conversation. This channel, registered under the same name (/socket.io), restores the check
with the origins of `cors_allowed_origins` (a comma-separated list, from SOCKETIO_CORS_ORIGINS).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput

from assistant.metrics.counters import counted


class PatientSocketIOInput(SocketIOInput):
    """Registered as `channels.socketio.PatientSocketIOInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PatientSocketIOInput:
        credentials = dict(credentials or {})
        origins = _origins(credentials.pop("cors_allowed_origins", ""))
        channel = super().from_credentials(credentials)
        channel.allowed_origins = origins
        return channel

    allowed_origins: List[str] = []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        webhook = super().blueprint(counted(on_new_message, self.name()))
        # python-engineio reads this on every handshake; an empty list would mean "no check".
        self.sio.eio.cors_allowed_origins = self.allowed_origins or ["null"]
        return webhook


def _origins(value: Any) -> List[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [item.strip().rstrip("/") for item in items if item and item.strip()]
