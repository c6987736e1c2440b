"""Reading a Messenger webhook call as Meta documents it: its signature, its shape, and the
events already seen.

- X-Hub-Signature-256 (sha256) is checked first; X-Hub-Signature (sha1) only when it is absent;
  any other algorithm is refused;
- a body of another shape than {"entry": [{"messaging": [{"sender": {"id": ...}, ...}]}]} is
  malformed;
- an event whose message id (`mid`) was seen within the replay window is dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping

from assistant.channels.sessions import MAX_SENDER_CHARS

MAX_BODY_BYTES = 1_000_000
REPLAY_WINDOW_SECONDS = 24 * 3600
_MAX_REMEMBERED = 100_000
_ALGORITHMS = {
    "X-Hub-Signature-256": ("sha256", hashlib.sha256),
    "X-Hub-Signature": ("sha1", hashlib.sha1),
}


class MalformedEventError(ValueError):
    pass


@dataclass(frozen=True)
class Event:
    sender: str  # the page-scoped id of the writer
    text: str | None  # None for an event the bot does not read (echo, location, share...)
    mid: str | None


def signature_is_valid(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """The sha256 signature when there is one, otherwise the sha1 one; nothing else."""
    for header, (name, digest) in _ALGORITHMS.items():
        value = headers.get(header)
        if value is None:
            continue
        algorithm, _, signature = value.partition("=")
        if algorithm != name or not secret:
            return False
        expected = hmac.new(secret.encode(), body, digest).hexdigest()
        return hmac.compare_digest(signature.encode(), expected.encode())
    return False


def read_events(payload: Any) -> List[Event]:
    """The messaging events of a webhook body; MalformedEventError if its shape is not Messenger's."""
    entries = _field(payload, "entry", list)
    events: List[Event] = []
    for entry in entries:
        messaging = entry.get("messaging", []) if isinstance(entry, dict) else None
        if not isinstance(messaging, list):
            raise MalformedEventError("entry")
        events.extend(_event(item) for item in messaging)
    return events


def _event(item: Any) -> Event:
    sender = _field(_field(item, "sender", dict), "id", (str, int))
    sender = str(sender)
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise MalformedEventError("sender")
    message, postback = item.get("message"), item.get("postback")
    if message is not None:
        if not isinstance(message, dict):
            raise MalformedEventError("message")
        return Event(sender, _message_text(message), _optional_str(message.get("mid")))
    if postback is not None:
        if not isinstance(postback, dict):
            raise MalformedEventError("postback")
        payload = postback.get("payload")
        text = payload if isinstance(payload, str) else None
        return Event(sender, text, _optional_str(postback.get("mid")))
    return Event(sender, None, None)


def _message_text(message: Dict[str, Any]) -> str | None:
    if message.get("is_echo"):
        return None
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
        return str(quick_reply["payload"])
    text = message.get("text")
    return text if isinstance(text, str) else None


def _field(container: Any, key: str, kind: Any) -> Any:
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise MalformedEventError(key)
    return value


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class SeenMessages:
    """The message ids seen within the replay window (the oldest forgotten first)."""

    def __init__(
        self,
        window: float = REPLAY_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        capacity: int = _MAX_REMEMBERED,
    ) -> None:
        self._window = window
        self._clock = clock
        self._capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, mid: str | None) -> bool:
        """Whether `mid` is new (and remembers it). An event without id is always new."""
        if mid is None:
            return True
        now = self._clock()
        while self._seen and (
            len(self._seen) >= self._capacity
            or next(iter(self._seen.values())) < now - self._window
        ):
            self._seen.popitem(last=False)
        if mid in self._seen:
            return False
        self._seen[mid] = now
        return True
