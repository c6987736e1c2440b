"""Conversations from the SQL tracker store, as staff review them: what the patient wrote
with the predicted intent, what the bot answered, the triage level, and markers on fallbacks,
low confidence and urgent referrals. Sender ids are replaced by pseudonyms on reading."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import sqlalchemy as sa

from assistant.safety.levels import URGENT_LEVELS, most_urgent
from assistant.stores.retention import events_by_sender, senders_between
from tools.staff.pseudonyms import pseudonym

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
FALLBACK_RESPONSE = "utter_default"
LOW_CONFIDENCE = 0.6

# Markers, as the pages' CSS classes and the index's columns name them.
FALLBACK = "fallback"
UNSURE = "low-confidence"
URGENT = "urgent"
MARKERS = (URGENT, FALLBACK, UNSURE)

# How many conversations are read from the store at a time.
BATCH = 500


class StoreError(RuntimeError):
    """The tracker store cannot be read: no database file, no events table, no connection."""


@dataclass(frozen=True)
class Entry:
    """One line of a transcript: a patient message (`patient`), a bot answer (`bot`), a new
    triage level (`triage`) or the start of a new session (`session`)."""

    kind: str
    timestamp: float
    text: str = ""
    buttons: Tuple[str, ...] = ()
    intent: str | None = None
    confidence: float | None = None
    # The best other intent of the ranking, a hint for staff labelling a misunderstood message.
    runner_up: str | None = None
    response: str | None = None
    level: str | None = None
    markers: Tuple[str, ...] = ()


@dataclass
class Conversation:
    pseudonym: str
    entries: List[Entry] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.entries[0].timestamp

    @property
    def end(self) -> float:
        return self.entries[-1].timestamp

    def messages(self, kind: str) -> int:
        """How many messages the patient (`patient`) or the bot (`bot`) wrote."""
        return sum(entry.kind == kind for entry in self.entries)

    def turns(self) -> List[List[Entry]]:
        """The entries grouped by patient message: each with what followed it."""
        grouped: List[List[Entry]] = [[]]
        for entry in self.entries:
            if entry.kind == "patient" and grouped[-1]:
                grouped.append([])
            grouped[-1].append(entry)
        return grouped

    def count(self, marker: str) -> int:
        """How many turns carry this marker: a fallback counts once, on the message or the answer."""
        return sum(any(marker in entry.markers for entry in turn) for turn in self.turns())

    @property
    def triage(self) -> str | None:
        """The most urgent triage level reached."""
        return most_urgent(entry.level for entry in self.entries)

    def unsure_messages(self) -> List[Entry]:
        """The patient's messages with low confidence or answered by a fallback."""
        return [
            turn[0]
            for turn in self.turns()
            if turn[0].kind == "patient"
            and (UNSURE in turn[0].markers or any(FALLBACK in e.markers for e in turn))
        ]


def check_store(engine: sa.engine.Engine) -> None:
    """Raises StoreError unless the store holds an events table."""
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        # Connecting would create an empty database file.
        raise StoreError(
            f"la base SQLite {engine.url.database} n'existe pas (aucune conversation enregistrée)"
        )
    try:
        has_events = sa.inspect(engine).has_table("events")
    except sa.exc.OperationalError as error:
        raise StoreError(
            f"connexion impossible à la base des conversations ({error.orig})"
        ) from error
    if not has_events:
        raise StoreError(
            f"la base {engine.url.render_as_string(hide_password=True)} n'a pas de table `events`"
            " (aucune conversation enregistrée)"
        )


def day_bounds(first: date | None, last: date | None) -> Tuple[float | None, float | None]:
    """Epoch seconds from the start of `first` to the end of `last`, in the machine's local time."""
    start = datetime.combine(first, time.min).timestamp() if first else None
    end = datetime.combine(last + timedelta(days=1), time.min).timestamp() if last else None
    return start, end


