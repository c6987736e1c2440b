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
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.blueprints import webhook_blueprint

logger = logging.getLogger(__name__)

_BAD_REQUEST = (
    "Votre message n'a pas pu être lu. Envoyez un objet JSON de la forme "
    '{"sender": "identifiant", "message": "votre question"}.'
)


class PatientRestInput(RestInput):
    """Registered as `channels.rest.PatientRestInput` in credentials.yml."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "PatientRestInput":
        credentials = credentials or {}
        return cls(
            credentials.get("domain", "domain.yml"),
            credentials.get("unavailable_response", "utter_service_indisponible"),
        )

    def __init__(self, domain_path: Text, unavailable_response: Text) -> None:
        with open(domain_path, encoding="utf-8") as handle:
            variants = yaml.safe_load(handle)["responses"][unavailable_response]
        self.unavailable_text = " ".join(variants[0]["text"].split())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("patient_rest_webhook")

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
            except Exception as error:  # noqa: BLE001 - any failure gets the same answer
                # The patient's words stay out of the logs.
                logger.error("Message handling failed: %s", type(error).__name__)
                return response.json(self._unavailable(sender, collector.messages), status=503)
            return response.json(collector.messages)

        return webhook

    def _unavailable(self, sender: Text, said: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        return said + [{"recipient_id": sender, "text": self.unavailable_text}]


def _json_object(request: Request) -> Optional[Dict[str, Any]]:
    try:
        payload = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own error types for bad JSON
        return None
    return payload if isinstance(payload, dict) else None
