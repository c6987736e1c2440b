"""The custom actions, run on a hand-built Tracker with a CollectingDispatcher."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_answers import ActionAnswerFromKnowledge, ActionRephraseLastAnswer
from actions.session import ActionSessionStart
from content import read_domain

DOMAIN = read_domain()


def tracker_for(intent, entities=(), text="question", **slots):
    return Tracker(
        sender_id="test",
        slots=slots,
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
    assert events == [
        SlotSet("answered_topics", ["cimentoplastie.overview"]),
        SlotSet("subject", "cimentoplastie"),
        SlotSet("answer_kind", "fact"),
    ]


def test_the_aspect_asked_is_answered_and_the_buttons_offer_other_aspects_of_the_subject():
    entities = [
        {"entity": "treatment", "value": "cimentoplastie"},
        {"entity": "aspect", "value": "how"},
    ]
    [message], events = run(ActionAnswerFromKnowledge(), tracker_for("ask_treatments", entities))
    assert SlotSet("answered_topics", ["cimentoplastie.how"]) in events
    assert all('"treatment": "cimentoplastie"' in b["payload"] for b in message["buttons"][:2])
    assert all(
        b["payload"] != '/ask_treatments{"treatment": "cimentoplastie", "aspect": "how"}'
        for b in message["buttons"]
    )


def test_an_aspect_the_article_does_not_cover_gets_an_honest_gap_naming_who_to_ask():
    entities = [
        {"entity": "treatment", "value": "radiotherapie"},
        {"entity": "aspect", "value": "duration"},
    ]
    [message], events = run(ActionAnswerFromKnowledge(), tracker_for("ask_treatments", entities))
    assert "pas d'information" in message["text"] and "radiothérapeute" in message["text"]
    assert SlotSet("answer_kind", "gap") in events


@pytest.mark.parametrize(
    "intent, aspect, text, subject",
    [
        ("ask_followup", "why", "et ça sert à quoi ?", "biopsie"),
        # a short question asking an aspect only is a follow-up, whatever its intent
        ("ask_prognosis", "duration", "combien de temps on le porte ?", "repos_immobilisation"),
    ],
)
def test_a_follow_up_keeps_the_subject_of_the_previous_answer(intent, aspect, text, subject):
    entities = [{"entity": "aspect", "value": aspect}]
    tracker = tracker_for(intent, entities, text, subject=subject)
    _, events = run(ActionAnswerFromKnowledge(), tracker)
    assert SlotSet("answered_topics", [f"{subject}.{aspect}"]) in events


def test_a_button_asks_its_own_subject_not_the_current_one():
    entities = [{"entity": "aspect", "value": "overview"}]
    tracker = tracker_for(
        "ask_emergency_numbers",
        entities,
        '/ask_emergency_numbers{"aspect": "overview"}',
        subject="signes_alerte",
        answered_topics=["signes_alerte.overview"],
    )
    _, events = run(ActionAnswerFromKnowledge(), tracker)
    assert SlotSet("answered_topics", ["urgence.overview"]) in events


def test_an_aspect_that_restates_the_subject_gets_its_overview():
    entities = [{"entity": "aspect", "value": "prevention"}]
    _, events = run(ActionAnswerFromKnowledge(), tracker_for("ask_fracture_prevention", entities))
    assert SlotSet("answered_topics", ["prevention_fractures.overview"]) in events


def test_a_follow_up_naming_another_exam_changes_the_subject():
    entities = [{"entity": "exam", "value": "irm"}, {"entity": "aspect", "value": "why"}]
    tracker = tracker_for("ask_followup", entities, "et l'IRM, ça sert à quoi ?", subject="biopsie")
    _, events = run(ActionAnswerFromKnowledge(), tracker)
    assert SlotSet("answered_topics", ["irm.why"]) in events


@pytest.mark.parametrize(
    "text, expected",
    [
        ("et le scanner ?", "scanner.cost"),
        ("merci, et le scanner ?", "scanner.cost"),
        # not a short "and X?": the subject's own overview
        ("et le scanner, c'est quoi ?", "scanner.overview"),
        ("et le scanner, il est utile ?", "scanner.overview"),
        ("le scanner ?", "scanner.overview"),
    ],
)
def test_and_what_about_another_subject_asks_the_same_aspect_of_it(text, expected):
    start = text.find("scanner")
    entities = [{"entity": "exam", "value": "scanner", "start": start, "end": start + 7}]
    tracker = tracker_for("ask_exams", entities, text, subject="irm", answered_topics=["irm.cost"])
    _, events = run(ActionAnswerFromKnowledge(), tracker)
    assert SlotSet("answered_topics", [expected]) in events


def test_and_what_about_it_after_an_overview_is_the_overview():
    entities = [{"entity": "exam", "value": "scanner", "start": 6, "end": 13}]
    tracker = tracker_for(
        "ask_exams", entities, "et le scanner ?", subject="irm", answered_topics=["irm.overview"]
    )
    _, events = run(ActionAnswerFromKnowledge(), tracker)
    assert SlotSet("answered_topics", ["scanner.overview"]) in events


def test_a_question_naming_a_warning_sign_gets_what_must_never_wait():
    entities = [
        {"entity": "aspect", "value": "who"},
        {"entity": "signe_alerte_ecarte", "value": "deficit_moteur"},
    ]
    tracker = tracker_for("ask_followup", entities, "si je ne peux plus marcher, qui j'appelle ?")
    action = ActionAnswerFromKnowledge()
    answer, warning = run(action, tracker)[0]
    assert "15" not in answer["text"] and warning["text"] == action.kb.warning


def test_the_same_entry_is_never_sent_twice_in_a_row():
    entities = [{"entity": "exam", "value": "irm"}]
    tracker = tracker_for("ask_exams", entities, answered_topics=["irm.overview"])
    [notice, summary], events = run(ActionAnswerFromKnowledge(), tracker)
    assert notice["response"] == "utter_rien_de_plus"
    assert summary["text"] == ActionAnswerFromKnowledge().kb.entries["irm.overview"].simple
    assert summary["buttons"]
    assert events == [
        SlotSet("answered_topics", ["irm.overview"]),
        SlotSet("answer_kind", "repeat"),
    ]


def test_the_same_question_a_third_time_gets_the_care_team():
    entities = [{"entity": "exam", "value": "irm"}]
    tracker = tracker_for(
        "ask_exams", entities, answered_topics=["irm.overview"], answer_kind="repeat"
    )
    [message], _ = run(ActionAnswerFromKnowledge(), tracker)
    assert message["response"] == "utter_rien_a_ajouter" and message["buttons"]


def test_i_do_not_understand_gets_the_simpler_wording_once_then_the_care_team():
    action = ActionRephraseLastAnswer()
    tracker = tracker_for("ask_rephrase", answered_topics=["scintigraphie.results"])
    [message], events = run(action, tracker)
    simple = action.kb.entries["scintigraphie.results"].simple
    assert message["text"] == simple != action.kb.entries["scintigraphie.results"].text
    assert events == [SlotSet("answer_kind", "simpler")]
    tracker = tracker_for(
        "ask_rephrase", answered_topics=["scintigraphie.results"], answer_kind="simpler"
    )
    [message], _ = run(action, tracker)
    assert message["response"] == "utter_pas_plus_simple"


def test_nothing_to_rephrase_asks_for_the_question():
    [message], _ = run(ActionRephraseLastAnswer(), tracker_for("ask_rephrase"))
    assert message["response"] == "utter_rien_a_reformuler"


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
