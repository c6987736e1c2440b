"""Answers questions from the reviewed knowledge base at the grain of the question: the subject
named (or that of the previous answer, for a follow-up) and the aspect asked. The next aspects
of the subject come as buttons; the same entry is never sent twice in a row; "je comprends pas"
gets the entry's simpler wording.

Slots: `answered_topics` (the entries of the latest answer, for staff review; its presence also
tells the UnansweredTurnPolicy that the action worked), `subject` (what a follow-up is about) and
`answer_kind` (fact, gap, repeat, simpler: for the staff dashboard)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_base import (
    DEFAULT_SUBJECT,
    FOLLOWUP_INTENT,
    FOLLOWUP_INTENTS,
    Entry,
    KnowledgeBase,
)

logger = logging.getLogger(__name__)

ANSWERED_TOPICS_SLOT = "answered_topics"
SUBJECT_SLOT = "subject"
ANSWER_KIND_SLOT = "answer_kind"
FACT, GAP, REPEAT, SIMPLER = "fact", "gap", "repeat", "simpler"
# A warning sign the message names without reporting it (asked about, supposed, denied): the
# red-flag component's entity (assistant/safety/nlu_signal.py).
SIGN_ASKED_ABOUT = "signe_alerte_ecarte"
# An answer that already says when to call the emergency numbers.
WARNING_MARK = "15"


def asks_about_a_sign(entities: List[Dict[str, Any]]) -> bool:
    return any(e.get("entity") == SIGN_ASKED_ABOUT for e in entities)


class KnowledgeAction:
    """What both actions share (not an Action itself: rasa-sdk registers every Action subclass)."""

    knowledge: KnowledgeBase | None = None

    def __init__(self) -> None:
        if KnowledgeAction.knowledge is None:
            KnowledgeAction.knowledge = KnowledgeBase.load()
        self.kb: KnowledgeBase = KnowledgeAction.knowledge

    def buttons(self, entry: Entry) -> List[Dict[str, str]]:
        return [
            {"title": other.title, "payload": self.kb.subjects[other.subject].payload(other.aspect)}
            for other in self.kb.next_entries(entry)
        ]

    def last_answer(self, tracker: Tracker) -> List[Entry]:
        ids = tracker.get_slot(ANSWERED_TOPICS_SLOT) or []
        return [entry for entry in map(self.kb.entry_by_id, ids) if entry]


class ActionAnswerFromKnowledge(KnowledgeAction, Action):
    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        entities = message.get("entities") or []
        text = message.get("text") or ""
        current = self.kb.subjects.get(tracker.get_slot(SUBJECT_SLOT) or "")
        if current and self.kb.is_follow_up(text, entities):
            intent = FOLLOWUP_INTENT  # "c'est remboursé ?" right after an answer: its subject
        follow_up = current is not None and intent in FOLLOWUP_INTENTS
        named = self.kb.subjects_named(intent, entities, follow_up)
        subjects = self.kb.within(named, current)
        if not subjects and intent in FOLLOWUP_INTENTS:
            subjects = [current or self.kb.subjects[DEFAULT_SUBJECT]]
        if not subjects:
            logger.warning("No knowledge subject answers intent %s", intent)
            dispatcher.utter_message(response="utter_default")
            return [SlotSet(ANSWERED_TOPICS_SLOT, [])]
        aspect = self.kb.aspect_asked(entities, text)
        previous = self.last_answer(tracker)
        if previous and not follow_up and previous[-1].subject not in {s.id for s in subjects}:
            aspect = self.kb.aspect_carried(text, entities, previous[-1].aspect) or aspect
        entries = [self.kb.entry(subject, aspect) for subject in subjects]
        if not follow_up and all(entry.is_gap for entry in entries):
            entries = self.kb.reviewed_named(entities, aspect) or entries
        last = entries[-1]
        answered = [entry.id for entry in entries]
        if answered == [e.id for e in previous]:
            if tracker.get_slot(ANSWER_KIND_SLOT) == REPEAT:
                dispatcher.utter_message(
                    response="utter_rien_a_ajouter", buttons=self.buttons(last)
                )
                return [SlotSet(ANSWER_KIND_SLOT, REPEAT)]
            dispatcher.utter_message(response="utter_rien_de_plus")
            dispatcher.utter_message(text=last.simple, buttons=self.buttons(last))
            return [SlotSet(ANSWERED_TOPICS_SLOT, answered), SlotSet(ANSWER_KIND_SLOT, REPEAT)]
        for entry in entries[:-1]:
            dispatcher.utter_message(text=entry.text)
        if asks_about_a_sign(entities) and not any(WARNING_MARK in e.text for e in entries):
            # "imaginons que je ne puisse plus marcher, j'appelle qui ?": the answer, then
            # what must never wait
            dispatcher.utter_message(text=last.text)
            dispatcher.utter_message(text=self.kb.warning, buttons=self.buttons(last))
        else:
            dispatcher.utter_message(text=last.text, buttons=self.buttons(last))
        return [
            SlotSet(ANSWERED_TOPICS_SLOT, answered),
            SlotSet(SUBJECT_SLOT, last.subject),
            SlotSet(ANSWER_KIND_SLOT, GAP if all(e.is_gap for e in entries) else FACT),
        ]


class ActionRephraseLastAnswer(KnowledgeAction, Action):
    """ "je comprends pas", "c'est-à-dire ?": the reviewed simpler wording of the last answer,
    once; asked again, the care team, who can explain face to face."""

    def name(self) -> str:
        return "action_rephrase_last_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        entries = self.last_answer(tracker)
        if not entries:
            dispatcher.utter_message(response="utter_rien_a_reformuler")
            return []
        if tracker.get_slot(ANSWER_KIND_SLOT) == SIMPLER:
            dispatcher.utter_message(response="utter_pas_plus_simple")
            return []
        for entry in entries[:-1]:
            dispatcher.utter_message(text=entry.simple)
        dispatcher.utter_message(text=entries[-1].simple, buttons=self.buttons(entries[-1]))
        return [SlotSet(ANSWER_KIND_SLOT, SIMPLER)]
