"""The safety path's state machine (assistant/safety/triage_flow.py), turn by turn."""

import pytest

from assistant.safety.lexicon import load_lexicon
from assistant.safety.triage_flow import decide, questionnaire_for
from assistant.safety.turn import (
    ACTED_SLOT,
    ACTION_LISTEN,
    FAMILY_SLOT,
    FORM,
    SIGN_SLOT,
    TRIAGE_SLOT,
    UTTER_ACTED,
    UTTER_FORM_INTRO,
    UTTER_FORM_REPHRASE,
    UTTER_FORM_STOPPED,
    UTTER_KEPT,
    UTTER_NON_URGENT,
    UTTER_REMINDER,
    UTTER_WITHDRAWN,
    SlotChange,
    Turn,
)
from content import read_domain

DOMAIN = read_domain()
LEXICON = load_lexicon()
QUESTIONS = questionnaire_for(LEXICON, DOMAIN["slots"])
SLOTS = [q.slot for q in QUESTIONS.questions]
IMMEDIATE_ALERT = {
    TRIAGE_SLOT: "urgence_immediate",
    FAMILY_SLOT: "moelle",
    SIGN_SLOT: "une faiblesse",
    ACTED_SLOT: False,
}
FRACTURE_ALERT = {**IMMEDIATE_ALERT, TRIAGE_SLOT: "urgence_24h", FAMILY_SLOT: "fracture"}


def turn(alert=None, **changes):
    values = dict(
        intent=None,
        entities=[],
        actions=[],
        slots_set={},
        slots={**{s: None for s in SLOTS}, **(alert or {})},
        active_loop=None,
        form_was_active=False,
        form_rejected=False,
        latest_action=ACTION_LISTEN,
    )
    values.update(changes)
    return Turn(**values)


def red_flag(category, role="weakness"):
    return {"entity": "signe_alerte", "value": category, "role": role}


def reaction(kind):
    return {"entity": "reaction", "value": kind}


def test_a_neurological_sign_gets_the_spinal_cord_referral_and_records_the_alert():
    decision = decide(
        turn(intent="report_neuro_deficit", entities=[red_flag("deficit_moteur")]), QUESTIONS
    )
    assert decision.action == "utter_urgence_moelle"
    assert SlotChange(TRIAGE_SLOT, "urgence_immediate") in decision.slot_changes
    assert SlotChange(FAMILY_SLOT, "moelle") in decision.slot_changes
    label = LEXICON.categories["deficit_moteur"].label
    assert SlotChange(SIGN_SLOT, label) in decision.slot_changes


@pytest.mark.parametrize(
    "category, role, response",
    [
        ("fracture_possible", "pain_pattern", "utter_urgence_fracture"),
        ("hypercalcemie", "hypercalcemia", "utter_urgence_calcium"),
        ("douleur_suspecte", "pain_pattern", "utter_urgence_douleur"),
    ],
)
def test_each_sign_of_the_day_gets_the_advice_of_its_family(category, role, response):
    decision = decide(turn(entities=[red_flag(category, role)]), QUESTIONS)
    assert decision.action == response
    assert SlotChange(TRIAGE_SLOT, "urgence_24h") in decision.slot_changes


def test_a_neurological_sign_stops_the_questions_at_any_turn():
    decision = decide(
        turn(
            intent="affirm",
            entities=[red_flag("deficit_moteur")],
            active_loop=FORM,
            form_was_active=True,
        ),
        QUESTIONS,
    )
    assert decision.action == "utter_urgence_moelle" and decision.stop_form


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
    assert decision.action == "utter_urgence_moelle" and decision.stop_form
    assert SlotChange(TRIAGE_SLOT, "urgence_immediate") in decision.slot_changes


def test_no_to_a_neurological_question_lets_the_form_go_on():
    no = turn(
        intent="deny", slots_set={"warning_weakness": "no"}, active_loop=FORM, form_was_active=True
    )
    assert decide(no, QUESTIONS) is None


def test_a_24h_sign_inside_the_questions_is_recorded_and_judged_at_the_end():
    inside = turn(
        intent="affirm",
        entities=[red_flag("douleur_suspecte", "pain_pattern")],
        active_loop=FORM,
        form_was_active=True,
    )
    assert decide(inside, QUESTIONS) is None


