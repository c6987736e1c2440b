"""Answers questions from the reviewed knowledge base, with related topics as buttons, and
records which entries it answered (slot `answered_topics`, for staff review; its presence
also tells the UnansweredTurnPolicy that the action worked)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_base import KnowledgeBase

logger = logging.getLogger(__name__)

ANSWERED_TOPICS_SLOT = "answered_topics"


class ActionAnswerFromKnowledge(Action):
    def __init__(self) -> None:
        self.knowledge = KnowledgeBase.load()

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        entries = self.knowledge.answers_for(intent, message.get("entities") or [])
        if not entries:
            logger.warning("No knowledge entry answers intent %s", intent)
            dispatcher.utter_message(response="utter_default")
            return [SlotSet(ANSWERED_TOPICS_SLOT, [])]
        for entry in entries[:-1]:
            dispatcher.utter_message(text=entry.text)
        last = entries[-1]
        buttons = [
            {"title": related.title, "payload": related.payload}
            for related in self.knowledge.related(last)
        ]
        dispatcher.utter_message(text=last.text, buttons=buttons)
        return [SlotSet(ANSWERED_TOPICS_SLOT, [entry.id for entry in entries])]
