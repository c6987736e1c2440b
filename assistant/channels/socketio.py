"""Rasa's socket.io channel, open only to the configured web origins, and telling the widget
which messages are urgent.

Rasa 3.6 disables python-socketio's origin check (`cors_allowed_origins=[]`) and relies on
Sanic's CORS headers, which a WebSocket connection ignores: any website could open a
conversation. This channel, registered under the same name (/socket.io), restores the check
with the origins of `cors_allowed_origins` (a comma-separated list, from SOCKETIO_CORS_ORIGINS).

An urgent response carries its level in its `metadata` (content/domain/safety.yml); this
channel sends it with the text as `triage`, which the widget shows as urgent.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput

from assistant.metrics.counters import counted

TRIAGE_KEY = "triage"


class PatientSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, with the response's triage level on each of its messages."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        level = _triage(kwargs)
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, **level})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        level = _triage(kwargs)
        if not level:
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
            return
        replies = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        await self._send_message(recipient_id, {"text": text, "quick_replies": replies, **level})


class PatientSocketIOInput(SocketIOInput):
    """Registered as `assistant.channels.socketio.PatientSocketIOInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PatientSocketIOInput:
        credentials = dict(credentials or {})
        origins = _origins(credentials.pop("cors_allowed_origins", ""))
        channel = super().from_credentials(credentials)
        channel.allowed_origins = origins
        return channel

    allowed_origins: List[str] = []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        async def with_triage(message: UserMessage) -> Any:
            output = message.output_channel
            if type(output) is SocketIOOutput:
                message.output_channel = PatientSocketIOOutput(output.sio, output.bot_message_evt)
            return await on_new_message(message)

        webhook = super().blueprint(counted(with_triage, self.name()))
        # python-engineio reads this on every handshake; an empty list would mean "no check".
        self.sio.eio.cors_allowed_origins = self.allowed_origins or ["null"]
        return webhook

    def get_output_channel(self) -> PatientSocketIOOutput | None:
        output = super().get_output_channel()
        if isinstance(output, SocketIOOutput):
            return PatientSocketIOOutput(output.sio, output.bot_message_evt)
        return None


def _triage(message: Dict[str, Any]) -> Dict[str, str]:
    level = (message.get("metadata") or {}).get(TRIAGE_KEY)
    return {TRIAGE_KEY: str(level)} if level else {}


def _origins(value: Any) -> List[str]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [item.strip().rstrip("/") for item in items if item and item.strip()]
