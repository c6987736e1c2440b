"""The safety path's state machine (assistant/safety/triage_flow.py), turn by turn."""

import pytest

from assistant.safety.lexicon import load_lexicon
from assistant.safety.triage_flow import (
    ACTION_LISTEN,
    FORM,
    TRIAGE_SLOT,
    UTTER_24H,
    UTTER_FORM_INTRO,
    UTTER_FORM_REPHRASE,
    UTTER_FORM_STOPPED,
    UTTER_IMMEDIATE,
    UTTER_NON_URGENT,
    SlotChange,
    Turn,
    decide,
    questionnaire_for,
)
from content import read_domain

DOMAIN = read_domain()
QUESTIONS = questionnaire_for(load_lexicon(), DOMAIN["slots"])
SLOTS = [q.slot for q in QUESTIONS.questions]


def turn(**changes):
    values = dict(
        intent=None,
        entities=[],
        actions=[],
        slots_set={},
        slots={s: None for s in SLOTS},
        active_loop=None,
        form_was_active=False,
        form_rejected=False,
        latest_action=ACTION_LISTEN,
    )
    values.update(changes)
    return Turn(**values)


CATEGORY_FOR_LEVEL = {"urgence_immediate": "deficit_moteur", "urgence_24h": "douleur_suspecte"}


def red_flag(level, role="weakness"):
    return {"entity": "signe_alerte", "value": CATEGORY_FOR_LEVEL[level], "role": role}


def test_a_neurological_sign_gets_the_immediate_referral_and_sets_the_slot():
    decision = decide(
        turn(intent="report_neuro_deficit", entities=[red_flag("urgence_immediate")]), QUESTIONS
    )
    assert decision.action == UTTER_IMMEDIATE
    assert SlotChange(TRIAGE_SLOT, "urgence_immediate") in decision.slot_changes


def test_a_neurological_sign_stops_the_questions_at_any_turn():
    decision = decide(
        turn(
            intent="affirm",
            entities=[red_flag("urgence_immediate")],
            active_loop=FORM,
            form_was_active=True,
        ),
        QUESTIONS,
    )
    assert decision.action == UTTER_IMMEDIATE and decision.stop_form


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_yes_or_unsure_to_a_neurological_question_escalates(answer):
    decision = decide(
        turn(
            intent="affirm",
            slots_set={"warning_numbness": answer},
            active_loop=FORM,
            form_was_active=True,
        ),
        QUESTIONS,
    )
    assert decision.action == UTTER_IMMEDIATE and decision.stop_form


def test_no_to_a_neurological_question_lets_the_form_go_on():
    assert (
        decide(
            turn(
                intent="deny",
                slots_set={"warning_weakness": "no"},
                active_loop=FORM,
                form_was_active=True,
            ),
            QUESTIONS,
        )
        is None
    )


def test_a_24h_sign_outside_the_questions_gets_the_24h_referral():
    decision = decide(
        turn(intent="report_fracture", entities=[red_flag("urgence_24h", "pain_pattern")]),
        QUESTIONS,
    )
    assert decision.action == UTTER_24H
    assert SlotChange(TRIAGE_SLOT, "urgence_24h") in decision.slot_changes


def test_a_24h_sign_inside_the_questions_is_recorded_and_judged_at_the_end():
    assert (
        decide(
            turn(
                intent="affirm",
                entities=[red_flag("urgence_24h", "pain_pattern")],
                active_loop=FORM,
                form_was_active=True,
            ),
            QUESTIONS,
        )
        is None
    )


def test_back_pain_starts_the_questions_with_fresh_answers():
    decision = decide(turn(intent="report_back_pain"), QUESTIONS)
    assert decision.action == UTTER_FORM_INTRO
    assert {change.slot for change in decision.slot_changes} == set(SLOTS)
    assert (
        decide(
            turn(
                intent="report_back_pain",
                latest_action=UTTER_FORM_INTRO,
                actions=[UTTER_FORM_INTRO],
            ),
            QUESTIONS,
        ).action
        == FORM
    )


@pytest.mark.parametrize(
    "answers, verdict, response",
    [
        (["no"] * 5, "non_urgent", UTTER_NON_URGENT),
        (["no", "no", "no", "yes", "no"], "urgence_24h", UTTER_24H),
        (["no", "no", "no", "no", "douleur_suspecte"], "urgence_24h", UTTER_24H),
    ],
)
def test_the_completed_questions_give_a_verdict(answers, verdict, response):
    decision = decide(
        turn(
            intent="deny",
            slots=dict(zip(SLOTS, answers, strict=True)),
            latest_action=FORM,
            actions=[FORM],
            form_was_active=True,
        ),
        QUESTIONS,
    )
    assert decision.action == response
    assert SlotChange(TRIAGE_SLOT, verdict) in decision.slot_changes


def test_the_patient_can_stop_the_questions():
    decision = decide(turn(intent="stop", active_loop=FORM, form_was_active=True), QUESTIONS)
    assert decision.action == UTTER_FORM_STOPPED and decision.stop_form


def test_an_unclear_answer_is_asked_again():
    rejected = turn(
        intent="nlu_fallback", active_loop=FORM, form_was_active=True, form_rejected=True
    )
    assert decide(rejected, QUESTIONS).action == UTTER_FORM_REPHRASE
    after = turn(
        intent="nlu_fallback",
        active_loop=FORM,
        form_was_active=True,
        form_rejected=True,
        actions=[UTTER_FORM_REPHRASE],
        latest_action=UTTER_FORM_REPHRASE,
    )
    assert decide(after, QUESTIONS).action == FORM


def test_a_question_in_the_middle_is_answered_then_the_questions_resume():
    rejected = turn(intent="ask_exams", active_loop=FORM, form_was_active=True, form_rejected=True)
    assert decide(rejected, QUESTIONS) is None  # the knowledge rule answers
    answered = turn(
        intent="ask_exams",
        active_loop=FORM,
        form_was_active=True,
        form_rejected=True,
        actions=["action_answer_from_knowledge"],
        latest_action="action_answer_from_knowledge",
    )
    assert decide(answered, QUESTIONS).action == FORM


@pytest.mark.parametrize(
    "final", [UTTER_IMMEDIATE, UTTER_24H, UTTER_NON_URGENT, UTTER_FORM_STOPPED]
)
def test_the_bot_listens_after_a_final_safety_message(final):
    assert decide(turn(latest_action=final, actions=[final]), QUESTIONS).action == ACTION_LISTEN


def test_other_questions_are_left_to_the_other_policies():
    assert decide(turn(intent="ask_exams"), QUESTIONS) is None
