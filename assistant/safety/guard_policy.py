"""The Rasa policy that enforces the safety path (`triage_flow.decide`) on every turn.

It has the highest priority and answers with full confidence when the safety path has
something to say, so a warning sign interrupts any form, rule or fallback. It needs no
training data; training stores in the model what the safety path needs: the questionnaire
(the domain's form, with each question's level from the reviewed categories), the level of
each category and the symptom-report intents.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.matching.storage import store, stored
from assistant.safety.lexicon import Question, lexicon_from_dict, read_lexicon_source
from assistant.safety.triage_flow import decide, questionnaire_for
from assistant.safety.turn import ALERT_SLOTS, FORM, REQUESTED_SLOT, Decision, Questionnaire, Turn
from content import CONTEXT_CUES, CONVERSATION_CUES, WARNING_SIGNS

_TRIAGE_FILE = "triage.yml"
_NOT_ACTIONS = {"action_listen", "action_extract_slots"}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class SafetyGuardPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": 9,
            "warning_signs": str(WARNING_SIGNS),
            "context_cues": str(CONTEXT_CUES),
            "conversation_cues": str(CONVERSATION_CUES),
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        triage: Questionnaire | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.triage = triage or Questionnaire(questions=[], category_levels={})

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        lexicon = lexicon_from_dict(
            read_lexicon_source(
                Path(self.config["warning_signs"]),
                Path(self.config["context_cues"]),
                Path(self.config["conversation_cues"]),
            )
        )
        slots = {slot.name: {"mappings": slot.mappings} for slot in domain.slots}
        self.triage = questionnaire_for(lexicon, slots)
        triage = {
            "questions": [asdict(question) for question in self.triage.questions],
            "category_levels": self.triage.category_levels,
            "report_intents": sorted(self.triage.report_intents),
            "category_families": self.triage.category_families,
            "category_labels": self.triage.category_labels,
        }
        store(self._model_storage, self._resource, _TRIAGE_FILE, triage)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyGuardPolicy:
        triage = _questionnaire(stored(model_storage, resource, _TRIAGE_FILE))
        return cls(config, model_storage, resource, execution_context, triage=triage)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        decision = decide(turn_of(tracker, [q.slot for q in self.triage.questions]), self.triage)
        if decision is None:
            return self._prediction(self._default_predictions(domain))
        # A "no user" prediction, like the RulePolicy's form continuation: in Rasa's
        # ensemble only those can overrule a form, and among them the priority decides.
        return self._prediction(
            confidence_scores_for(decision.action, 1.0, domain),
            events=_events_for(decision),
            is_no_user_prediction=True,
        )


def turn_of(tracker: DialogueStateTracker, question_slots: List[str]) -> Turn:
    """Reads the current turn, from the latest user message on, off the tracker."""
    events = _session_events(tracker)
    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    before, after = events[:last_user], events[last_user + 1 :]
    message = tracker.latest_message
    return Turn(
        intent=(message.intent or {}).get("name") if message else None,
        entities=list(message.entities or []) if message else [],
        actions=[
            e.action_name
            for e in after
            if isinstance(e, ActionExecuted) and e.action_name not in _NOT_ACTIONS
        ],
        slots_set={
            e.key: e.value for e in after if isinstance(e, SlotSet) and e.key in question_slots
        },
        slots={slot: tracker.get_slot(slot) for slot in [*question_slots, *ALERT_SLOTS]},
        active_loop=tracker.active_loop_name,
        form_was_active=_active_loop_in(before) == FORM,
        form_rejected=any(
            isinstance(e, ActionExecutionRejected) and e.action_name == FORM for e in after
        ),
        latest_action=tracker.latest_action_name,
        latest_action_failed=_failed_custom_action(events),
    )


def _failed_custom_action(events: List[Any]) -> bool:
    """Rasa logs a failed custom action as executed, with no event after it; a working one
    always returns events (see UnansweredTurnPolicy)."""
    return (
        bool(events)
        and isinstance(events[-1], ActionExecuted)
        and bool(
            events[-1].action_name
            and events[-1].action_name.startswith("action_")
            and events[-1].action_name not in _NOT_ACTIONS
        )
    )


def _session_events(tracker: DialogueStateTracker) -> List[Any]:
    """The events of the current session as they happened. Rasa's applied_events() drops the
    user messages of answered form turns, which hid the current turn once the form had run."""
    events = list(tracker.events)
    start = max(
        (i for i, e in enumerate(events) if isinstance(e, (SessionStarted, Restarted))), default=-1
    )
    return events[start + 1 :]


def _questionnaire(stored: Dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        questions=[Question(**q) for q in stored["questions"]],
        category_levels=dict(stored["category_levels"]),
        report_intents=frozenset(stored["report_intents"]),
        category_families=dict(stored["category_families"]),
        category_labels=dict(stored["category_labels"]),
    )


def _active_loop_in(events: List[Any]) -> str | None:
    active = None
    for event in events:
        if isinstance(event, ActiveLoop):
            active = event.name
        elif isinstance(event, SessionStarted):
            active = None
    return active


def _events_for(decision: Decision) -> List[Any]:
    events: List[Any] = [SlotSet(change.slot, change.value) for change in decision.slot_changes]
    if decision.stop_form:
        events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    return events
