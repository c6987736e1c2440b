"""A message that names an exam, a treatment or a symptom is a question about it, when the
model did not understand it or took it for small talk ("bonjour, c'est quoi une IRM ?",
"mon mari passe un TDM demain, ça sert à quoi ?")."""

from __future__ import annotations

from typing import Any, Dict, List, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TopicIntentResolver(GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # entity type -> the question intent about it
            "question_intents": {},
            # intents that give way to a named exam, treatment or symptom
            "resolved_intents": ["nlu_fallback", "greet", "goodbye", "help", "out_of_scope"],
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._question_intents = config["question_intents"]
        self._resolved = set(config["resolved_intents"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicIntentResolver:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent not in self._resolved:
                continue
            types = [e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES, [])]
            question = next((self._question_intents[t] for t in types if t in self._question_intents), None)
            if question:
                resolved = {INTENT_NAME_KEY: question, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, resolved, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [resolved] + message.get(INTENT_RANKING_KEY, []), add_to_output=True)
        return messages
