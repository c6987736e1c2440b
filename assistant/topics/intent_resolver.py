"""A message that names an exam, a treatment or a symptom is a question about it, when the
model did not understand it or took it for small talk ("bonjour, c'est quoi une IRM ?",
"mon mari passe un TDM demain, ça sert à quoi ?"). Which intent asks about which type of
thing is reviewed content (content/topic_patterns.yml, `question_intents`), kept in the model.
A message the model found ambiguous between two questions that the knowledge base answers
("on lui a trouvé des métastases aux vertèbres, c'est quoi au juste ?": what they are, or
where they come from) gets the likelier one rather than "je n'ai pas compris", and one between
a question and a feeling gets the support answer. A message the model hesitated to read as a
warning-sign report stays an unsure report, whatever it names: the safety layer asks the
warning-sign questions then."""

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
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.matching.component import ReviewedDataComponent
from assistant.matching.storage import read_source
from assistant.safety.lexicon import load_lexicon
from content import TOPIC_PATTERNS, knowledge_intents

ASPECT = "aspect"
FALLBACK = "nlu_fallback"
# A message this short may ask an aspect without a question mark ("c long", "ça fait mal").
SHORT_QUESTION_WORDS = 8


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
            # feelings, which win over a question when the model hesitates between them ("j'ai
            # tellement peur, on vient de m'annoncer des métastases")
            "support_intents": ["express_fear", "express_grief", "feel_lost", "ask_caregiver"],
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored_data: Dict[str, Any] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        stored_data = stored_data or {}
        self._question_intents: Dict[str, str] = stored_data.get("question_intents", {})
        self._knowledge_intents = set(stored_data.get("knowledge_intents", []))
        self._report_intents = set(stored_data.get("report_intents", []))
        self._resolved = set(config["resolved_intents"])
        self._resolved_by_aspect = set(config["resolved_by_aspect"])
        self._support = set(config["support_intents"])

    def data_for_model(self, training_data: TrainingData) -> Dict[str, Any]:
        return {
            "question_intents": dict(
                read_source(Path(self._config["patterns"]))["question_intents"]
            ),
            "knowledge_intents": knowledge_intents(),
            "report_intents": sorted(load_lexicon().report_intent_categories),
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            types = [e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES, [])]
            if self._unsure_report(message):
                continue
            if not _asks(message.get(TEXT) or ""):
                # "ça va pas trop, je me sens pas comme d'habitude" says, it does not ask
                types = [t for t in types if t != ASPECT]
            if intent in self._resolved_by_aspect:
                types = [t for t in types if t == ASPECT]
            elif intent in self._resolved:
                # "comment je prends rendez-vous chez le dentiste ?" asks something, off topic
                types = [t for t in types if t != ASPECT or intent == FALLBACK]
            else:
                continue
            named = [t for t in types if t in self._question_intents and t != ASPECT]
            question = self._question_intents[named[0]] if named else None
            if question is None and intent == FALLBACK:
                question = self._likelier_answer(message)
            if question is None and ASPECT in types:
                # "comment on soigne des métastases ?" that the model hesitated on asks an aspect
                # of its best question's subject; with none, of the previous answer's
                question = self._best_question(message, intent) or self._question_intents[ASPECT]
            if question:
                resolved = {INTENT_NAME_KEY: question, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, resolved, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY,
                    [resolved] + message.get(INTENT_RANKING_KEY, []),
                    add_to_output=True,
                )
        return messages

    def _likelier_answer(self, message: Message) -> str | None:
        """When the two best intents are questions the knowledge base answers or feelings: a
        feeling first, else the best question."""
        best = _ranking(message)[:2]
        if len(best) < 2 or not set(best) <= self._knowledge_intents | self._support:
            return None
        return next((intent for intent in best if intent in self._support), best[0])

    def _best_question(self, message: Message, intent: str | None) -> str | None:
        """The model's best intent, after a fallback, when the knowledge base answers it."""
        best = _ranking(message)[:1]
        if intent == FALLBACK and best and best[0] in self._knowledge_intents:
            return best[0]
        return None

    def _unsure_report(self, message: Message) -> bool:
        """The model did not understand the message, and a report is one of its two best reads:
        it goes to the safety layer as an unsure report of that kind."""
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent != FALLBACK:
            return False
        ranked = _ranked(message)[:2]
        report = next((i for i in ranked if i[INTENT_NAME_KEY] in self._report_intents), None)
        if report is None:
            return False
        message.set(INTENT, dict(report), add_to_output=True)
        return True


def _ranked(message: Message) -> List[Dict[str, Any]]:
    """The model's ranking without the fallback."""
    return [i for i in message.get(INTENT_RANKING_KEY, []) if i[INTENT_NAME_KEY] != FALLBACK]


def _ranking(message: Message) -> List[str]:
    """The names of the intents the model ranked, without the fallback."""
    return [i[INTENT_NAME_KEY] for i in _ranked(message)]


def _asks(text: str) -> bool:
    """A question mark, or a message short enough to ask without one."""
    return "?" in text or len(text.split()) <= SHORT_QUESTION_WORDS