def test_back_pain_starts_the_questions_and_asks_again_only_the_earlier_noes():
    slots = {"warning_weakness": "deficit_moteur", "warning_numbness": "no"}
    decision = decide(turn(intent="report_back_pain", slots={**slots}), QUESTIONS)
    assert decision.action == UTTER_FORM_INTRO
    # The sign already reported is kept, so the form does not ask about it again.
    assert {change.slot for change in decision.slot_changes} == {"warning_numbness"}
    asked = turn(
        intent="report_back_pain", latest_action=UTTER_FORM_INTRO, actions=[UTTER_FORM_INTRO]
    )
    assert decide(asked, QUESTIONS).action == FORM


@pytest.mark.parametrize(
    "answers, verdict, response",
    [
        (["no"] * 5, "non_urgent", UTTER_NON_URGENT),
        (["no", "no", "no", "yes", "no"], "urgence_24h", "utter_urgence_douleur"),
        (["no", "no", "no", "no", "hypercalcemie"], "urgence_24h", "utter_urgence_calcium"),
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
    "final",
    [
        "utter_urgence_moelle",
        "utter_maintien_calcium",
        "utter_pourquoi_fracture",
        UTTER_REMINDER,
        UTTER_NON_URGENT,
        UTTER_FORM_STOPPED,
        UTTER_ACTED,
        UTTER_WITHDRAWN,
        UTTER_KEPT,
    ],
)
def test_the_bot_listens_after_a_safety_message(final):
    assert decide(turn(latest_action=final, actions=[final]), QUESTIONS).action == ACTION_LISTEN


def test_other_questions_are_left_to_the_other_policies():
    assert decide(turn(intent="ask_exams"), QUESTIONS) is None


# --- The conversation holds the alert (issue "Safety in real conversations", §1) -------------


def test_a_milder_sign_later_never_lowers_the_level():
    later = turn(IMMEDIATE_ALERT, entities=[red_flag("fracture_possible", "pain_pattern")])
    decision = decide(later, QUESTIONS)
    assert decision.action == UTTER_REMINDER
    assert not any(change.slot == TRIAGE_SLOT for change in decision.slot_changes)


def test_a_neurological_sign_after_a_24h_alert_raises_the_level():
    decision = decide(
        turn(FRACTURE_ALERT, entities=[red_flag("trouble_sphincterien", "bladder_bowel")]),
        QUESTIONS,
    )
    assert decision.action == "utter_urgence_moelle"
    assert SlotChange(TRIAGE_SLOT, "urgence_immediate") in decision.slot_changes


def test_completed_questions_without_a_sign_keep_a_pending_alert():
    decision = decide(
        turn(
            FRACTURE_ALERT,
            intent="deny",
            slots={**dict(zip(SLOTS, ["no"] * 5, strict=True)), **FRACTURE_ALERT},
            latest_action=FORM,
            actions=[FORM],
            form_was_active=True,
        ),
        QUESTIONS,
    )
    assert decision.action == UTTER_REMINDER
    assert not any(change.slot == TRIAGE_SLOT for change in decision.slot_changes)


def test_a_symptom_report_with_a_neurological_alert_pending_repeats_the_advice():
    decision = decide(turn(IMMEDIATE_ALERT, intent="report_back_pain"), QUESTIONS)
    assert decision.action == UTTER_REMINDER


@pytest.mark.parametrize(
    "said",
    [
        {"entities": [reaction("pushback")]},
        {"intent": "refuse_referral"},
        {"intent": "deny"},
        {"intent": "stop"},
        {"intent": "dont_know"},
    ],
)
def test_doubt_or_refusal_keeps_the_advice_of_the_family(said):
    decision = decide(turn(IMMEDIATE_ALERT, **said), QUESTIONS)
    assert decision.action == "utter_maintien_moelle"
    assert not decision.slot_changes


def test_pushback_on_a_24h_alert_keeps_its_own_advice():
    assert (
        decide(turn(FRACTURE_ALERT, intent="refuse_referral"), QUESTIONS).action
        == "utter_maintien_fracture"
    )


def test_pushback_with_the_sign_repeated_keeps_the_advice():
    repeated = turn(IMMEDIATE_ALERT, entities=[red_flag("deficit_moteur"), reaction("pushback")])
    assert decide(repeated, QUESTIONS).action == "utter_maintien_moelle"


def test_pushback_instead_of_an_answer_keeps_the_advice_then_asks_the_question_again():
    in_form = dict(active_loop=FORM, form_was_active=True, form_rejected=True)
    said = turn(FRACTURE_ALERT, intent="refuse_referral", **in_form)
    assert decide(said, QUESTIONS).action == "utter_maintien_fracture"
    kept = turn(
        FRACTURE_ALERT,
        intent="refuse_referral",
        actions=["utter_maintien_fracture"],
        latest_action="utter_maintien_fracture",
        **in_form,
    )
    assert decide(kept, QUESTIONS).action == FORM


def test_a_no_to_a_question_with_an_alert_pending_is_an_answer_not_a_refusal():
    answer = turn(FRACTURE_ALERT, intent="deny", active_loop=FORM, form_was_active=True)
    decision = decide(answer, QUESTIONS)
    assert decision is None or not decision.action.startswith("utter_maintien_")


@pytest.mark.parametrize("said", [{"entities": [reaction("why")]}, {"intent": "ask_why_alert"}])
def test_why_names_the_sign_of_the_alert(said):
    assert decide(turn(FRACTURE_ALERT, **said), QUESTIONS).action == "utter_pourquoi_fracture"


def test_saying_it_was_done_ends_the_reminders():
    decision = decide(turn(IMMEDIATE_ALERT, entities=[reaction("acted")]), QUESTIONS)
    assert decision.action == UTTER_ACTED
    assert SlotChange(ACTED_SLOT, True) in decision.slot_changes
    after = turn(
        {**IMMEDIATE_ALERT, ACTED_SLOT: True},
        intent="ask_exams",
        latest_action="action_answer_from_knowledge",
        actions=["action_answer_from_knowledge"],
    )
    assert decide(after, QUESTIONS) is None


def test_every_other_answer_carries_a_reminder_until_then():
    answered = turn(
        IMMEDIATE_ALERT,
        intent="ask_exams",
        latest_action="action_answer_from_knowledge",
        actions=["action_answer_from_knowledge"],
    )
    assert decide(answered, QUESTIONS).action == UTTER_REMINDER
    assert decide(turn(IMMEDIATE_ALERT, intent="ask_exams"), QUESTIONS) is None  # answered first


def test_no_reminder_hides_a_failed_answer():
    failed = turn(
        IMMEDIATE_ALERT,
        intent="ask_exams",
        latest_action="action_answer_from_knowledge",
        actions=["action_answer_from_knowledge"],
        latest_action_failed=True,
    )
    assert decide(failed, QUESTIONS) is None  # the UnansweredTurnPolicy speaks first


def test_a_clear_correction_withdraws_the_alert_and_repeats_the_signs():
    decision = decide(turn(IMMEDIATE_ALERT, entities=[reaction("correction")]), QUESTIONS)
    assert decision.action == UTTER_WITHDRAWN
    assert SlotChange(TRIAGE_SLOT, "non_urgent") in decision.slot_changes


@pytest.mark.parametrize(
    "said", [{"entities": [reaction("correction_doubt")]}, {"intent": "correct_misunderstanding"}]
)
def test_a_vague_correction_keeps_the_alert(said):
    decision = decide(turn(IMMEDIATE_ALERT, **said), QUESTIONS)
    assert decision.action == UTTER_KEPT and not decision.slot_changes


def test_a_correction_with_a_new_sign_is_judged_on_the_sign():
    with_sign = turn(IMMEDIATE_ALERT, entities=[reaction("correction"), red_flag("deficit_moteur")])
    assert decide(with_sign, QUESTIONS).action == "utter_urgence_moelle"


def test_reactions_mean_nothing_without_a_pending_alert():
    assert decide(turn(entities=[reaction("pushback")], intent="deny"), QUESTIONS) is None
    assert decide(turn(entities=[reaction("why")]), QUESTIONS) is None


def test_a_denial_after_a_24h_alert_repeats_the_advice_instead_of_asking_again():
    denial = {"entity": "signe_alerte_ecarte", "value": "deficit_moteur", "role": "weakness"}
    decision = decide(turn(FRACTURE_ALERT, intent="report_back_pain", entities=[denial]), QUESTIONS)
    assert decision.action == UTTER_REMINDER
    vague = decide(turn(FRACTURE_ALERT, intent="report_back_pain"), QUESTIONS)
    assert vague.action == "utter_questionnaire_intro"  # a vague new complaint is still asked