def read_conversations(
    engine: sa.engine.Engine,
    key: bytes,
    start: float | None = None,
    end: float | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> Iterator[Conversation]:
    """The conversations with activity from `start` to before `end`, the earliest first: their
    sessions with an event in that range, those in which the patient wrote something."""
    for sender, in_range in stored_sessions(engine, start, end):
        kept = [event for session in in_range for event in session]
        conversation = to_conversation(pseudonym(sender, key), kept, threshold)
        if conversation.messages("patient"):
            yield conversation


def stored_sessions(
    engine: sa.engine.Engine, start: float | None = None, end: float | None = None
) -> Iterator[Tuple[str, List[List[Dict[str, Any]]]]]:
    """Each sender with activity from `start` to before `end`, the earliest first, and the
    events of their sessions with an event in that range."""
    senders = senders_between(engine, start, end)
    for first in range(0, len(senders), BATCH):
        for sender, events in events_by_sender(engine, senders[first : first + BATCH]).items():
            yield sender, [session for session in sessions(events) if active(session, start, end)]


def starts_session(event: Dict[str, Any]) -> bool:
    # The session start action comes first: its welcome message precedes `session_started`.
    return event.get("event") == "action" and event.get("name") == "action_session_start"


def sessions(events: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """The events split where a new Rasa session starts."""
    split: List[List[Dict[str, Any]]] = [[]]
    for event in events:
        if starts_session(event) and split[-1]:
            split.append([])
        split[-1].append(event)
    return split


def active(events: List[Dict[str, Any]], start: float | None, end: float | None) -> bool:
    return any(
        (start is None or event["timestamp"] >= start) and (end is None or event["timestamp"] < end)
        for event in events
    )


def to_conversation(
    name: str, events: List[Dict[str, Any]], threshold: float = LOW_CONFIDENCE
) -> Conversation:
    conversation = Conversation(name)
    action = None
    for event in events:
        if event.get("event") == "action":
            action = event.get("name")
        entry = to_entry(event, threshold)
        if entry is not None and entry.kind == "bot" and not entry.response:
            # A custom action's message names no response: the action that sent it stands in.
            entry = replace(entry, response=action)
        if entry is not None:
            conversation.entries.append(entry)
    return conversation


def to_entry(event: Dict[str, Any], threshold: float = LOW_CONFIDENCE) -> Entry | None:
    """The transcript line of a stored event, or None for events staff need not read."""
    kind, timestamp = event.get("event"), event["timestamp"]
    if kind == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        name, confidence = intent.get("name"), intent.get("confidence")
        markers = ((FALLBACK,) if name == FALLBACK_INTENT else ()) + (
            (UNSURE,) if confidence is not None and confidence < threshold else ()
        )
        others = [other.get("name") for other in parse.get("intent_ranking") or []]
        runner_up = next((other for other in others if other not in (name, FALLBACK_INTENT)), None)
        return Entry(
            "patient",
            timestamp,
            event.get("text") or "",
            intent=name,
            confidence=confidence,
            runner_up=runner_up,
            markers=markers,
        )
    if kind == "bot":
        response = (event.get("metadata") or {}).get("utter_action")
        data = event.get("data") or {}
        buttons = tuple(str(button.get("title", "")) for button in data.get("buttons") or [])
        return Entry(
            "bot",
            timestamp,
            bot_text(event),
            buttons=buttons,
            response=response,
            markers=(FALLBACK,) if response == FALLBACK_RESPONSE else (),
        )
    if kind == "slot" and event.get("name") == "triage" and event.get("value"):
        level = event["value"]
        return Entry(
            "triage", timestamp, level=level, markers=(URGENT,) if level in URGENT_LEVELS else ()
        )
    if starts_session(event):
        return Entry("session", timestamp)
    return None


def bot_text(event: Dict[str, Any]) -> str:
    """The text of a bot answer, also when a channel-specific response carries it in `custom`."""
    custom = (event.get("data") or {}).get("custom") or {}
    nested = custom["data"] if isinstance(custom.get("data"), dict) else {}
    return event.get("text") or custom.get("text") or nested.get("text") or ""


def with_marker(conversations: List[Conversation], marker: str) -> int:
    """How many of these conversations carry this marker somewhere."""
    return sum(1 for conversation in conversations if conversation.count(marker))


def selected(
    conversation: Conversation, urgent_only: bool = False, fallback_only: bool = False
) -> bool:
    """Whether a conversation passes the filters (both, when both are asked for)."""
    return (not urgent_only or conversation.count(URGENT) > 0) and (
        not fallback_only or conversation.count(FALLBACK) > 0
    )
