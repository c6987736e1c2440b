"""Starts each conversation with the welcome: information not diagnosis, emergency
numbers, and what the assistant can help with."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if not _repeated_for_the_same_message(tracker):
            dispatcher.utter_message(response="utter_bienvenue")
        # Slots are not carried over: a new session is a new triage (domain session_config).
        return [SessionStarted(), ActionExecuted("action_listen")]


def _repeated_for_the_same_message(tracker: Tracker) -> bool:
    """A widget's "/session_start" on a brand-new conversation runs this action twice: once
    because the conversation is new, once for the intent. The welcome is said once."""
    user_messages = [e for e in tracker.events if e.get("event") == "user"]
    latest_intent = (tracker.latest_message.get("intent") or {}).get("name")
    return len(user_messages) == 1 and latest_intent == "session_start"
