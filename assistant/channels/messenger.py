"""Facebook Messenger, as Rasa's facebook channel with what Messenger needs of a patient bot.

Rasa 3.6's channel drops every button when there are more than three, answers a forged
signature with 200, and calls the Send API with blocking requests inside the event loop.
This channel, registered under the same name (webhook /webhooks/facebook/webhook):
- checks X-Hub-Signature-256 first, X-Hub-Signature (sha1) only without it, and answers a
  forged, missing or other signature with 403, processing nothing; a body over 1 MB gets 413
  before it is read, a body of the wrong shape 400, never 500
  (assistant/channels/messenger_events.py);
- ignores the events already seen (by message id, within a day), the echoes and the kinds of
  event the bot does not read, without logging their content;
- reads every event of a call, as conversation `facebook:<page-scoped id>`, through the
  channels' guard (assistant/channels/guard.py);
- keeps every message within Messenger's limits: text cut at 2,000 characters on sentence
  boundaries; up to 3 buttons as a button template (text up to 640 characters), otherwise
  quick replies (at most 13, titles cut at 20 characters);
- calls the Send API from a worker thread, at FB_GRAPH_API_URL when set (tests capture it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List

from fbmessenger import MessengerClient
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import log_privacy
from assistant.channels.blueprints import webhook_blueprint
from assistant.channels.guard import guarded
from assistant.channels.messenger_events import (
    MAX_BODY_BYTES,
    MalformedEventError,
    SeenMessages,
    read_events,
    signature_is_valid,
)
from assistant.channels.sessions import namespaced
from assistant.metrics.counters import counted
from content import CHANNEL_ERRORS, read_yaml

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_TEMPLATE_TEXT = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def split_text(text: str, limit: int = MAX_TEXT) -> List[str]:
    """Cuts a text into parts of at most `limit` characters, between sentences if it can."""
    parts: List[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text.strip()):
        while len(sentence) > limit:
            head, sentence = sentence[:limit], sentence[limit:]
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
        candidate = f"{current} {sentence}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = sentence
    if current:
        parts.append(current)
    return parts


def short_title(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def page_scoped_id(recipient_id: str) -> str:
    """The Messenger id of a conversation's writer (conversations are `facebook:<id>`)."""
    prefix = namespaced(Messenger.name(), "")
    return recipient_id[len(prefix) :] if recipient_id.startswith(prefix) else recipient_id


class MessengerOutput(MessengerBot):
    """Rasa's Messenger output, within Messenger's limits and off the event loop."""

    async def _post(self, payload: Dict[str, Any], recipient_id: str) -> None:
        await asyncio.to_thread(
            self.messenger_client.send, payload, page_scoped_id(recipient_id), "RESPONSE"
        )

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(text):
            await self._post({"text": part}, recipient_id)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) <= MAX_TEMPLATE_BUTTONS and len(text) <= MAX_TEMPLATE_TEXT:
            template_buttons = [
                {"type": "postback", "title": short_title(b["title"]), "payload": b["payload"]}
                for b in buttons
            ]
            payload = {"template_type": "button", "text": text, "buttons": template_buttons}
            await self._post({"attachment": {"type": "template", "payload": payload}}, recipient_id)
        else:
            await self.send_quick_replies(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        *first_parts, last_part = split_text(text)
        for part in first_parts:
            await self._post({"text": part}, recipient_id)
        replies = [
            {"content_type": "text", "title": short_title(q["title"]), "payload": q["payload"]}
            for q in quick_replies[:MAX_QUICK_REPLIES]
        ]
        await self._post({"text": last_part, "quick_replies": replies}, recipient_id)

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        await asyncio.to_thread(
            self.messenger_client.send_action,
            {"sender_action": sender_action},
            page_scoped_id(recipient_id),
        )


def messenger_client(page_access_token: str) -> MessengerClient:
    client = MessengerClient(page_access_token)
    graph_api = os.environ.get("FB_GRAPH_API_URL")
    if graph_api:
        client.graph_url = graph_api.rstrip("/")
    return client


class PatientMessenger(Messenger):
    """Rasa's webhook message handling, with our client and output channel."""

    def __init__(
        self, page_access_token: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ):
        super().__init__(page_access_token, on_new_message)
        self.client = messenger_client(page_access_token)

    async def _handle_user_message(
        self, text: str, sender_id: str, metadata: Dict[str, Any] | None
    ) -> None:
        output = MessengerOutput(self.client)
        await output.send_action(sender_id, "mark_seen")
        await output.send_action(sender_id, "typing_on")
        try:
            await self.on_new_message(
                UserMessage(
                    text,
                    output,
                    namespaced(self.name(), sender_id),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
        except Exception as error:
            # The patient's words and id stay out of the logs.
            logger.error("Could not handle a Messenger message: %s", type(error).__name__)
        finally:
            await output.send_action(sender_id, "typing_off")


class MessengerInput(FacebookInput):
    """Registered as `channels.messenger.MessengerInput` in credentials.yml."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = webhook_blueprint("messenger_webhook")
        on_new_message = counted(guarded(on_new_message), self.name())
        errors = read_yaml(CHANNEL_ERRORS)["messenger"]
        seen = SeenMessages()

        def refused(code: str, status: int) -> HTTPResponse:
            return response.json({"error": code, "message": errors[code]}, status=status)

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if request.args.get("hub.mode", "subscribe") == "subscribe" and (
                request.args.get("hub.verify_token") == self.fb_verify
            ):
                return response.text(request.args.get("hub.challenge", ""))
            return response.text("invalid verify token", status=403)

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            body = await _body_within(request, MAX_BODY_BYTES)
            if body is None:
                return response.json({"error": "too_large"}, status=413)
            if not signature_is_valid(self.fb_secret, body, request.headers):
                logger.warning("Messenger webhook call with a missing or wrong signature refused.")
                return refused("bad_signature", 403)
            try:
                events = read_events(json.loads(body))
            except (ValueError, MalformedEventError):
                return refused("bad_payload", 400)
            messenger = PatientMessenger(self.fb_access_token, on_new_message)
            metadata = self.get_metadata(request)
            for event in events:
                log_privacy.remember(event.sender, event.text)
                if not seen.first_time(event.mid):
                    logger.info("A Messenger event already received was ignored.")
                elif event.text is None:
                    logger.info("A Messenger event of a kind the bot does not read was ignored.")
                else:
                    await messenger._handle_user_message(event.text, event.sender, metadata)
            return response.text("success")

        return webhook

    def get_output_channel(self) -> OutputChannel:
        return MessengerOutput(messenger_client(self.fb_access_token))


async def _body_within(request: Request, limit: int) -> bytes | None:
    """The request's body, or None as soon as it is known to exceed `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    while True:
        chunk = await request.stream.read() if request.stream else None
        if chunk is None:
            return bytes(body)
        body.extend(chunk)
        if len(body) > limit:
            return None
