"""The metrics each Rasa server keeps, with labels from fixed sets only: channel names, triage
levels. No label ever holds what a patient wrote or who they are."""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Dict, Iterable

from prometheus_client import Counter, Histogram

from assistant.safety.levels import URGENT_LEVELS

TRIAGE_SLOT = "triage"

MESSAGES = Counter("metastases_messages", "Patient messages handled, by channel.", ["channel"])
REPLY_SECONDS = Histogram(
    "metastases_reply_seconds",
    "Time from a patient's message to the bot's full reply, by channel.",
    ["channel"],
    buckets=(0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
URGENT_REFERRALS = Counter(
    "metastases_urgent_referrals",
    "Urgent referrals given, by level (the `triage` slot set in the turn).",
    ["level"],
)
FALLBACKS = Counter(
    "metastases_fallbacks", "Messages the bot did not understand (it asked to rephrase)."
)
HONEST_GAPS = Counter(
    "metastases_honest_gap_answers",
    "Questions the bot understood but the reviewed article does not cover (it said so).",
)
ACTION_SERVER_ERRORS = Counter(
    "metastases_action_server_errors",
    "Turns where the action server failed or could not be reached (the bot apologised).",
)

for _level in URGENT_LEVELS:
    URGENT_REFERRALS.labels(level=_level)

Handler = Callable[[Any], Awaitable[Any]]


def counted(on_new_message: Handler, channel: str) -> Handler:
    """The channel's message handler, counting each message and timing the bot's reply."""
    messages = MESSAGES.labels(channel=channel)
    reply_seconds = REPLY_SECONDS.labels(channel=channel)

    async def handler(message: Any) -> Any:
        started = time.perf_counter()
        try:
            return await on_new_message(message)
        finally:
            reply_seconds.observe(time.perf_counter() - started)
            messages.inc()

    return handler


# The knowledge action's kind of answer (actions/knowledge_answers.py) when it is an honest gap.
ANSWER_KIND_SLOT = "answer_kind"
GAP_ANSWER = "gap"


class TurnOutcomes:
    """Counts what the stored events of a conversation show: urgent referrals by the triage
    level set, and the bot's fallback, honest-gap and unavailable answers by their response (or,
    for the knowledge base's gaps, by the kind of answer the action records)."""

    def __init__(
        self,
        fallback_responses: Iterable[str],
        honest_gap_responses: Iterable[str],
        unavailable_responses: Iterable[str],
    ) -> None:
        self._by_response: Dict[str, Counter] = {}
        for names, counter in (
            (fallback_responses, FALLBACKS),
            (honest_gap_responses, HONEST_GAPS),
            (unavailable_responses, ACTION_SERVER_ERRORS),
        ):
            self._by_response.update(dict.fromkeys(names, counter))

    def count(self, event: Dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == TRIAGE_SLOT:
            level = event.get("value")
            if level in URGENT_LEVELS:
                URGENT_REFERRALS.labels(level=level).inc()
        elif kind == "slot" and event.get("name") == ANSWER_KIND_SLOT:
            if event.get("value") == GAP_ANSWER:
                HONEST_GAPS.inc()  # the knowledge base has no information on that point
        elif kind == "bot":
            response = (event.get("metadata") or {}).get("utter_action")
            counter = self._by_response.get(response) if isinstance(response, str) else None
            if counter is not None:
                counter.inc()
