"""What the staff dashboard counts in each conversation of the SQL tracker store, read with the
conversation review's own reader (tools/staff/transcripts.py): the patient's messages with
their channel and what became of them (fallback, honest "no information", low confidence), the
urgent referrals, the knowledge entries and kinds of answer given, the warning-sign
questionnaires and how each ended.

A conversation here is one Rasa session in which the patient wrote something; it belongs to
the day of its first message. Sender ids are replaced by pseudonyms on reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Tuple

import sqlalchemy as sa

from assistant.safety.levels import NON_URGENT, URGENCE_24H, URGENCE_IMMEDIATE, URGENT_LEVELS
from assistant.safety.turn import (
    FORM,
    TRIAGE_SLOT,
    UTTER_FORM_INTRO,
    UTTER_FORM_STOPPED,
    UTTER_NON_URGENT,
    UTTER_REMINDER,
)
from tools.staff.pseudonyms import pseudonym
from tools.staff.transcripts import (
    FALLBACK,
    FALLBACK_ACTION,
    LOW_CONFIDENCE,
    UNSURE,
    Conversation,
    stored_sessions,
    to_conversation,
    to_entry,
)

# Slots set by action_answer_from_knowledge (content/domain/knowledge.yml).
ANSWERED_TOPICS_SLOT = "answered_topics"
ANSWER_KIND_SLOT = "answer_kind"
# The honest "I have no information on this, ask your team" answer.
GAP = "gap"

# How a warning-sign questionnaire ended: its verdict, stopped by the patient, or not at all
# (the patient left before the last answer).
STOPPED = "interrompu"
UNFINISHED = "sans_fin"
OUTCOMES = (URGENCE_IMMEDIATE, URGENCE_24H, NON_URGENT, STOPPED, UNFINISHED)
# An urgent verdict is read from the `triage` slot it sets; a reminder as the verdict means the
# alert already pending stands.
_OUTCOME_OF_RESPONSE = {UTTER_NON_URGENT: NON_URGENT, UTTER_FORM_STOPPED: STOPPED}


@dataclass
class Message:
    """A patient's message and what became of it."""

    timestamp: float
    text: str
    intent: str | None
    confidence: float | None
    channel: str | None
    # FALLBACK, GAP, UNSURE: why the content team should read it.
    reasons: Tuple[str, ...] = ()
    in_questionnaire: bool = False  # an answer to the warning-sign questions

    @property
    def from_button(self) -> bool:
        """A button's payload ("/affirm"), not words the patient typed."""
        return self.text.startswith("/")


@dataclass(frozen=True)
class Referral:
    timestamp: float
    level: str


@dataclass
class Session:
    pseudonym: str
    conversation: Conversation  # the transcript, for the pages the dashboard links to
    messages: List[Message] = field(default_factory=list)
    referrals: List[Referral] = field(default_factory=list)
    entries: List[str] = field(default_factory=list)  # knowledge entries given
    answer_kinds: List[str] = field(default_factory=list)
    questionnaires: List[str] = field(default_factory=list)  # their outcomes
    ended_after_referral: bool = False

    @property
    def start(self) -> float:
        return self.messages[0].timestamp

    @property
    def end(self) -> float:
        return self.conversation.end

    @property
    def channel(self) -> str | None:
        return self.messages[0].channel


def read_sessions(
    engine: sa.engine.Engine,
    key: bytes,
    start: float | None = None,
    end: float | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> Iterator[Session]:
    """The conversations whose first patient message is from `start` to before `end`."""
    for sender, in_range in stored_sessions(engine, start, end):
        name = pseudonym(sender, key)
        for events in in_range:
            session = to_session(name, events, threshold)
            if session is not None and within(session.start, start, end):
                yield session


def within(timestamp: float, start: float | None, end: float | None) -> bool:
    return (start is None or timestamp >= start) and (end is None or timestamp < end)


def to_session(
    name: str, events: List[Dict[str, Any]], threshold: float = LOW_CONFIDENCE
) -> Session | None:
    """The counts of one stored session, or None if the patient wrote nothing in it."""
    session = Session(name, to_conversation(name, events, threshold))
    questionnaire_open = False
    last_referral_after = -1  # messages written before the latest referral
    for event in events:
        kind = event.get("event")
        current = session.messages[-1] if session.messages else None
        if kind == "user":
            entry = to_entry(event, threshold)
            assert entry is not None
            session.messages.append(
                Message(
                    entry.timestamp,
                    entry.text,
                    entry.intent,
                    entry.confidence,
                    event.get("input_channel"),
                    tuple(marker for marker in (FALLBACK, UNSURE) if marker in entry.markers),
                    in_questionnaire=questionnaire_open,
                )
            )
        elif kind == "bot":
            entry = to_entry(event, threshold)
            response = entry.response if entry else None
            if current and entry and FALLBACK in entry.markers:
                add_reason(current, FALLBACK)
            if response == UTTER_FORM_INTRO and not questionnaire_open:
                questionnaire_open = True
                session.questionnaires.append(UNFINISHED)
            elif questionnaire_open and response in _OUTCOME_OF_RESPONSE:
                questionnaire_open = False
                session.questionnaires[-1] = _OUTCOME_OF_RESPONSE[response]
            elif questionnaire_open and response == UTTER_REMINDER and session.referrals:
                questionnaire_open = False
                session.questionnaires[-1] = session.referrals[-1].level
        elif kind == "action" and event.get("name") == FALLBACK_ACTION and current:
            add_reason(current, FALLBACK)
        elif kind == "active_loop" and event.get("name") == FORM and not questionnaire_open:
            questionnaire_open = True
            session.questionnaires.append(UNFINISHED)
        elif kind == "slot":
            value = event.get("value")
            if event.get("name") == TRIAGE_SLOT and value in URGENT_LEVELS:
                session.referrals.append(Referral(event["timestamp"], value))
                last_referral_after = len(session.messages)
                if questionnaire_open:
                    questionnaire_open = False
                    session.questionnaires[-1] = value
            elif event.get("name") == ANSWERED_TOPICS_SLOT and isinstance(value, list):
                session.entries.extend(str(entry) for entry in value)
            elif event.get("name") == ANSWER_KIND_SLOT and value:
                session.answer_kinds.append(str(value))
                if value == GAP and current:
                    add_reason(current, GAP)
    if not session.messages:
        return None
    session.ended_after_referral = last_referral_after == len(session.messages)
    return session


def add_reason(message: Message, reason: str) -> None:
    """Adds a reason, keeping them in one order: FALLBACK, GAP, UNSURE."""
    message.reasons = tuple(
        known for known in (FALLBACK, GAP, UNSURE) if known in message.reasons or known == reason
    )
