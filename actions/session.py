"""Starts each conversation with the welcome: information not diagnosis, emergency
numbers, and what the assistant can help with."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_bienvenue")
        # Slots are not carried over: a new session is a new triage (domain session_config).
        return [SessionStarted(), ActionExecuted("action_listen")]
