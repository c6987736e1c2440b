"""How the detector's findings and the NLU intent combine (safety/nlu_signal.py)."""

import pytest

from assistant.safety.detector import (
    CURRENT,
    GENERAL,
    HYPOTHETICAL,
    NEGATED,
    OTHER_CAUSE,
    Analysis,
    Finding,
)
from assistant.safety.lexicon import load_lexicon
from assistant.safety.nlu_signal import combine

LEXICON = load_lexicon()


def finding(category, status=CURRENT, level=None):
    spec = LEXICON.categories[category]
    return Finding(category, level or spec.level, spec.role, spec.intent, status, 0, 5, "texte")


def analysis(*findings, cues=()):
    return Analysis(list(findings), frozenset(cues))


def test_a_current_sign_overrides_any_intent_and_is_an_entity():
    signal = combine(analysis(finding("deficit_moteur")), LEXICON, "texte", "ask_exams", 0.99)
    assert signal.intent == "report_neuro_deficit"
    assert signal.level == "urgence_immediate"
    [entity] = signal.entities
    assert entity["entity"] == "signe_alerte" and entity["role"] == "weakness"


def test_a_24h_sign_keeps_a_questionnaire_answer():
    signal = combine(analysis(finding("douleur_suspecte")), LEXICON, "oui la nuit", "affirm", 0.9)
    assert signal.intent is None and signal.level == "urgence_24h"


def test_an_immediate_sign_overrides_a_questionnaire_answer():
    signal = combine(analysis(finding("trouble_sensitif")), LEXICON, "oui", "affirm", 0.9)
    assert signal.intent == "report_neuro_deficit"


@pytest.mark.parametrize("status", [NEGATED, HYPOTHETICAL])
def test_a_denied_or_asked_sign_turns_a_report_into_a_question(status):
    signal = combine(
        analysis(finding("deficit_moteur", status)), LEXICON, "t", "report_neuro_deficit", 1.0
    )
    assert signal.intent == "ask_warning_signs"
    assert signal.level is None
    assert signal.entities[0]["entity"] == "signe_alerte_ecarte"


def test_a_sign_named_in_a_general_question_turns_a_report_into_a_symptoms_question():
    signal = combine(
        analysis(finding("fracture_possible", GENERAL)), LEXICON, "t", "report_fracture", 0.9
    )
    assert signal.intent == "ask_symptoms" and signal.level is None


def test_a_confident_report_intent_alone_is_the_second_layer():
    signal = combine(analysis(), LEXICON, "t", "report_neuro_deficit", 0.97)
    assert signal.level == "urgence_immediate"
    assert signal.entities[0]["source"] == "nlu"


@pytest.mark.parametrize(
    "confidence, cues",
    [(0.5, ()), (0.99, ("negation",)), (0.99, ("hypothetical",)), (0.99, ("resolved",))],
)
def test_an_unsure_or_qualified_report_intent_asks_the_questions(confidence, cues):
    signal = combine(analysis(cues=cues), LEXICON, "t", "report_neuro_deficit", confidence)
    assert signal.level == "a_verifier"
    assert signal.intent == "report_neuro_deficit"


def test_a_sign_to_verify_after_an_unclear_message_asks_the_questions():
    finding_to_verify = finding("paresthesies_extremites", level="a_verifier")
    signal = combine(analysis(finding_to_verify), LEXICON, "t", "nlu_fallback", 0.4)
    assert signal.intent == "report_neuro_deficit" and signal.level == "a_verifier"


def test_a_current_sign_to_verify_gets_the_questions_whatever_the_intent():
    # "depuis ma chimio j'ai des fourmillements au bout des doigts" read as a treatment question
    signal = combine(analysis(finding("douleur_dos")), LEXICON, "t", "ask_treatments", 0.95)
    assert signal.intent == "report_back_pain" and signal.level == "a_verifier"


def test_an_answer_to_a_question_keeps_its_intent_when_a_sign_is_only_to_verify():
    signal = combine(analysis(finding("douleur_dos")), LEXICON, "oui", "affirm", 0.95)
    assert signal.intent is None and signal.level == "a_verifier"


def test_nothing_found_changes_nothing():
    assert combine(analysis(), LEXICON, "bonjour", "greet", 0.99).entities == []


def test_a_long_message_in_a_language_the_bot_cannot_read_gets_the_questions():
    unreadable = (
        "Buongiorno, mia madre ha un tumore al seno con metastasi alle ossa, da ieri non "
        "riesce a camminare bene e cade spesso in cucina"
    )
    signal = combine(analysis(), LEXICON, unreadable, "other_language", 0.9)
    assert signal.intent == "report_back_pain" and signal.level == "a_verifier"


@pytest.mark.parametrize(
    "text",
    [
        "merhaba",  # short: the notice that the bot reads French is enough
        "Hello, I would like to know what a cimentoplasty is and how it goes for my mother",
    ],
)
def test_a_short_or_readable_message_in_another_language_changes_nothing(text):
    assert combine(analysis(), LEXICON, text, "other_language", 0.9).intent is None


def test_the_learned_layer_stays_out_of_a_question_with_nobody_in_it():
    scores = {"douleur_suspecte": 0.9, "none": 0.1}
    asked = Analysis([], frozenset(), general_question=True)
    assert combine(asked, LEXICON, "et ça fait mal ?", "ask_treatments", 0.9, scores).level is None
    told = Analysis([], frozenset())
    assert combine(told, LEXICON, "ça fait mal", "report_back_pain", 0.9, scores).level


def test_a_24h_sign_after_a_leading_no_keeps_the_no_as_the_answer():
    text = "non, mais j'ai tout le temps soif"
    signal = combine(
        analysis(finding("hypercalcemie")), LEXICON, text, "report_hypercalcemia_signs", 0.9
    )
    assert signal.intent == "deny" and signal.level == "urgence_24h" and signal.entities
    immediate = combine(
        analysis(finding("deficit_moteur")), LEXICON, "non, mes jambes lâchent", "deny", 0.9
    )
    assert immediate.intent == "report_neuro_deficit"


def test_the_learned_layer_does_not_raise_a_sign_put_down_to_another_cause():
    spec = LEXICON.categories["paresthesies_extremites"]
    chemo = Finding(
        spec.name, "a_verifier", spec.role, spec.intent, CURRENT, 0, 5, "texte", OTHER_CAUSE
    )
    scores = {"trouble_sensitif": 0.9, "none": 0.1}
    text = "des fourmis dans les doigts depuis ma chimio"
    signal = combine(analysis(chemo), LEXICON, text, "report_neuro_deficit", 0.86, scores)
    assert signal.level == "a_verifier"
