"""Finds the exam, treatment or symptom a question names, through typos and paraphrases.

RegexEntityExtractor matches the lookup tables word for word. This component matches the same
lookup words, mapped to their synonyms' canonical values, and the reviewed paraphrases of
`content/topic_patterns.yml`, with the folding, stems and spelling repair of matching/ ("biopssie",
"mettre des vis dans la colonne"). It adds only what no earlier extractor found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.tokens import Doc

from assistant.matching.component import ReviewedDataComponent
from assistant.matching.matcher import PatternMatcher
from assistant.matching.patterns import compile_pattern
from assistant.matching.storage import read_source
from assistant.matching.token_forms import TokenFormsAnnotator
from content import TOPIC_PATTERNS

EXTRACTOR = "TopicEntityExtractor"


def patterns_from_lookups(training_data: TrainingData) -> Dict[str, Dict[str, List[str]]]:
    """The lookup tables as patterns: each entry a sequence of words, keyed by the canonical
    value its synonym gives (or itself)."""
    tokenizer = spacy.blank("fr").tokenizer
    synonyms = {surface.lower(): value for surface, value in training_data.entity_synonyms.items()}
    patterns: Dict[str, Dict[str, List[str]]] = {}
    for table in training_data.lookup_tables:
        for element in table["elements"]:
            words = [
                t.text for t in tokenizer(element.lower()) if not t.is_punct and t.text.strip()
            ]
            if words:
                value = synonyms.get(element.lower(), element.lower())
                patterns.setdefault(table["name"], {}).setdefault(value, []).append(" ".join(words))
    return patterns


def all_patterns(training_data: TrainingData, paraphrases: Path) -> Dict[str, Dict[str, List[str]]]:
    """The lookup tables' patterns and the reviewed paraphrases, by entity type and value."""
    patterns = patterns_from_lookups(training_data)
    for entity_type, values in read_source(paraphrases)["patterns"].items():
        for value, lines in values.items():
            patterns.setdefault(entity_type, {}).setdefault(value, []).extend(lines)
    return patterns


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class TopicEntityExtractor(ReviewedDataComponent):
    STORED_FILE = "topic_patterns.yml"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"patterns": str(TOPIC_PATTERNS)}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        stored_data: Dict[str, Dict[str, List[str]]] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._labels: Dict[str, Tuple[str, str]] = {}
        self._compiled: Dict[str, List[Dict[str, Any]]] = {}
        vocabulary: set = set()
        for entity_type, values in (stored_data or {}).items():
            for value, lines in values.items():
                for n, line in enumerate(lines):
                    label = f"{entity_type}:{value}:{n}"
                    self._compiled[label] = compile_pattern(line, vocabulary)
                    self._labels[label] = (entity_type, value)
        self._annotator = TokenFormsAnnotator(vocabulary, {})
        self._matcher = PatternMatcher(self._compiled)

    def data_for_model(self, training_data: TrainingData) -> Dict[str, Dict[str, List[str]]]:
        return all_patterns(training_data, Path(self._config["patterns"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or (message.get(TEXT) or "").startswith(INTENT_MESSAGE_PREFIX):
                continue
            found = message.get(ENTITIES, [])
            new = [e for e in self.entities(doc) if not _already_found(e, found)]
            if new:
                # "un PET scan" names the work-up, not the scanner it contains
                kept = [e for e in found if not any(_within(e, longer) for longer in new)]
                message.set(ENTITIES, kept + new, add_to_output=True)
        return messages

    def entities(self, doc: Doc) -> List[Dict[str, Any]]:
        """One entity per type, value and place, the longest match."""
        self._annotator.annotate(doc)
        matches = sorted(self._matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        entities: List[Dict[str, Any]] = []
        # Kept entities of one type and value never overlap and come in order: only the last
        # one can overlap the next match.
        last: Dict[Tuple[str, str], Dict[str, Any]] = {}
        for label, start, end in matches:
            entity_type, value = self._labels[label]
            span = doc[start:end]
            entity = {
                "entity": entity_type,
                "value": value,
                "start": span.start_char,
                "end": span.end_char,
                "confidence_entity": 1.0,
                "extractor": EXTRACTOR,
            }
            previous = last.get((entity_type, value))
            if previous is None or not _already_found(entity, [previous]):
                entities.append(entity)
                last[(entity_type, value)] = entity
        return entities


def _already_found(entity: Dict[str, Any], found: List[Dict[str, Any]]) -> bool:
    return any(
        other.get("entity") == entity["entity"]
        and other.get("value") == entity["value"]
        and other.get("start", 0) < entity["end"]
        and entity["start"] < other.get("end", 0)
        for other in found
    )


def _within(entity: Dict[str, Any], longer: Dict[str, Any]) -> bool:
    """A name inside a longer name of the same type and another value."""
    return (
        entity.get("entity") == longer["entity"]
        and entity.get("value") != longer["value"]
        and longer["start"] <= entity.get("start", -1)
        and entity.get("end", 0) <= longer["end"]
        and longer["end"] - longer["start"] > entity.get("end", 0) - entity.get("start", 0)
    )
