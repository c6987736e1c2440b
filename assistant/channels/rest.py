"""Rasa's REST channel, with clear answers when something goes wrong.

Rasa 3.6's REST channel answers a failure (tracker store or lock store down) with 200 and
whatever was said so far, and logs the patient's message. This channel, registered under the
same name (/webhooks/rest/webhook):
- answers malformed JSON or a message that is not text with 400 and a message in French;
- answers a missing, empty, over-long or non-string `sender` with 400, instead of putting
  unrelated callers into one conversation, and keeps each sender in its own namespace
  (`rest:<sender>`), apart from the socket.io and Messenger conversations;
- refuses messages over the cap and reads "/" text as text (assistant/channels/guard.py);
- answers a failure with 503 and the domain's `utter_service_indisponible` text, which names
  the emergency numbers, and logs the failure without the patient's words.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.blueprints import webhook_blueprint
from assistant.channels.guard import guarded
from assistant.channels.sessions import MAX_SENDER_CHARS, namespaced
from assistant.metrics.counters import counted
from content import CHANNEL_ERRORS, read_yaml, response_text

logger = logging.getLogger(__name__)


class PatientRestInput(RestInput):
    """Registered as `assistant.channels.rest.PatientRestInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PatientRestInput:
        credentials = credentials or {}
        return cls(credentials.get("unavailable_response", "utter_service_indisponible"))

    def __init__(self, unavailable_response: str) -> None:
        self.unavailable_text = response_text(unavailable_response)
        self.errors = read_yaml(CHANNEL_ERRORS)["rest"]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("patient_rest_webhook")
        on_new_message = counted(guarded(on_new_message), self.name())

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            payload = _json_object(request)
            text = payload.get("message", "") if payload is not None else None
            if text is None:
                text = ""
            if payload is None or not isinstance(text, str):
                return self._error("bad_request")
            given = payload.get("sender")
            if not isinstance(given, str) or not given.strip() or len(given) > MAX_SENDER_CHARS:
                return self._error("bad_sender")
            sender = namespaced(self.name(), given)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=payload.get("input_channel") or self.name(),
                        metadata=payload.get("metadata"),
                    )
                )
            except Exception as error:
                # The patient's words stay out of the logs.
                logger.error("Message handling failed: %s", type(error).__name__)
                return response.json(self._unavailable(sender, collector.messages), status=503)
            return response.json(collector.messages)

        return webhook

    def _error(self, code: str) -> HTTPResponse:
        return response.json({"error": code, "message": " ".join(self.errors[code].split())}, 400)

    def _unavailable(self, sender: str, said: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return said + [{"recipient_id": sender, "text": self.unavailable_text}]


def _json_object(request: Request) -> Dict[str, Any] | None:
    try:
        payload = request.json
    except Exception:
        return None
    return payload if isinstance(payload, dict) else None
