"""Button payloads read strictly: `/intent` or `/intent{json object}`, with a known intent.

Rasa reads any text starting with "/" as a payload and skips NLU for it, the red-flag detector
included; a patient who starts a message with "/" must still be read. Text that is not a
payload of this exact form is the patient's words.
"""

from __future__ import annotations

import json
import re
import string
from typing import AbstractSet

from rasa.shared.constants import INTENT_MESSAGE_PREFIX

_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_][A-Za-z0-9_]*)(?P<entities>\{.*\})?", re.DOTALL)


def is_button_payload(text: str, intents: AbstractSet[str] | None = None) -> bool:
    """Whether `text` is exactly a payload; with `intents`, one of a known intent."""
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None or (intents is not None and match.group("intent") not in intents):
        return False
    entities = match.group("entities")
    if entities is None:
        return True
    try:
        return isinstance(json.loads(entities), dict)
    except ValueError:
        return False


def as_plain_text(text: str) -> str:
    """The patient's words without the leading "/" that would make Rasa skip NLU."""
    return text.lstrip(INTENT_MESSAGE_PREFIX + string.whitespace).rstrip()
