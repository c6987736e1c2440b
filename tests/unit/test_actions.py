"""The custom actions, run on a hand-built Tracker with a CollectingDispatcher."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_answers import ActionAnswerFromKnowledge
from actions.session import ActionSessionStart
from content import read_domain

DOMAIN = read_domain()


def tracker_for(intent, entities=(), text="question"):
    return Tracker(
        sender_id="test",
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": list(entities),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def test_a_named_treatment_is_answered_with_related_buttons():
    messages, events = run(
        ActionAnswerFromKnowledge(),
        tracker_for(
            "ask_treatments",
            [{"entity": "treatment", "value": "cimentoplastie"}],
            "c'est quoi une cimentoplastie ?",
        ),
    )
    [message] = messages
    assert "cimentoplastie" in message["text"].lower()
    assert 1 <= len(message["buttons"]) <= 3
    assert all(button["payload"].startswith("/") for button in message["buttons"])
    assert events == [SlotSet("answered_topics", ["treatment_cimentoplastie"])]


def test_a_general_question_gets_the_overview():
    [message], _ = run(ActionAnswerFromKnowledge(), tracker_for("ask_exams"))
    assert "scanner" in message["text"].lower() and "irm" in message["text"].lower()


def test_two_named_exams_get_two_answers():
    entities = [{"entity": "exam", "value": "irm"}, {"entity": "exam", "value": "scintigraphie"}]
    messages, _ = run(ActionAnswerFromKnowledge(), tracker_for("ask_exams", entities))
    assert len(messages) == 2
    assert "buttons" in messages[-1]


def test_an_intent_without_an_answer_asks_to_rephrase():
    [message], events = run(ActionAnswerFromKnowledge(), tracker_for("greet"))
    assert message["response"] == "utter_default"
    assert events == [SlotSet("answered_topics", [])]


def test_a_session_starts_with_the_welcome():
    [message], events = run(ActionSessionStart(), tracker_for(None))
    assert message["response"] == "utter_bienvenue"
    assert events[0] == SessionStarted()
    welcome = DOMAIN["responses"]["utter_bienvenue"][0]["text"]
    assert "15" in welcome and "112" in welcome and "diagnostic" in welcome


def test_a_widget_session_start_on_a_new_conversation_welcomes_once():
    tracker = tracker_for("session_start", text="/session_start")
    tracker.events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "/session_start"},
    ]
    messages, events = run(ActionSessionStart(), tracker)
    assert messages == []
    assert events[0] == SessionStarted()
