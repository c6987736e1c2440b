"""Plays the staff's test dialogues against a running assistant, over the REST channel as a
patient would, and reads what happened in each turn from the HTTP API's tracker: which
responses and knowledge entries were given, the predicted intent, the triage level."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

import requests

from tools.client import RestClient, new_sender
from tools.staff.dialogues import Dialogue, Turn

KNOWLEDGE_SLOT = "answered_topics"
TRIAGE_SLOT = "triage"
NO_TRIAGE = "aucun"


@dataclass
class TurnResult:
    turn: Turn
    sent: str = ""
    replies: List[str] = field(default_factory=list)
    buttons: List[str] = field(default_factory=list)
    responses: List[str] = field(default_factory=list)  # response names and knowledge entries
    intent: str | None = None
    confidence: float | None = None
    triage: str = NO_TRIAGE
    failures: List[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class DialogueResult:
    dialogue: Dialogue
    turns: List[TurnResult] = field(default_factory=list)
    error: str | None = None  # the dialogue could not be played to the end

    @property
    def passed(self) -> bool:
        return self.error is None and all(turn.passed for turn in self.turns)

    @property
    def triage_reached(self) -> str:
        return self.turns[-1].triage if self.turns else NO_TRIAGE


def normalise(text: str) -> str:
    """Case, typographic apostrophes and spacing do not matter in `contient`."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


def turn_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What the tracker recorded in one turn: the events since the previous turn (on the
    first turn, the session start and its welcome too)."""
    user: Dict[str, Any] = next((e for e in reversed(events) if e.get("event") == "user"), {})
    intent = (user.get("parse_data") or {}).get("intent") or {}
    responses: List[str] = []
    for event in events:
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            if name:
                responses.append(name)
        elif event.get("event") == "slot" and event.get("name") == KNOWLEDGE_SLOT:
            responses.extend(event.get("value") or [])
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "responses": responses,
    }


def check(result: TurnResult) -> List[str]:
    """The turn's expectations that were not met, in words staff understand."""
    turn = result.turn
    failures = []
    for name in turn.responses:
        if name not in result.responses:
            failures.append(f"réponse attendue « {name} », obtenue {result.responses or 'aucune'}")
    said = normalise(" ".join(result.replies + result.buttons))
    for phrase in turn.phrases:
        if normalise(phrase) not in said:
            failures.append(f"la réponse ne contient pas « {phrase} »")
    for name in turn.absent_responses:
        if name in result.responses:
            failures.append(f"réponse « {name} » donnée alors qu'elle ne devait pas l'être")
    for phrase in turn.absent_phrases:
        if normalise(phrase) in said:
            failures.append(f"la réponse contient « {phrase} », qui ne devait pas y être")
    if turn.triage is not None and turn.triage != result.triage:
        failures.append(f"triage attendu « {turn.triage} », obtenu « {result.triage} »")
    return failures


def _button_payload(title: str, last_replies: List[Dict[str, Any]]) -> str | None:
    for reply in last_replies:
        for button in reply.get("buttons") or []:
            if normalise(button.get("title", "")) == normalise(title):
                return button.get("payload")
    return None


def play(client: RestClient, dialogue: Dialogue, sender: str | None = None) -> DialogueResult:
    """Plays one dialogue in a new conversation. A turn whose expectations fail does not stop
    it; a missing button or a server that does not answer does."""
    sender = sender or new_sender("dialogue")
    result = DialogueResult(dialogue)
    last_replies: List[Dict[str, Any]] = []
    seen_events = 0
    for turn in dialogue.turns:
        outcome = TurnResult(turn)
        result.turns.append(outcome)
        if turn.patient is not None:
            outcome.sent = turn.patient
        else:
            payload = _button_payload(turn.button or "", last_replies)
            if payload is None:
                offered = [b.get("title") for r in last_replies for b in r.get("buttons") or []]
                outcome.failures.append(
                    f"pas de bouton « {turn.button} » dans la réponse précédente ({offered})"
                )
                return result
            outcome.sent = payload
        try:
            last_replies = client.send(outcome.sent, sender)
            tracker = client.tracker(sender)
        except (
            requests.RequestException,
            ValueError,
        ) as error:  # down, refusing, or not JSON: reported
            result.error = f"le serveur n'a pas répondu ({type(error).__name__}: {error})"
            return result
        events = tracker.get("events") or []
        recorded = turn_events(events[seen_events:])
        seen_events = len(events)
        outcome.replies = [reply["text"] for reply in last_replies if reply.get("text")]
        outcome.buttons = [
            b.get("title", "") for reply in last_replies for b in reply.get("buttons") or []
        ]
        outcome.responses = recorded["responses"]
        outcome.intent = recorded["intent"]
        outcome.confidence = recorded["confidence"]
        outcome.triage = (tracker.get("slots") or {}).get(TRIAGE_SLOT) or NO_TRIAGE
        outcome.failures = check(outcome)
    return result


def play_all(client: RestClient, dialogues: Sequence[Dialogue]) -> List[DialogueResult]:
    return [play(client, dialogue) for dialogue in dialogues]
