"""Rasa's REST channel, with clear answers when something goes wrong.

Rasa 3.6's REST channel answers a failure (tracker store or lock store down) with 200 and
whatever was said so far, and logs the patient's message. This channel, registered under the
same name (/webhooks/rest/webhook):
- answers malformed JSON or a message that is not text with 400 and a message in French;
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
from assistant.metrics.counters import counted
from content import response_text

logger = logging.getLogger(__name__)

_BAD_REQUEST = (
    "Votre message n'a pas pu être lu. Envoyez un objet JSON de la forme "
    '{"sender": "identifiant", "message": "votre question"}.'
)


class PatientRestInput(RestInput):
    """Registered as `assistant.channels.rest.PatientRestInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PatientRestInput:
        credentials = credentials or {}
        return cls(credentials.get("unavailable_response", "utter_service_indisponible"))

    def __init__(self, unavailable_response: str) -> None:
        self.unavailable_text = response_text(unavailable_response)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("patient_rest_webhook")
        on_new_message = counted(on_new_message, self.name())

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            payload = _json_object(request)
            text = payload.get("message", "") if payload is not None else None
            if text is None:
                text = ""
            if payload is None or not isinstance(text, str):
                return response.json({"error": "bad_request", "message": _BAD_REQUEST}, status=400)
            sender = str(payload.get("sender") or "default")
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

    def _unavailable(self, sender: str, said: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return said + [{"recipient_id": sender, "text": self.unavailable_text}]


def _json_object(request: Request) -> Dict[str, Any] | None:
    try:
        payload = request.json
    except Exception:
        return None
    return payload if isinstance(payload, dict) else None
