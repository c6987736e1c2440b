"""Rasa's socket.io channel, open only to the configured web origins, and telling the widget
which messages are urgent.

Rasa 3.6 disables python-socketio's origin check (`cors_allowed_origins=[]`) and relies on
Sanic's CORS headers, which a WebSocket connection ignores: any website could open a
conversation. This channel, registered under the same name (/socket.io), restores the check
with the origins of `cors_allowed_origins` (a comma-separated list, from SOCKETIO_CORS_ORIGINS).

Rasa 3.6 lets a client choose its session id and send messages in any session: this channel
issues signed session ids (assistant/channels/sessions.py), binds each connection to the one
it was issued or resumed, and ignores malformed events without a traceback. Conversations are
`socketio:<session>`.

An urgent response carries its level in its `metadata` (content/domain/safety.yml); this
channel sends it with the text as `triage`, which the widget shows as urgent.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.exceptions import ServerError
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from assistant.channels.guard import guarded
from assistant.channels.sessions import SessionSigner, namespaced
from assistant.metrics.counters import counted

logger = logging.getLogger(__name__)

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


class QuietWebSocketClose(logging.Filter):
    """Drops Sanic's error for a WebSocket that closed normally: python-engineio returns no
    response once its WebSocket ends, which Sanic logs as an error with a traceback on every
    close."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The traceback is in the message once assistant/log_privacy.py has scrubbed it.
        error = record.exc_info[1] if record.exc_info else None
        text = f"{record.getMessage()} {type(error).__name__}: {error}"
        return not (
            "ws://" in text and f"{ServerError.__name__}: Invalid response type None" in text
        )


class PatientSocketIOInput(SocketIOInput):
    """Registered as `assistant.channels.socketio.PatientSocketIOInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PatientSocketIOInput:
        credentials = dict(credentials or {})
        origins = _origins(credentials.pop("cors_allowed_origins", ""))
        signer = SessionSigner(str(credentials.pop("session_secret", "") or ""))
        channel = super().from_credentials(credentials)
        channel.allowed_origins = origins
        channel.signer = signer
        return channel

    allowed_origins: List[str] = []
    signer: SessionSigner

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        handle = counted(guarded(on_new_message), self.name())
        # python-engineio reads cors_allowed_origins on every handshake; an empty list would
        # mean "no check".
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins or ["null"])
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        logging.getLogger("sanic.error").addFilter(QuietWebSocketClose())
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            token = asked if isinstance(asked, str) and self.signer.verify(asked) else None
            token = token or self.signer.issue()
            await self._bind(sid, token)
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: str, data: Any = None) -> None:
            text = data.get("message") if isinstance(data, dict) else None
            bound = await sio.get_session(sid, namespace=self.namespace)
            session = bound.get("session") if isinstance(bound, dict) else None
            if (
                session is None
                and isinstance(data, dict)
                and self.signer.verify(data.get("session_id"))
            ):
                session = await self._bind(sid, data["session_id"])
            if not isinstance(text, str) or session is None:
                logger.info("A malformed socket.io message, or one without a session, was ignored.")
                return
            metadata = data.get(self.metadata_key)
            output = PatientSocketIOOutput(sio, self.bot_message_evt)
            await handle(
                UserMessage(
                    text,
                    output,
                    session,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else None,
                )
            )

        return webhook

    async def _bind(self, sid: str, token: str) -> str:
        """Joins the connection to its conversation's room; returns the conversation id."""
        session = namespaced(self.name(), self.signer.verify(token) or "")
        self.sio.enter_room(sid, session, namespace=self.namespace)
        await self.sio.save_session(sid, {"session": session}, namespace=self.namespace)
        return session

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
