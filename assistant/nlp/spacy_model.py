"""Rasa's SpacyNLP without the spaCy components nothing here reads.

Rasa 3.6 loads `fr_core_news_sm` with only the parser disabled, so every message also runs the
named-entity recogniser, which has its own tok2vec layer: nothing in the pipeline reads its
entities. What the project reads comes from the components kept: the token vectors
(SpacyFeaturizer: `doc.tensor`, set by `tok2vec`), `pos_` and `morph` (`morphologizer`),
`lemma_` (the rule `lemmatizer`, which reads the POS and the `attribute_ruler`'s fixes).
tests/unit/test_spacy_model.py checks that these are identical with and without the excluded
components; the measured gain is in docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any, Dict, List

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.exceptions import InvalidConfigException

# Never run for a message: the parser (Rasa already disables it), the sentence recogniser
# (disabled in the package) and the named-entity recogniser.
DEFAULT_EXCLUDE = ["parser", "senter", "ner"]
# What the featurizer, the lemmatizer and the red-flag detector need.
REQUIRED = {"tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"}


def load_lean_model(model_name: str, exclude: List[str]) -> SpacyModel:
    """The spaCy model without the `exclude`d components; refuses to drop a required one."""
    dropped = REQUIRED.intersection(exclude)
    if dropped:
        raise InvalidConfigException(
            f"LeanSpacyNLP cannot exclude {sorted(dropped)}: the pipeline reads what they set."
        )
    try:
        language = spacy.load(model_name, exclude=exclude)
    except OSError as error:
        raise InvalidModelError(f"The spaCy model {model_name!r} is not installed.") from error
    return SpacyModel(model=language, model_name=model_name)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """SpacyNLP with `exclude`: the spaCy components not to load at all."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**SpacyNLP.get_default_config(), "exclude": DEFAULT_EXCLUDE}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = load_lean_model(config["model"], list(config["exclude"]))
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
