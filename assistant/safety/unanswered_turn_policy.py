"""The bot never stays silent: when an answering custom action ran but returned nothing
(the action server is down or failed), this policy says so politely, with the emergency
numbers.

Rasa logs a failed custom action as executed, with no events after it. An answering action
that works always returns events (its messages and the topic it answered), so "the last
event is that action's execution" is how a failure shows on the tracker.

A failed custom session start leaves no `action_listen` before the first message, so no
rule can answer it: that first message gets the same polite message. The SafetyGuardPolicy
has a higher priority: a warning sign still gets its referral.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class UnansweredTurnPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "priority": 8,
            "answering_actions": ["action_answer_from_knowledge"],
            "response": "utter_service_indisponible",
        }

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._next_action(tracker)
        if action is None:
            return self._prediction(self._default_predictions(domain))
        # "No user" so that it also overrules a form's continuation (see SafetyGuardPolicy).
        return self._prediction(
            confidence_scores_for(action, 1.0, domain), is_no_user_prediction=True
        )

    def _next_action(self, tracker: DialogueStateTracker) -> str | None:
        last = tracker.events[-1] if tracker.events else None
        if (
            isinstance(last, ActionExecuted)
            and last.action_name in self.config["answering_actions"]
        ):
            return self.config["response"]
        if tracker.latest_action_name == ACTION_SESSION_START_NAME:
            # A session start that worked ends with `action_listen`.
            return self.config["response"]
        if (
            tracker.latest_action_name == self.config["response"]
            and tracker.active_loop_name is None
        ):
            return "action_listen"
        return None
