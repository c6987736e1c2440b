"""A message that names an exam, a treatment or a symptom is a question about it, when the
model did not understand it or took it for small talk ("bonjour, c'est quoi une IRM ?",
"mon mari passe un TDM demain, ça sert à quoi ?"). Which intent asks about which type of
thing is reviewed content (content/topic_patterns.yml, `question_intents`), kept in the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.matching.component import ReviewedDataComponent
from assistant.matching.storage import read_source
from content import TOPIC_PATTERNS

ASPECT = "aspect"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TopicIntentResolver(ReviewedDataComponent):
    """Runs after the intent classifiers: config.yml lists it after DIET and the fallback.
    (Rasa's graph check cannot require an IntentClassifier of a trainable component.)"""

    STORED_FILE = "question_intents.yml"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "patterns": str(TOPIC_PATTERNS),
            # intents that give way to a named exam, treatment or symptom
            "resolved_intents": ["nlu_fallback", "greet", "goodbye", "help", "out_of_scope"],
            # intents that give way only to a question's aspect ("merci, et c'est remboursé ?"):
            # "merci pour l'IRM" stays thanks
            "resolved_by_aspect": ["thanks"],
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored_data: Dict[str, str] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._question_intents = stored_data or {}
        self._resolved = set(config["resolved_intents"])
        self._resolved_by_aspect = set(config["resolved_by_aspect"])

    def data_for_model(self, training_data: TrainingData) -> Dict[str, str]:
        return dict(read_source(Path(self._config["patterns"]))["question_intents"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            types = [e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES, [])]
            if intent in self._resolved_by_aspect:
                types = [t for t in types if t == ASPECT]
            elif intent in self._resolved:
                # "comment je prends rendez-vous chez le dentiste ?" asks something, off topic
                types = [t for t in types if t != ASPECT or intent == "nlu_fallback"]
            else:
                continue
            question = next(
                (self._question_intents[t] for t in types if t in self._question_intents), None
            )
            if question:
                resolved = {INTENT_NAME_KEY: question, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, resolved, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY,
                    [resolved] + message.get(INTENT_RANKING_KEY, []),
                    add_to_output=True,
                )
        return messages
