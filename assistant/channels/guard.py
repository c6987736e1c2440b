"""What every channel does with a patient's message before Rasa reads it: a message over the
cap gets the domain's request for a shorter one and goes no further; text that starts with "/"
without being a button payload is passed on as plain text, so that NLU and the red-flag
detector read it."""

from __future__ import annotations

from functools import lru_cache
from typing import AbstractSet, Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.domain import Domain

from assistant import log_privacy
from assistant.channels.limits import MAX_MESSAGE_CHARS, TOO_LONG_RESPONSE
from assistant.channels.payloads import as_plain_text, is_button_payload
from content import DOMAIN_DIR, response_text

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@lru_cache(maxsize=1)
def domain_intents() -> AbstractSet[str]:
    """The domain's intents, Rasa's own (session_start, restart...) included."""
    return frozenset(Domain.load(str(DOMAIN_DIR)).intents)


@lru_cache(maxsize=1)
def too_long_text() -> str:
    return response_text(TOO_LONG_RESPONSE)


def guarded(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> Any:
        text = message.text or ""
        log_privacy.remember(text, message.sender_id, message.sender_id.partition(":")[2])
        if len(text) > MAX_MESSAGE_CHARS:
            await message.output_channel.send_text_message(message.sender_id, too_long_text())
            return None
        if text.lstrip().startswith("/") and not is_button_payload(text, domain_intents()):
            message.text = as_plain_text(text)
        return await on_new_message(message)

    return handle
