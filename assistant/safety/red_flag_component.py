"""The red-flag detector as a Rasa NLU graph component.

It runs last in the pipeline, after DIET and the FallbackClassifier, so that a warning sign
sets its entities and intent whatever the model's confidence was. The reviewed lexicon is
stored in the trained model, which therefore always carries the lexicon it was tested with.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.channels.payloads import is_button_payload
from assistant.matching.component import ReviewedDataComponent
from assistant.safety.detector import RedFlagDetector
from assistant.safety.lexicon import lexicon_from_dict, read_lexicon_source
from assistant.safety.nlu_signal import combine
from assistant.safety.sign_classifier import SCORES
from content import CONTEXT_CUES, CONVERSATION_CUES, WARNING_SIGNS

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
    ],
    is_trainable=True,
)
class RedFlagComponent(ReviewedDataComponent):
    STORED_FILE = "lexicon.yml"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "warning_signs": str(WARNING_SIGNS),
            "context_cues": str(CONTEXT_CUES),
            "conversation_cues": str(CONVERSATION_CUES),
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored_data: Dict[str, Any] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._detector: RedFlagDetector | None = None
        if stored_data is not None:
            self._lexicon = lexicon_from_dict(stored_data)
            self._detector = RedFlagDetector(self._lexicon)

    def data_for_model(self, training_data: TrainingData) -> Dict[str, Any]:
        source = read_lexicon_source(
            Path(self._config["warning_signs"]),
            Path(self._config["context_cues"]),
            Path(self._config["conversation_cues"]),
        )
        lexicon_from_dict(source)  # fails the training on a malformed lexicon
        return source

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        doc = message.get(SPACY_DOCS[TEXT])
        # A button payload is no patient's words; any other text starting with "/" is.
        if self._detector is None or doc is None or is_button_payload(text):
            return
        intent = message.get(INTENT) or {}
        signal = combine(
            self._detector.analyse(doc),
            self._lexicon,
            text,
            intent.get(INTENT_NAME_KEY),
            intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0,
            message.get(SCORES),
        )
        if signal.entities:
            message.set(ENTITIES, message.get(ENTITIES, []) + signal.entities, add_to_output=True)
        if signal.intent and signal.intent != intent.get(INTENT_NAME_KEY):
            replaced = {INTENT_NAME_KEY: signal.intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [replaced] + [
                r
                for r in message.get(INTENT_RANKING_KEY, [])
                if r.get(INTENT_NAME_KEY) != signal.intent
            ]
            message.set(INTENT, replaced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if signal.level:
            logger.debug("Red-flag detector: level %s", signal.level)
