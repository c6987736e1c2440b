"""The two safety policies on real Rasa trackers."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.safety.guard_policy import SafetyGuardPolicy, turn_of
from assistant.safety.unanswered_turn_policy import UnansweredTurnPolicy
from content import DOMAIN_DIR

DOMAIN = Domain.load(str(DOMAIN_DIR))
QUESTION_SLOTS = DOMAIN.required_slots_for_form("warning_signs_form")


@pytest.fixture
def make_policy(tmp_path):
    def make(cls, **config):
        storage = LocalModelStorage(tmp_path)
        context = ExecutionContext(GraphSchema({}), "test")
        return cls.create(
            {**cls.get_default_config(), **config}, storage, Resource(cls.__name__), context
        )

    return make


def tracker(*events):
    return DialogueStateTracker.from_events("patient", list(events), slots=DOMAIN.slots)


def user(intent, entities=()):
    return UserUttered("texte", {"name": intent, "confidence": 0.99}, list(entities))


def start():
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def form_started():
    """Back pain reported; the form asks its first question."""
    return [
        user("report_back_pain"),
        ActionExecuted("utter_questionnaire_intro"),
        ActionExecuted("warning_signs_form"),
        ActiveLoop("warning_signs_form"),
        SlotSet("requested_slot", "warning_weakness"),
        ActionExecuted("action_listen"),
    ]


def predicted(policy, events):
    prediction = policy.predict_action_probabilities(tracker(*events), DOMAIN)
    if max(prediction.probabilities) == 0:
        return None, prediction
    return DOMAIN.action_names_or_texts[
        prediction.probabilities.index(max(prediction.probabilities))
    ], prediction


def test_the_turn_is_read_off_the_tracker():
    events = start() + [
        *form_started(),
        user("affirm"),
        SlotSet("warning_weakness", "yes"),
        ActionExecutionRejected("warning_signs_form"),
    ]
    turn = turn_of(tracker(*events), QUESTION_SLOTS)
    assert turn.intent == "affirm"
    assert turn.form_was_active and turn.active_loop == "warning_signs_form"
    assert turn.slots_set == {"warning_weakness": "yes"}
    assert turn.form_rejected
    assert turn.actions == []


def test_the_guard_stops_the_form_and_sets_the_verdict(make_policy):
    policy = make_policy(SafetyGuardPolicy)
    policy.train([], DOMAIN)
    events = start() + [
        user("report_back_pain"),
        ActionExecuted("warning_signs_form"),
        ActiveLoop("warning_signs_form"),
        ActionExecuted("action_listen"),
        user(
            "report_neuro_deficit",
            [{"entity": "signe_alerte", "value": "deficit_moteur", "role": "weakness"}],
        ),
    ]
    action, prediction = predicted(policy, events)
    assert action == "utter_urgence_moelle"
    assert prediction.is_no_user_prediction  # so that it can overrule the form's continuation
    assert SlotSet("triage", "urgence_immediate") in prediction.events
    assert ActiveLoop(None) in prediction.events


def test_the_guard_abstains_on_ordinary_questions(make_policy):
    policy = make_policy(SafetyGuardPolicy)
    policy.train([], DOMAIN)
    assert predicted(policy, start() + [user("ask_exams")])[0] is None


def test_a_failed_answer_gets_the_polite_message(make_policy):
    policy = make_policy(UnansweredTurnPolicy)
    failed = start() + [user("ask_exams"), ActionExecuted("action_answer_from_knowledge")]
    assert predicted(policy, failed)[0] == "utter_service_indisponible"
    after = failed + [ActionExecuted("utter_service_indisponible"), BotUttered("...")]
    assert predicted(policy, after)[0] == "action_listen"


def test_a_working_answer_is_left_alone(make_policy):
    policy = make_policy(UnansweredTurnPolicy)
    answered = start() + [
        user("ask_exams"),
        ActionExecuted("action_answer_from_knowledge"),
        BotUttered("L'IRM..."),
        SlotSet("answered_topics", ["examens.overview"]),
    ]
    assert predicted(policy, answered)[0] is None


def test_a_failed_session_start_gets_the_polite_message(make_policy):
    policy = make_policy(UnansweredTurnPolicy)
    events = [ActionExecuted("action_session_start"), user("greet")]
    assert predicted(policy, events)[0] == "utter_service_indisponible"


def form_turn(answer_intent, slot, value, next_slot, entities=()):
    """One answered question of the form, as Rasa records it (a happy-path form turn)."""
    return [
        user(answer_intent, entities),
        SlotSet(slot, value),
        ActionExecuted("warning_signs_form"),
        SlotSet("requested_slot", next_slot),
        ActionExecuted("action_listen"),
    ]


def test_a_24h_sign_given_as_an_answer_waits_for_the_end_of_the_form(make_policy):
    """Rasa's applied_events() drops the user messages of answered form turns; read that way,
    the current turn looked like the first back-pain message and got a verdict mid-form."""
    policy = make_policy(SafetyGuardPolicy)
    policy.train([], DOMAIN)
    thirst = [{"entity": "signe_alerte", "value": "hypercalcemie", "role": "hypercalcemia"}]
    events = start() + [
        *form_started(),
        *form_turn("deny", "warning_weakness", "no", "warning_numbness"),
        user("deny", thirst),
        SlotSet("warning_numbness", "no"),
        SlotSet("warning_hypercalcemia", "hypercalcemie"),
        ActionExecuted("warning_signs_form"),
        SlotSet("requested_slot", "warning_bladder_bowel"),
    ]
    turn = turn_of(tracker(*events), QUESTION_SLOTS)
    assert turn.form_was_active and turn.intent == "deny"
    assert predicted(policy, events)[0] is None  # the form asks its next question


def test_the_guard_learns_the_questions_from_the_domain_rasa_trains_policies_on(make_policy):
    from rasa.graph_components.providers.domain_for_core_training_provider import (
        DomainForCoreTrainingProvider,
    )

    # Rasa prunes the forms' required slots from the policies' training domain.
    pruned = DomainForCoreTrainingProvider.create_pruned_version(DOMAIN)
    policy = make_policy(SafetyGuardPolicy)
    policy.train([], pruned)
    assert {q.slot for q in policy.triage.questions} == set(QUESTION_SLOTS)
    assert {q.level_if_yes for q in policy.triage.questions} == {"urgence_immediate", "urgence_24h"}
