"""The second, learned layer of warning-sign detection: a classifier per category, trained
on a large, varied set of reports and of look-alike messages written apart from the tests
(data/safety/), and on the other intents' examples as messages that are no sign.

It only scores: character and word n-grams of the message (linear in its length), then a
logistic regression over the categories and "none". The red-flag component (last in the
pipeline) decides with the lexicon whether a score escalates (nlu_signal.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from assistant.safety.levels import URGENT_LEVELS
from assistant.safety.lexicon import Lexicon, load_lexicon
from assistant.safety.sign_scorer import SignScorer
from deploy.settings import PROJECT

NONE = "none"
# Where the red-flag component reads the scores: category -> probability.
SCORES = "warning_sign_scores"
_MODEL_FILE = "sign_classifier.skops"
# Intents whose examples report a sign without saying which one: not used as "none".
_REPORT_INTENT_PREFIX = "report_"


def read_examples(paths: List[Path]) -> List[Dict[str, str]]:
    examples: List[Dict[str, str]] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            examples += yaml.safe_load(handle)["warning_sign_examples"]
    return examples


def not_urgent_report_labels(lexicon: Lexicon) -> Dict[str, str]:
    """Report intents whose category is not urgent ("j'ai mal au dos": a sign to verify) ->
    that category: their examples teach the classifier what an ordinary report looks like,
    so that it does not read every back pain as an urgent one."""
    return {
        intent: name
        for intent, name in lexicon.report_intent_categories.items()
        if lexicon.categories[name].level not in URGENT_LEVELS
    }


def new_pipeline(regularisation: float) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "characters",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                    strip_accents="unicode",
                    lowercase=True,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    min_df=1,
                    sublinear_tf=True,
                    strip_accents="unicode",
                    lowercase=True,
                    token_pattern=r"(?u)\b\w+\b",
                ),
            ),
        ]
    )
    classifier = LogisticRegression(
        C=regularisation, class_weight="balanced", max_iter=3000, random_state=42
    )
    return Pipeline([("features", features), ("classifier", classifier)])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WarningSignClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "examples": [
                "data/safety/warning_sign_reports.yml",
                "data/safety/warning_sign_negatives.yml",
            ],
            "regularisation": 5.0,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Pipeline | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._scorer = SignScorer(pipeline) if pipeline is not None else None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WarningSignClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        import skops.io as sio

        examples = read_examples([PROJECT / path for path in self._config["examples"]])
        texts = [e["text"] for e in examples]
        labels = [e["category"] for e in examples]
        not_urgent = not_urgent_report_labels(load_lexicon())
        for message in training_data.intent_examples:
            intent = message.get(INTENT) or ""
            label = not_urgent.get(intent, NONE)
            if label != NONE or not intent.startswith(_REPORT_INTENT_PREFIX):
                texts.append(message.get(TEXT))
                labels.append(label)
        pipeline = new_pipeline(float(self._config["regularisation"]))
        pipeline.fit(texts, labels)
        self._scorer = SignScorer(pipeline)
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(pipeline, directory / _MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> WarningSignClassifier:
        import skops.io as sio

        with model_storage.read_from(resource) as directory:
            path = directory / _MODEL_FILE
            # Only scikit-learn's, numpy's and scipy's sparse types: anything else is refused, never run.
            types = sio.get_untrusted_types(file=path)
            unexpected = [
                t for t in types if not t.startswith(("sklearn.", "numpy.", "scipy.sparse."))
            ]
            if unexpected:
                raise ValueError(f"Untrusted types in the warning-sign classifier: {unexpected}")
            pipeline = sio.load(path, trusted=types)
        return cls(config, model_storage, resource, pipeline)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._scorer is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith(INTENT_MESSAGE_PREFIX):
                message.set(SCORES, self.scores(text))
        return messages

    def scores(self, text: str) -> Dict[str, float]:
        assert self._scorer is not None
        return self._scorer(text)
